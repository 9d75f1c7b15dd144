package io.pathway.service.views;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pathway.bpmn.PathwayModel.Tasks;
import io.pathway.model.EventTypes;
import io.pathway.model.Topics;
import io.pathway.model.codes.ImagingFinding;
import io.pathway.model.codes.PainPattern;
import io.pathway.model.codes.RedFlag;
import io.pathway.model.codes.SteroidKind;
import io.pathway.model.events.EnrolmentRequested;
import io.pathway.model.events.RedFlagRaised;
import io.pathway.model.events.SteroidTreatment;
import io.pathway.service.PathwayServiceTest;
import io.pathway.service.support.Hospital;
import io.pathway.service.support.JourneyTest;
import io.pathway.service.support.Tasklist;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/** The Journey tab's data: in words, with the red flag's deadline, only for those who may read the task, fast on a long history. */
@PathwayServiceTest
class JourneyTabApiTest extends JourneyTest {

  private Tasklist.Task redFlagDuringThePathway() {
    Hospital.send(Topics.PATHWAY_ENROLMENTS, new EnrolmentRequested("REF-" + patient, patient,
        new SteroidTreatment(SteroidKind.EPIDURAL_STEROID_INJECTION, LocalDate.now().minusDays(30), true, true), PainPattern.RADICULAR,
        7, false, List.of(ImagingFinding.LARGE_DISC_HERNIATION), 2, List.of(), LocalDate.now().minusMonths(4)));
    tasklist.await(Tasklist.COORDINATOR, Tasks.RECORD_FOLLOW_UP_ASSESSMENT, patient);
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised(patient, RedFlag.BLADDER_DYSFUNCTION, Instant.now().minusSeconds(300)));
    return tasklist.await(Tasklist.COORDINATOR, Tasks.CONFIRM_EMERGENCY_TRANSFER, patient);
  }

  @Test
  void shouldTellTheCoordinatorTheJourneyInWordsWithTheRedFlagDeadlineAndTheCurrentStep() {
    Tasklist.Task task = redFlagDuringThePathway();

    ResponseEntity<JsonNode> journey = rest.withBasicAuth(Tasklist.COORDINATOR, Tasklist.COORDINATOR)
        .getForEntity("/api/journey/tasks/{id}", JsonNode.class, task.id());

    assertThat(journey.getStatusCode()).isEqualTo(HttpStatus.OK);
    String text = journey.getBody().get("items").toString();
    assertThat(text).contains("Enrolled", "Red flag: New bladder dysfunction or retention (cauda equina)", "Deadline",
        "emergency transfer, 30 minutes", "Epidural steroid injection (ESI)", "Large disc herniation");
    assertThat(text).doesNotContain("BLADDER_DYSFUNCTION", "EPIDURAL_STEROID_INJECTION", "LARGE_DISC_HERNIATION");
    assertThat(journey.getBody().get("patientRef").asText()).isEqualTo(patient);
    List<String> active = new ArrayList<>();
    journey.getBody().get("diagrams").forEach(d -> d.get("active").forEach(a -> active.add(a.asText())));
    assertThat(active).contains(Tasks.CONFIRM_EMERGENCY_TRANSFER);
    assertThat(journey.getBody().get("now").asText()).contains("Confirm emergency transfer");
    // the diagram is the model as deployed
    String definition = journey.getBody().get("diagrams").get(0).get("definitionId").asText();
    assertThat(rest.withBasicAuth(Tasklist.COORDINATOR, Tasklist.COORDINATOR)
        .getForObject("/api/journey/diagrams/{id}", String.class, definition)).contains("<bpmn:definitions", "bpmndi:BPMNDiagram");
  }

  @Test
  void shouldShowTheJourneyOnlyToThoseWhoMayReadTheTask() {
    Tasklist.Task coordinatorsTask = redFlagDuringThePathway();

    assertThat(rest.withBasicAuth(Tasklist.CLINICIAN, Tasklist.CLINICIAN)
        .getForEntity("/api/journey/tasks/{id}", String.class, coordinatorsTask.id()).getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    assertThat(rest.withBasicAuth("lead", "lead")
        .getForEntity("/api/journey/tasks/{id}", String.class, coordinatorsTask.id()).getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(rest.getForEntity("/api/journey/tasks/{id}", String.class, coordinatorsTask.id()).getStatusCode())
        .isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(rest.withBasicAuth(Tasklist.COORDINATOR, Tasklist.COORDINATOR)
        .getForEntity("/api/journey/tasks/{id}", String.class, "no-such-task").getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
  }

  @Test
  void shouldGiveTheFormTheLabelsOfTheCodesItShows() {
    Tasklist.Task task = redFlagDuringThePathway();

    JsonNode variables = rest.withBasicAuth(Tasklist.COORDINATOR, Tasklist.COORDINATOR)
        .getForObject("/engine-rest/task/{id}/form-variables", JsonNode.class, task.id());

    assertThat(variables.get("redFlags").get("value").asText()).isEqualTo("BLADDER_DYSFUNCTION");
    assertThat(variables.get("redFlagsLabel").get("value").asText()).isEqualTo("New bladder dysfunction or retention (cauda equina)");
    assertThat(variables.get("referralReasonLabel").get("value").asText()).isEqualTo("Cauda equina syndrome");
    // only what was asked for, when the form names its variables
    JsonNode named = rest.withBasicAuth(Tasklist.COORDINATOR, Tasklist.COORDINATOR)
        .getForObject("/engine-rest/task/{id}/form-variables?variableNames=patientRef,redFlagsLabel", JsonNode.class, task.id());
    assertThat(named.fieldNames()).toIterable().containsExactlyInAnyOrder("patientRef", "redFlagsLabel");
    // and nothing for someone who may not read the task
    assertThat(rest.withBasicAuth(Tasklist.CLINICIAN, Tasklist.CLINICIAN)
        .getForEntity("/engine-rest/task/{id}/form-variables", String.class, task.id()).getBody()).doesNotContain("bladder");
  }

  @Test
  void shouldAnswerWithinASecondForAPathwayWithALongHistory() {
    Tasklist.Task task = redFlagDuringThePathway();
    String pathwayId = jdbc.queryForObject("select pathway_id from pathway.pathway_ref where patient_ref = ?", String.class, patient);
    // two years of a busy pathway: 1,500 orders, results, alerts and stage changes in its journal
    List<Object[]> rows = new ArrayList<>();
    Instant start = Instant.now().minusSeconds(2 * 365 * 86400L);
    String[] types = {EventTypes.ORDER_PLACED, EventTypes.DIAGNOSTIC_RESULT, EventTypes.ALERT_RAISED, EventTypes.STAGE_CHANGED};
    String[] data = {"{\"orderId\":\"O-%d\",\"kind\":\"DIAGNOSTIC\",\"code\":\"CONTRAST_MRI\",\"reason\":\"Failure hypotheses: [STRUCTURAL_COMPRESSION]\"}",
        "{\"orderId\":\"O-%d\",\"test\":\"CONTRAST_MRI\",\"outcome\":\"NEGATIVE\",\"findings\":{\"mriFinding\":\"NO_CHANGE\"}}",
        "{\"alertId\":\"A-%d\",\"severity\":\"HIGH\",\"type\":\"RESULT_OVERDUE\",\"message\":\"Result of CONTRAST_MRI overdue\"}",
        "{\"pathwayId\":\"x\",\"stage\":\"DIAGNOSTIC_REEVALUATION\",\"n\":%d}"};
    for (int i = 0; i < 1500; i++) {
      rows.add(new Object[] {pathwayId, patient, i % 4 == 1 ? "IN" : "OUT", types[i % 4], UUID.randomUUID().toString(),
          String.format(data[i % 4], i), Timestamp.from(start.plusSeconds(i * 40_000L))});
    }
    jdbc.batchUpdate("insert into pathway.journal (pathway_id, patient_ref, direction, ce_type, ce_id, summary, at) values (?,?,?,?,?,?,?)", rows);

    rest.withBasicAuth(Tasklist.COORDINATOR, Tasklist.COORDINATOR).getForEntity("/api/journey/tasks/{id}", String.class, task.id());
    long slowest = 0;
    int items = 0;
    for (int i = 0; i < 3; i++) {
      long t0 = System.nanoTime();
      ResponseEntity<JsonNode> journey = rest.withBasicAuth(Tasklist.COORDINATOR, Tasklist.COORDINATOR)
          .getForEntity("/api/journey/tasks/{id}", JsonNode.class, task.id());
      slowest = Math.max(slowest, (System.nanoTime() - t0) / 1_000_000);
      items = journey.getBody().get("items").size();
    }

    org.slf4j.LoggerFactory.getLogger(JourneyTabApiTest.class).info("Journey of {} items: slowest of 3 answers {} ms", items, slowest);
    assertThat(items).isGreaterThan(1500);
    assertThat(slowest).isLessThan(1000);
  }
}
