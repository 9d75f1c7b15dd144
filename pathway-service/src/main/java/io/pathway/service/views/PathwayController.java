package io.pathway.service.views;

import io.pathway.bpmn.PathwayModel.Vars;
import io.pathway.model.EventTypes;
import io.pathway.service.engine.PathwayEngine;
import io.pathway.service.records.PathwayRegistry;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** A patient's pathways and the journey of each; a coordinator's withdrawal. */
@RestController
@RequestMapping("/api/pathways")
class PathwayController {

  private final PathwayRegistry registry;
  private final TimelineService timelines;
  private final PathwayEngine engine;
  private final TransactionTemplate tx;

  PathwayController(PathwayRegistry registry, TimelineService timelines, PathwayEngine engine, TransactionTemplate tx) {
    this.registry = registry;
    this.timelines = timelines;
    this.engine = engine;
    this.tx = tx;
  }

  @GetMapping
  List<PathwayRegistry.PathwayRef> forPatient(@RequestParam("patientRef") String patientRef) {
    if (patientRef.isBlank() || patientRef.length() > 128) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "patientRef is required (at most 128 characters)");
    }
    return registry.allFor(patientRef);
  }

  @GetMapping("/{id}")
  PathwayRegistry.PathwayRef pathway(@PathVariable String id) {
    return timelines.find(id).orElseThrow(() -> notFound(id));
  }

  @GetMapping("/{id}/timeline")
  TimelineService.Timeline timeline(@PathVariable String id) {
    return timelines.timeline(pathway(id));
  }

  record Withdrawal(String reason) {}

  /** Ends the pathway as WITHDRAWN (patient withdrawn or transferred out). */
  @PostMapping("/{id}/withdrawal")
  ResponseEntity<Map<String, Object>> withdraw(@PathVariable String id, @RequestBody Withdrawal body, Principal who) {
    if (body == null || body.reason() == null || body.reason().isBlank() || body.reason().length() > 500) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "a reason (at most 500 characters) is required");
    }
    PathwayRegistry.PathwayRef pathway = pathway(id);
    if (!pathway.active()) {
      throw new ResponseStatusException(HttpStatus.CONFLICT, "pathway " + pathway.pathwayId() + " has ended");
    }
    Boolean delivered = tx.execute(s -> engine.deliver(EventTypes.WITHDRAWAL_REQUESTED, pathway.pathwayId(),
        Map.of(Vars.WITHDRAWAL_REASON, body.reason(), Vars.WITHDRAWN_BY, who.getName())));
    if (!Boolean.TRUE.equals(delivered)) {
      throw new ResponseStatusException(HttpStatus.CONFLICT, "pathway " + pathway.pathwayId() + " cannot be withdrawn now");
    }
    if (engine.isRunning(pathway.pathwayId())) {
      // a withdrawal never cancels an unconfirmed red-flag escalation: recorded, it waits for the confirmation
      return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("pathwayId", pathway.pathwayId(), "status", "RECORDED",
          "message", "A red-flag escalation is open: the withdrawal is recorded and the escalation runs on until its "
              + "transfer or referral is confirmed"));
    }
    return ResponseEntity.ok(Map.of("pathwayId", pathway.pathwayId(), "outcome", "WITHDRAWN"));
  }

  private static ResponseStatusException notFound(String id) {
    return new ResponseStatusException(HttpStatus.NOT_FOUND, "no pathway " + id);
  }
}
