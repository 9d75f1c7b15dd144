package io.pathway.service.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pathway.bpmn.PathwayModel.Tasks;
import io.pathway.model.Topics;
import io.pathway.model.codes.ImagingFinding;
import io.pathway.model.codes.PainPattern;
import io.pathway.model.codes.RedFlag;
import io.pathway.model.codes.SteroidKind;
import io.pathway.model.events.EnrolmentRequested;
import io.pathway.model.events.FollowUpRecorded;
import io.pathway.model.events.RedFlagRaised;
import io.pathway.model.events.SteroidTreatment;
import io.pathway.service.PathwayServiceTest;
import io.pathway.service.support.Hospital;
import io.pathway.service.support.JourneyTest;
import io.pathway.service.support.Tasklist;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** The variance ledger: the breach of a late-reported red flag with its cause, an override with its reason, CSV and metrics, for leads only. */
@PathwayServiceTest
class LedgerTest extends JourneyTest {

  @LocalManagementPort
  int managementPort;
  @Autowired
  LedgerMetrics metrics;

  @Test
  void shouldListTheBreachOfALateReportedRedFlagWithItsCause() {
    // observed two hours before the hospital reported it: the 30-minute emergency SLA had passed on arrival
    Instant observedAt = Instant.now().minusSeconds(7200);
    // the week's figures hold every red flag of the test run before this one: count this one's effect on them
    int outsideSlaBefore = weekRow(lead().getForObject("/api/ledger?per=week", JsonNode.class), observedAt)
        .get("redFlagToReferral").get("outsideSla").asInt();
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised(patient, RedFlag.SADDLE_ANESTHESIA, observedAt));
    tasklist.await(Tasklist.COORDINATOR, Tasks.CONFIRM_EMERGENCY_TRANSFER, patient);

    JsonNode ledger = await().atMost(Duration.ofSeconds(30)).until(() -> lead().getForObject("/api/ledger?per=week", JsonNode.class),
        l -> l.get("breaches").toString().contains(patient));

    JsonNode breach = null;
    for (JsonNode b : ledger.get("breaches")) {
      if (b.get("patientRef").asText().equals(patient) && b.get("measure").asText().equals("referral")) {
        breach = b;
      }
    }
    assertThat(breach).isNotNull();
    assertThat(breach.get("flags").asText()).isEqualTo("Saddle anaesthesia (cauda equina)");
    assertThat(breach.get("cause").asText()).startsWith("reported 120 minutes after the observation");
    // the week of the observation (the current one, or the one before in a Monday's first two hours) counts it outside
    // the SLA: measured from the observation, not from the receipt (its p95 depends on the run's other red flags)
    JsonNode thisWeek = weekRow(ledger, observedAt);
    assertThat(thisWeek.get("redFlagToReferral").get("count").asInt()).isPositive();
    assertThat(thisWeek.get("redFlagToReferral").get("outsideSla").asInt()).isGreaterThan(outsideSlaBefore);
    assertThat(ledger.get("rows")).hasSize(12);
    assertThat(lead().getForObject("/api/ledger?per=month&periods=3", JsonNode.class).get("rows")).hasSize(3);

    // the same figures for Prometheus
    metrics.forget();
    String scrape = rest.withBasicAuth("demo", "demo").getForObject("http://localhost:" + managementPort + "/actuator/prometheus", String.class);
    assertThat(scrape).contains("pathway_ledger_red_flag_referral_outside_sla{application=\"pathway-service\",period=\"week\"}",
        "pathway_ledger_red_flag_confirmation_p95_minutes", "pathway_ledger_stage_median_days", "pathway_ledger_omissions");
    // the gauge is the current week's figure of the ledger (the observation's week but in a Monday's first two hours)
    double currentWeek = lead().getForObject("/api/ledger?per=week", JsonNode.class).get("rows").get(0).get("redFlagToReferral")
        .get("outsideSla").asDouble();
    if (LedgerService.key(LedgerService.Period.WEEK, observedAt).equals(LedgerService.key(LedgerService.Period.WEEK, Instant.now()))) {
      assertThat(currentWeek).isPositive();
    }
    assertThat(metric(scrape, "pathway_ledger_red_flag_referral_outside_sla{application=\"pathway-service\",period=\"week\"}"))
        .isEqualTo(currentWeek);

