package io.pathway.service.views;

import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** The Journey tab's data: {@code GET /api/journey/tasks/{taskId}} and the diagrams it draws. */
@RestController
@RequestMapping("/api/journey")
class JourneyController {

  private final JourneyService journeys;

  JourneyController(JourneyService journeys) {
    this.journeys = journeys;
  }

  @GetMapping("/tasks/{taskId}")
  JourneyService.Journey forTask(@PathVariable String taskId, Authentication who) {
    return journeys.forTask(taskId, reader(who)).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
        "no task " + taskId + " that you may see"));
  }

  @GetMapping(value = "/diagrams/{definitionId}", produces = MediaType.APPLICATION_XML_VALUE)
  ResponseEntity<String> diagram(@PathVariable String definitionId, Authentication who) {
    return journeys.diagramXml(definitionId, reader(who)).map(ResponseEntity::ok)
        .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no process definition " + definitionId));
  }

  static JourneyService.Reader reader(Authentication who) {
    List<String> groups = who.getAuthorities().stream().map(GrantedAuthority::getAuthority)
        .filter(a -> a.startsWith("GROUP_")).map(a -> a.substring("GROUP_".length())).toList();
    return new JourneyService.Reader(who.getName(), groups);
  }
}
