package io.pathway.service.redflag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pathway.bpmn.PathwayModel.Tasks;
import io.pathway.model.Topics;
import io.pathway.model.codes.AlertType;
import io.pathway.model.codes.ImagingFinding;
import io.pathway.model.codes.PainPattern;
import io.pathway.model.codes.PathwayOutcome;
import io.pathway.model.codes.RedFlag;
import io.pathway.model.codes.Severity;
import io.pathway.model.codes.SteroidKind;
import io.pathway.model.codes.Urgency;
import io.pathway.model.envelope.DeadLetterHeaders;
import io.pathway.model.events.AlertRaised;
import io.pathway.model.events.EnrolmentRequested;
import io.pathway.model.events.PathwayCompleted;
import io.pathway.model.events.RedFlagRaised;
import io.pathway.model.events.ReferralIssued;
import io.pathway.model.events.SteroidTreatment;
import io.pathway.model.events.WithdrawalRequested;
import io.pathway.service.PathwayServiceTest;
import io.pathway.service.support.Hospital;
import io.pathway.service.support.JourneyTest;
import io.pathway.service.support.Outbound;
import io.pathway.service.support.Tasklist;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * Red flags through the topics and the REST API: never lost (unreadable ones alert), never only an
 * alert (the same escalation whatever the patient's state), never cancelled by a withdrawal.
 */
@PathwayServiceTest
class RedFlagJourneyTest extends JourneyTest {

  private static final Map<String, String> BINARY = Map.of("ce_specversion", "1.0", "ce_source", "urn:hospital:test",
      "content-type", "application/json");


  EnrolmentRequested enrolment(String who, List<RedFlag> flags) {
    LocalDate date = LocalDate.now().minusDays(30);
    return new EnrolmentRequested("REF-" + who, who, new SteroidTreatment(SteroidKind.EPIDURAL_STEROID_INJECTION, date, true, true),
        PainPattern.RADICULAR, 7, false, List.of(ImagingFinding.DISC_DEGENERATION), 2, flags, date.minusMonths(3));
  }

  List<AlertRaised> alerts(String who, AlertType type) {
    return Outbound.events(Topics.ALERTS, AlertRaised.class, who).stream().filter(a -> a.type() == type).toList();
  }

  static Map<String, String> headers(String... kv) {
    var m = new java.util.HashMap<>(BINARY);
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void shouldAlertOnceForEveryKindOfUnreadableRedFlagAndGoOn() {
    // given: one patient per bad record, all on the same topics as good records
    String malformed = newPatientRef();
    String noObservedAt = newPatientRef();
    String extraProperty = newPatientRef();
    String unknownCode = newPatientRef();
    String badEnrolment = newPatientRef();
    String structured = newPatientRef();

    // when
    Hospital.sendRaw(Topics.CLINICAL_OBSERVATIONS, malformed, "{\"patientRef\": \"x\", \"flag\": BLADDER".getBytes(StandardCharsets.UTF_8),
        headers("ce_id", UUID.randomUUID().toString(), "ce_type", "pathway.redflag.raised.v1"));
    Hospital.sendRaw(Topics.CLINICAL_OBSERVATIONS, noObservedAt,
        ("{\"patientRef\":\"" + noObservedAt + "\",\"flag\":\"BLADDER_DYSFUNCTION\"}").getBytes(StandardCharsets.UTF_8),
        headers("ce_id", UUID.randomUUID().toString(), "ce_type", "pathway.redflag.raised.v1"));
    Hospital.sendRaw(Topics.CLINICAL_OBSERVATIONS, extraProperty,
        ("{\"patientRef\":\"" + extraProperty + "\",\"flag\":\"SADDLE_ANESTHESIA\",\"observedAt\":\"" + Instant.now()
            + "\",\"note\":\"Mrs Example, 12 High Street\"}").getBytes(StandardCharsets.UTF_8),
        headers("ce_id", UUID.randomUUID().toString(), "ce_type", "pathway.redflag.raised.v1"));
    Hospital.sendRaw(Topics.CLINICAL_OBSERVATIONS, unknownCode,
        ("{\"patientRef\":\"" + unknownCode + "\",\"flag\":\"URINARY_RETENTION\",\"observedAt\":\"" + Instant.now() + "\"}")
            .getBytes(StandardCharsets.UTF_8),
        headers("ce_id", UUID.randomUUID().toString(), "ce_type", "pathway.redflag.raised.v1"));
    Hospital.sendRaw(Topics.PATHWAY_ENROLMENTS, badEnrolment,
        ("{\"referralId\":\"REF-" + badEnrolment + "\",\"patientRef\":\"" + badEnrolment + "\",\"steroidTreatment\":{\"kind\":"
            + "\"ORAL_CORTICOSTEROID\",\"date\":\"2026-11-01\"},\"painPattern\":\"RADICULAR\",\"baselinePainScore\":7,"
            + "\"priorSpineSurgery\":false,\"imagingFindings\":[],\"neuropathicScore\":2,\"redFlags\":[\"BOWEL_DYSFUNCTION\"]}")
            .getBytes(StandardCharsets.UTF_8),
        headers("ce_id", UUID.randomUUID().toString(), "ce_type", "pathway.enrolment.requested.v1"));
    Hospital.sendRaw(Topics.CLINICAL_OBSERVATIONS, structured,
        ("{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"source\":\"urn:x\",\"type\":\"pathway.redflag.raised.v1\","
            + "\"data\":{\"patientRef\":\"" + structured + "\",\"flag\":\"FOOT_DROP\"}}").getBytes(StandardCharsets.UTF_8),
        Map.of("content-type", "application/cloudevents+json"));
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised(patient, RedFlag.FOOT_DROP, Instant.now()));

    // then: each in its DLT with its reason, one CRITICAL alert each, and the next good record processed
    for (String who : List.of(malformed, noObservedAt, extraProperty, unknownCode, structured)) {
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        assertThat(Outbound.deadLetters(Topics.CLINICAL_OBSERVATIONS, who)).singleElement()
            .satisfies(r -> assertThat(r.header(DeadLetterHeaders.REASON)).isIn("MALFORMED", "SCHEMA_VIOLATION"));
        assertThat(alerts(who, AlertType.UNREADABLE_RED_FLAG)).singleElement()
            .satisfies(a -> assertThat(a.severity()).isEqualTo(Severity.CRITICAL));
      });
    }
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(Outbound.deadLetters(Topics.PATHWAY_ENROLMENTS, badEnrolment)).singleElement()
          .satisfies(r -> assertThat(r.header(DeadLetterHeaders.REASON)).isEqualTo("SCHEMA_VIOLATION"));
      assertThat(alerts(badEnrolment, AlertType.UNREADABLE_RED_FLAG)).singleElement()
          .satisfies(a -> assertThat(a.message()).contains("BOWEL_DYSFUNCTION", "cauda equina"));
      assertThat(alerts(patient, AlertType.RED_FLAG)).hasSize(1);
    });
    assertThat(alerts(noObservedAt, AlertType.UNREADABLE_RED_FLAG).get(0).message()).contains("BLADDER_DYSFUNCTION");
    assertThat(alerts(unknownCode, AlertType.UNREADABLE_RED_FLAG).get(0).message()).doesNotContain("URINARY");
    assertThat(alerts(extraProperty, AlertType.UNREADABLE_RED_FLAG).get(0).message()).doesNotContain("Example", "High Street");
    assertThat(Outbound.deadLetters(Topics.CLINICAL_OBSERVATIONS, extraProperty).get(0).headers().keySet())
        .noneMatch(h -> h.contains("exception-message") || h.contains("stacktrace"));
  }

  @Test
  void shouldEscalateARedFlagInFullAfterThePathwayEnded() {
    // given: a pathway that ended (withdrawn)
    Hospital.send(Topics.PATHWAY_ENROLMENTS, enrolment(patient, List.of()));
    await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForList(
        "select pathway_id from pathway.pathway_ref where patient_ref = ?", String.class, patient).size() == 1);
    Hospital.send(Topics.PATHWAY_ENROLMENTS, new WithdrawalRequested("REF-" + patient, patient, "moved away"));
    await().atMost(Duration.ofSeconds(30)).until(() -> Outbound.events(Topics.STATUS, PathwayCompleted.class, patient).size() == 1);

    // when: bladder dysfunction is reported
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised(patient, RedFlag.BLADDER_DYSFUNCTION, Instant.now()));

    // then: the emergency referral, the critical alert, and a coordinator's confirmation task with its deadline
    ReferralIssued referral = await().atMost(Duration.ofSeconds(30)).until(
        () -> Outbound.events(Topics.REFERRALS, ReferralIssued.class, patient), l -> !l.isEmpty()).get(0);
    assertThat(referral.urgency()).isEqualTo(Urgency.EMERGENCY);
    await().atMost(Duration.ofSeconds(30)).until(() -> alerts(patient, AlertType.RED_FLAG).size() == 1);
    assertThat(alerts(patient, AlertType.RED_FLAG).get(0).severity()).isEqualTo(Severity.CRITICAL);
    Tasklist.Task transfer = tasklist.await(Tasklist.COORDINATOR, Tasks.CONFIRM_EMERGENCY_TRANSFER, patient);
    assertThat(Instant.parse(transfer.due().replaceFirst("([+-]\\d\\d)(\\d\\d)$", "$1:$2")))
        .isBefore(Instant.now().plus(Duration.ofMinutes(31)));
    // and it is on the patient's record, beside the ended pathway
    assertThat(rest.withBasicAuth("coordinator", "coordinator").getForObject("/api/pathways?patientRef={p}", String.class, patient))
        .contains("ESCALATION", "WITHDRAWN", referral.pathwayId());
    tasklist.completeWhenReady(Tasklist.COORDINATOR, Tasks.CONFIRM_EMERGENCY_TRANSFER, patient,
        Map.of("emergencyTransferConfirmed", true, "transferNote", "Neurosurgery at 10:40"));
    await().atMost(Duration.ofSeconds(30)).until(() -> "REFERRED_EMERGENCY_SURGERY".equals(jdbc.queryForObject(
        "select outcome from pathway.escalation where patient_ref = ?", String.class, patient)));
  }

  @Test
  void shouldCarryAnEarlierRedFlagIntoAnEnrolmentStartedInTasklist() {
    // given: saddle anaesthesia reported before the patient is enrolled
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised(patient, RedFlag.SADDLE_ANESTHESIA, Instant.now()));
    tasklist.await(Tasklist.COORDINATOR, Tasks.CONFIRM_EMERGENCY_TRANSFER, patient);

    // when: a coordinator enrols the patient with the start form (no red flag ticked)
    ResponseEntity<String> started = start(Map.of("referralId", "REF-" + patient, "patientRef", patient,
        "steroidKind", "ORAL_CORTICOSTEROID", "steroidDate", LocalDate.now().minusDays(20).toString(), "painPattern", "RADICULAR",
        "baselinePainScore", 6, "neuropathicScore", 1, "priorSpineSurgery", false, "redFlags", "", "imagingFindings", ""));

    // then: the pathway is on the red-flag route, with the one escalation already under way
    assertThat(started.getStatusCode()).isEqualTo(HttpStatus.OK);
    await().atMost(Duration.ofSeconds(30)).until(() -> "RED_FLAG_ESCALATION".equals(jdbc.queryForObject(
        "select stage from pathway.pathway_ref where referral_id = ?", String.class, "REF-" + patient)));
    assertThat(tasklist.tasks(Tasklist.COORDINATOR, Tasks.CONFIRM_EMERGENCY_TRANSFER, patient)).hasSize(1);
    assertThat(tasklist.tasks(Tasklist.COORDINATOR, Tasks.RECORD_FOLLOW_UP_ASSESSMENT, patient)).isEmpty();

    // and the confirmation ends both, as one referral
    tasklist.completeWhenReady(Tasklist.COORDINATOR, Tasks.CONFIRM_EMERGENCY_TRANSFER, patient,
        Map.of("emergencyTransferConfirmed", true, "transferNote", "Neurosurgery at 11:05"));
    PathwayCompleted done = await().atMost(Duration.ofSeconds(30)).until(
        () -> Outbound.events(Topics.STATUS, PathwayCompleted.class, patient), l -> !l.isEmpty()).get(0);
    assertThat(done.outcome()).isEqualTo(PathwayOutcome.REFERRED_EMERGENCY_SURGERY);
    assertThat(Outbound.events(Topics.REFERRALS, ReferralIssued.class, patient)).hasSize(1);
    // the escalation the pathway waited for is on its timeline: the red flag, the referral, the confirmation
    assertThat(rest.withBasicAuth("coordinator", "coordinator").getForObject("/api/pathways/{id}/timeline", String.class,
        "REF-" + patient)).contains("\"RED_FLAG\"", "\"REFERRAL\"", "Task_ConfirmEmergencyTransfer");
  }

  @Test
  void shouldRefuseAStartWhoseRedFlagIsNotACodeAndStartNothing() {
    ResponseEntity<String> started = start(Map.of("referralId", "REF-" + patient, "patientRef", patient,
        "steroidKind", "ORAL_CORTICOSTEROID", "steroidDate", LocalDate.now().minusDays(20).toString(), "painPattern", "RADICULAR",
        "baselinePainScore", 6, "neuropathicScore", 1, "priorSpineSurgery", false, "redFlags", "saddle anaesthesia"));

    assertThat(started.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(started.getBody()).contains("redFlags", "SADDLE_ANESTHESIA");
    assertThat(jdbc.queryForObject("select count(*) from pathway.pathway_ref where patient_ref = ?", Integer.class, patient)).isZero();
  }

  @Test
  void shouldNeverLetAWithdrawalCancelAnUnconfirmedEscalation() {
    // given: cauda equina signs at enrolment
    Hospital.send(Topics.PATHWAY_ENROLMENTS, enrolment(patient, List.of(RedFlag.BOWEL_DYSFUNCTION)));
    Tasklist.Task transfer = tasklist.await(Tasklist.COORDINATOR, Tasks.CONFIRM_EMERGENCY_TRANSFER, patient);
    String pathwayId = jdbc.queryForObject("select pathway_id from pathway.pathway_ref where patient_ref = ?", String.class, patient);

    // when: a withdrawal by event, then one by a coordinator through the API
    Hospital.send(Topics.PATHWAY_ENROLMENTS, new WithdrawalRequested("REF-" + patient, patient, "transferred out"));
    await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
        "select count(*) from pathway.journal where patient_ref = ? and ce_type = 'pathway.withdrawal.requested.v1'", Integer.class, patient) == 1);
    ResponseEntity<Map> viaApi = rest.withBasicAuth("coordinator", "coordinator").postForEntity("/api/pathways/{id}/withdrawal",
        Map.of("reason", "patient asked to leave"), Map.class, pathwayId);

    // then: the escalation runs on with the same task; only its confirmation ends the pathway
    assertThat(viaApi.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
    assertThat(tasklist.tasks(Tasklist.COORDINATOR, Tasks.CONFIRM_EMERGENCY_TRANSFER, patient))
        .singleElement().satisfies(t -> assertThat(t.id()).isEqualTo(transfer.id()));
    assertThat(Outbound.events(Topics.STATUS, PathwayCompleted.class, patient)).isEmpty();
    tasklist.completeWhenReady(Tasklist.COORDINATOR, Tasks.CONFIRM_EMERGENCY_TRANSFER, patient,
        Map.of("emergencyTransferConfirmed", true, "transferNote", "Neurosurgery at 09:50"));
    PathwayCompleted done = await().atMost(Duration.ofSeconds(30)).until(
        () -> Outbound.events(Topics.STATUS, PathwayCompleted.class, patient), l -> !l.isEmpty()).get(0);
    assertThat(done.outcome()).isEqualTo(PathwayOutcome.REFERRED_EMERGENCY_SURGERY);
  }

  @Test
  void shouldKeepTheEscalationOpenWhenTheCoordinatorAnswersNotConfirmed() {
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised(patient, RedFlag.BLADDER_DYSFUNCTION, Instant.now()));
    Tasklist.Task transfer = tasklist.await(Tasklist.COORDINATOR, Tasks.CONFIRM_EMERGENCY_TRANSFER, patient);

    assertThat(tasklist.complete(Tasklist.COORDINATOR, transfer,
        Map.of("emergencyTransferConfirmed", false, "transferNote", "no bed available"))).isEqualTo(204);

    await().atMost(Duration.ofSeconds(30)).until(() -> alerts(patient, AlertType.ESCALATION).size() == 1);
    assertThat(alerts(patient, AlertType.ESCALATION).get(0).severity()).isEqualTo(Severity.CRITICAL);
    Tasklist.Task again = tasklist.await(Tasklist.COORDINATOR, Tasks.CONFIRM_EMERGENCY_TRANSFER, patient);
    assertThat(again.due()).isEqualTo(transfer.due());
    assertThat(jdbc.queryForObject("select count(*) from pathway.escalation where patient_ref = ? and ended_at is null",
        Integer.class, patient)).isEqualTo(1);
  }

  private ResponseEntity<String> start(Map<String, Object> variables) {
    StringBuilder body = new StringBuilder("{\"businessKey\":\"" + variables.get("referralId") + "\",\"variables\":{");
    variables.forEach((k, v) -> {
      if (body.charAt(body.length() - 1) != '{') {
        body.append(',');
      }
      body.append('"').append(k).append("\":{\"value\":").append(v instanceof String ? "\"" + v + "\"" : String.valueOf(v)).append('}');
    });
    body.append("}}");
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_JSON);
    return rest.withBasicAuth("coordinator", "coordinator").exchange("/engine-rest/process-definition/key/steroid-failure-escalation/start",
        HttpMethod.POST, new HttpEntity<>(body.toString(), headers), String.class);
  }
}