    // and as CSV
    ResponseEntity<String> csv = lead().getForEntity("/api/ledger/csv?per=week", String.class);
    assertThat(csv.getHeaders().getContentType().isCompatibleWith(MediaType.parseMediaType("text/csv"))).isTrue();
    assertThat(csv.getBody()).startsWith("section,period,measure,key,value").contains("breach,,referral," + patient,
        "red flags,", "outside SLA");
  }

  @Test
  void shouldListAnOverrideWithItsReason() {
    Hospital.send(Topics.PATHWAY_ENROLMENTS, new EnrolmentRequested("REF-" + patient, patient,
        new SteroidTreatment(SteroidKind.EPIDURAL_STEROID_INJECTION, LocalDate.now().minusDays(35), true, true), PainPattern.AXIAL, 7,
        false, List.of(ImagingFinding.FACET_ARTHROPATHY), 2, List.of(), LocalDate.now().minusDays(100)));
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new FollowUpRecorded(patient, "EPIDURAL_STEROID_INJECTION", 10, true, Instant.now()));
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_FAILURE_HYPOTHESES, patient, Map.of(
        "hypothesisNeuropathicOrCentralSensitization", true, "hypothesesOverrideReason", "allodynia on examination"));

    JsonNode ledger = lead().getForObject("/api/ledger?per=month", JsonNode.class);

    JsonNode override = null;
    for (JsonNode o : ledger.get("overrides")) {
      if (patient.equals(o.path("patientRef").asText())) {
        override = o;
      }
    }
    assertThat(override).isNotNull();
    assertThat(override.get("decision").asText()).isEqualTo("Failure hypotheses");
    assertThat(override.get("reason").asText()).isEqualTo("allodynia on examination");
    assertThat(override.get("proposal").asText()).doesNotContain("_").isNotBlank();
    assertThat(ledger.get("rows").get(0).get("overrides").asInt()).isPositive();
  }

  @Test
  void shouldOpenTheLedgerToLeadsAndAdministratorsOnly() {
    assertThat(lead().getForEntity("/api/ledger", String.class).getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(rest.withBasicAuth("demo", "demo").getForEntity("/api/ledger", String.class).getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(lead().getForEntity("/api/ledger/access", String.class).getStatusCode()).isEqualTo(HttpStatus.NO_CONTENT);
    for (String user : List.of(Tasklist.CLINICIAN, Tasklist.COORDINATOR)) {
      assertThat(rest.withBasicAuth(user, user).getForEntity("/api/ledger", String.class).getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
      assertThat(rest.withBasicAuth(user, user).getForEntity("/api/ledger/csv", String.class).getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
      assertThat(rest.withBasicAuth(user, user).getForEntity("/api/ledger/access", String.class).getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
    }
    assertThat(rest.getForEntity("/api/ledger", String.class).getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    // a lead has no patient's journey
    assertThat(lead().getForEntity("/api/pathways?patientRef=PT-1", String.class).getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
  }

  private org.springframework.boot.test.web.client.TestRestTemplate lead() {
    return rest.withBasicAuth("lead", "lead");
  }

  private static double metric(String scrape, String series) {
    return scrape.lines().filter(l -> l.startsWith(series + " ")).map(l -> Double.parseDouble(l.substring(series.length() + 1)))
        .findFirst().orElseThrow();
  }

  /** The ledger's row of the week the instant falls in. */
  private static JsonNode weekRow(JsonNode ledger, Instant at) {
    for (JsonNode row : ledger.get("rows")) {
      if (row.get("period").asText().equals(LedgerService.key(LedgerService.Period.WEEK, at))) {
        return row;
      }
    }
    throw new AssertionError("no row of the week of " + at + " in " + ledger.get("rows"));
  }
}
