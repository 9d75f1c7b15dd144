package io.pathway.service.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pathway.bpmn.PathwayModel.Tasks;
import io.pathway.model.Topics;
import io.pathway.model.codes.ImagingFinding;
import io.pathway.model.codes.PainPattern;
import io.pathway.model.codes.SteroidKind;
import io.pathway.model.events.EnrolmentRequested;
import io.pathway.model.events.FollowUpRecorded;
import io.pathway.model.events.SteroidTreatment;
import io.pathway.service.PathwayServiceTest;
import io.pathway.service.support.Hospital;
import io.pathway.service.support.Tasklist;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;

/** The journey of a pathway, explained: events, decisions with their inputs and outputs, and a clinician's override with its reason. */
@PathwayServiceTest
class TimelineTest {

  @Autowired
  TestRestTemplate rest;

  @Test
  void shouldShowStagesDecisionsAndTheClinicianOverrideInTimeOrder() {
    String patient = "PT-" + UUID.randomUUID().toString().substring(0, 8);
    Hospital.send(Topics.PATHWAY_ENROLMENTS, new EnrolmentRequested("REF-" + patient, patient,
        new SteroidTreatment(SteroidKind.EPIDURAL_STEROID_INJECTION, LocalDate.now().minusDays(35), true, true), PainPattern.AXIAL, 7,
        false, List.of(ImagingFinding.FACET_ARTHROPATHY), 2, List.of(), LocalDate.now().minusDays(100)));
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new FollowUpRecorded(patient, "EPIDURAL_STEROID_INJECTION", 10, true, Instant.now()));
    Tasklist tasklist = new Tasklist(rest);
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_FAILURE_HYPOTHESES, patient, Map.of(
        "hypothesisNeuropathicOrCentralSensitization", true,
        "hypothesesOverrideReason", "allodynia on examination"));
    tasklist.await(Tasklist.CLINICIAN, Tasks.REVIEW_DIAGNOSTIC_WORKUP, patient);

    var pathways = rest.withBasicAuth("clinician", "clinician").getForEntity("/api/pathways?patientRef={p}", JsonNode.class, patient);
    assertThat(pathways.getStatusCode()).isEqualTo(HttpStatus.OK);
    String pathwayId = pathways.getBody().get(0).get("pathwayId").asText();

    JsonNode timeline = await().atMost(Duration.ofSeconds(30)).until(() -> rest.withBasicAuth("clinician", "clinician")
        .getForObject("/api/pathways/{id}/timeline", JsonNode.class, pathwayId), t -> t.get("entries").size() > 5);
    List<String> kinds = new ArrayList<>();
    List<String> times = new ArrayList<>();
    timeline.get("entries").forEach(e -> {
      kinds.add(e.get("kind").asText());
      times.add(e.get("at").asText());
    });
    assertThat(kinds).contains("ENROLMENT", "FOLLOW_UP", "STAGE", "DECISION", "TASK");
    assertThat(times).isSortedAccordingTo(java.util.Comparator.comparing(Instant::parse));
    JsonNode decision = find(timeline, "DECISION", "failure-hypotheses");
    assertThat(decision.get("details").get("inputs").toString()).contains("AXIAL");
    JsonNode review = find(timeline, "TASK", Tasks.REVIEW_FAILURE_HYPOTHESES);
    assertThat(review.get("by").asText()).isEqualTo("clinician");
    assertThat(review.get("details").get("entered").get("hypothesesOverrideReason").asText()).isEqualTo("allodynia on examination");
    // the same pathway by its referral id
    assertThat(rest.withBasicAuth("coordinator", "coordinator").getForEntity("/api/pathways/{id}", JsonNode.class, "REF-" + patient)
        .getBody().get("pathwayId").asText()).isEqualTo(pathwayId);
    assertThat(rest.getForEntity("/api/pathways/{id}/timeline", String.class, pathwayId).getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
  }

  private static JsonNode find(JsonNode timeline, String kind, String key) {
    for (JsonNode e : timeline.get("entries")) {
      if (e.get("kind").asText().equals(kind) && e.get("details").toString().contains(key)) {
        return e;
      }
    }
    throw new AssertionError("no " + kind + " entry for " + key + " in " + timeline);
  }
}
