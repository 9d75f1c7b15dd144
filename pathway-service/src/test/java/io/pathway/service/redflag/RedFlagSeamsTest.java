package io.pathway.service.redflag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pathway.bpmn.PathwayModel.Tasks;
import io.pathway.model.EventTypes;
import io.pathway.model.Topics;
import io.pathway.model.codes.AlertType;
import io.pathway.model.codes.CancelReason;
import io.pathway.model.codes.ImagingFinding;
import io.pathway.model.codes.OrderKind;
import io.pathway.model.codes.PainPattern;
import io.pathway.model.codes.PathwayOutcome;
import io.pathway.model.codes.RedFlag;
import io.pathway.model.codes.Severity;
import io.pathway.model.codes.SteroidKind;
import io.pathway.model.codes.Urgency;
import io.pathway.model.envelope.DeadLetterHeaders;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.model.events.AlertRaised;
import io.pathway.model.events.DiagnosticResult;
import io.pathway.model.events.EnrolmentRequested;
import io.pathway.model.events.FollowUpRecorded;
import io.pathway.model.events.OrderCancelled;
import io.pathway.model.events.OrderPlaced;
import io.pathway.model.events.PathwayCompleted;
import io.pathway.model.events.RedFlagRaised;
import io.pathway.model.events.ReferralIssued;
import io.pathway.model.events.SteroidTreatment;
import io.pathway.model.events.WithdrawalRequested;
import io.pathway.model.codes.DiagnosticTest;
import io.pathway.model.codes.TestOutcome;
import io.pathway.service.PathwayServiceTest;
import io.pathway.service.support.Hospital;
import io.pathway.service.support.JourneyTest;
import io.pathway.service.support.Outbound;
import io.pathway.service.support.Tasklist;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.TaskPermissions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * Red flags and patient identity where two mechanisms meet (issue 16, clinical review of 2026-12-06):
 * every case drives the packaged service through the topics or {@code /engine-rest} as a hospital system or a
 * coordinator would, and each failed before the change it proves.
 */
@PathwayServiceTest
class RedFlagSeamsTest extends JourneyTest {

  @Autowired
  DataSource dataSource;

  EnrolmentRequested enrolment(String who, String referralId, List<RedFlag> flags, Instant flagsObservedAt) {
    LocalDate date = LocalDate.now().minusDays(30);
    return new EnrolmentRequested(referralId, who, new SteroidTreatment(SteroidKind.EPIDURAL_STEROID_INJECTION, date, true, true),
        PainPattern.RADICULAR, 7, false, List.of(ImagingFinding.LARGE_DISC_HERNIATION), 2, flags, date.minusMonths(3), flagsObservedAt);
  }

  EnrolmentRequested enrolment(String who, String referralId, RedFlag... flags) {
    return enrolment(who, referralId, List.of(flags), null);
  }

  static List<AlertRaised> alerts(String who, AlertType type) {
    return Outbound.events(Topics.ALERTS, AlertRaised.class, who).stream().filter(a -> a.type() == type).toList();
  }

  static List<ReferralIssued> referrals(String who, Urgency urgency) {
    return Outbound.events(Topics.REFERRALS, ReferralIssued.class, who).stream().filter(r -> r.urgency() == urgency).toList();
  }

  void awaitPathway(String referralId) {
    await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
        "select count(*) from pathway.pathway_ref where referral_id = ?", Integer.class, referralId) == 1);
  }

  int activePathways(String who) {
    return jdbc.queryForObject("select count(*) from pathway.pathway_ref where patient_ref = ? and kind = 'PATHWAY' and ended_at is null",
        Integer.class, who);
  }

  static Instant due(Tasklist.Task task) {
    return Instant.parse(task.due().replaceFirst("([+-]\\d\\d)(\\d\\d)$", "$1:$2"));
  }

  // ------------------------------------------------------------------------------------------------ case 1 (F1)

  @Test
  void shouldTriageCaudaEquinaSignsListedAtEnrolmentWhileAnUrgentEscalationIsOpen() {
    // given: foot drop reported first, an urgent stand-alone escalation under way
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised(patient, RedFlag.FOOT_DROP, Instant.now()));
    tasklist.await(Tasklist.COORDINATOR, Tasks.CONFIRM_URGENT_SURGICAL_REFERRAL, patient);

    // when: the enrolment lists bladder dysfunction and saddle anaesthesia
    Instant observed = Instant.now().minus(Duration.ofMinutes(5)).truncatedTo(ChronoUnit.SECONDS);
    Hospital.send(Topics.PATHWAY_ENROLMENTS, enrolment(patient, "REF-" + patient,
        List.of(RedFlag.BLADDER_DYSFUNCTION, RedFlag.SADDLE_ANESTHESIA), observed));

    // then: the escalation is upgraded: emergency referral, critical alert, the 30-minute task from that observation
    Tasklist.Task transfer = tasklist.await(Tasklist.COORDINATOR, Tasks.CONFIRM_EMERGENCY_TRANSFER, patient);
    assertThat(due(transfer)).isEqualTo(observed.plus(Duration.ofMinutes(30)));
    await().atMost(Duration.ofSeconds(30)).until(() -> referrals(patient, Urgency.EMERGENCY).size() == 1);
    assertThat(alerts(patient, AlertType.RED_FLAG)).extracting(AlertRaised::severity).contains(Severity.CRITICAL);
    assertThat(tasklist.tasks(Tasklist.COORDINATOR, Tasks.CONFIRM_URGENT_SURGICAL_REFERRAL, patient)).isEmpty();
    // one escalation for the patient, which the new pathway waits for
    assertThat(jdbc.queryForObject("select count(*) from pathway.escalation where patient_ref = ?", Integer.class, patient)).isOne();
    tasklist.completeWhenReady(Tasklist.COORDINATOR, Tasks.CONFIRM_EMERGENCY_TRANSFER, patient,
        Map.of("emergencyTransferConfirmed", true, "transferNote", "Neurosurgery accepted at 10:10"));
    PathwayCompleted done = await().atMost(Duration.ofSeconds(30)).until(
        () -> Outbound.events(Topics.STATUS, PathwayCompleted.class, patient), l -> !l.isEmpty()).get(0);
    assertThat(done.outcome()).isEqualTo(PathwayOutcome.REFERRED_EMERGENCY_SURGERY);
  }

  // ------------------------------------------------------------------------------------------------ case 2 (F2)

  @Test
  void shouldTriageTheRedFlagsOfAReSentReferral() {
    // given: an enrolment without red flags
    Hospital.send(Topics.PATHWAY_ENROLMENTS, enrolment(patient, "REF-" + patient));
    awaitPathway("REF-" + patient);

    // when: the hospital sends the referral again, amended with saddle anaesthesia (a new ce_id)
    Hospital.send(Topics.PATHWAY_ENROLMENTS, enrolment(patient, "REF-" + patient, RedFlag.SADDLE_ANESTHESIA));

    // then: the pathway is interrupted and escalates as an emergency; still one pathway
    await().atMost(Duration.ofSeconds(30)).until(() -> referrals(patient, Urgency.EMERGENCY).size() == 1);
    tasklist.await(Tasklist.COORDINATOR, Tasks.CONFIRM_EMERGENCY_TRANSFER, patient);
    assertThat(alerts(patient, AlertType.RED_FLAG)).extracting(AlertRaised::severity).containsExactly(Severity.CRITICAL);
    assertThat(jdbc.queryForObject("select count(*) from pathway.pathway_ref where patient_ref = ?", Integer.class, patient)).isOne();
  }

  @Test
  void shouldRefuseAReferralSentForAnotherPatientAndAlertBoth() {
    // given: patient A's pathway
    Hospital.send(Topics.PATHWAY_ENROLMENTS, enrolment(patient, "REF-" + patient));
    awaitPathway("REF-" + patient);
    String other = newPatientRef();

    // when: A's referral id comes for patient B, with saddle anaesthesia
    Hospital.send(Topics.PATHWAY_ENROLMENTS, enrolment(other, "REF-" + patient, RedFlag.SADDLE_ANESTHESIA));

    // then: refused to the DLT with its reason, applied to neither; both patients are alerted, naming the other;
    // B's red flag reaches a person as an unreadable red flag
    Outbound.Received dead = await().atMost(Duration.ofSeconds(30)).until(
        () -> Outbound.deadLetters(Topics.PATHWAY_ENROLMENTS, other), l -> !l.isEmpty()).get(0);
    assertThat(dead.header(DeadLetterHeaders.REASON)).isEqualTo("PATIENT_MISMATCH");
    await().atMost(Duration.ofSeconds(30)).until(() -> alerts(patient, AlertType.IDENTITY_MISMATCH).size() == 1
        && alerts(other, AlertType.IDENTITY_MISMATCH).size() == 1 && alerts(other, AlertType.UNREADABLE_RED_FLAG).size() == 1);
    assertThat(alerts(patient, AlertType.IDENTITY_MISMATCH).get(0).message()).contains(other);
    assertThat(alerts(other, AlertType.IDENTITY_MISMATCH).get(0).message()).contains(patient);
    assertThat(jdbc.queryForObject("select count(*) from pathway.pathway_ref where patient_ref = ?", Integer.class, other)).isZero();
    assertThat(Outbound.events(Topics.REFERRALS, ReferralIssued.class, patient)).isEmpty();
    assertThat(jdbc.queryForObject("select count(*) from pathway.journal where patient_ref = ? and ce_type = ?", Integer.class,
        other, EventTypes.ENROLMENT_REQUESTED)).isZero();
  }

  // ------------------------------------------------------------------------------------------ cases 3 and 4 (F3, F5)

  @Test
  void shouldJoinASecondReferralToTheActivePathwaySoThatLaterRedFlagsStillEscalate() {
    // given: foot drop (a stand-alone urgent escalation), then two referrals for the patient
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised(patient, RedFlag.FOOT_DROP, Instant.now()));
    tasklist.await(Tasklist.COORDINATOR, Tasks.CONFIRM_URGENT_SURGICAL_REFERRAL, patient);
    Hospital.send(Topics.PATHWAY_ENROLMENTS, enrolment(patient, "REF-A-" + patient));
    awaitPathway("REF-A-" + patient);
    Hospital.send(Topics.PATHWAY_ENROLMENTS, enrolment(patient, "REF-B-" + patient));

    // then: the second joins the first (one active pathway) and a coordinator is told
    await().atMost(Duration.ofSeconds(30)).until(() -> alerts(patient, AlertType.SECOND_REFERRAL).size() == 1);
    assertThat(alerts(patient, AlertType.SECOND_REFERRAL).get(0).message()).contains("REF-B-" + patient, "REF-A-" + patient);
    assertThat(activePathways(patient)).isOne();

    // when: the urgent referral is confirmed, and bladder dysfunction is reported later
    tasklist.completeWhenReady(Tasklist.COORDINATOR, Tasks.CONFIRM_URGENT_SURGICAL_REFERRAL, patient,
        Map.of("urgentReferralConfirmed", true, "referralNote", "Spinal clinic tomorrow 09:00"));
    await().atMost(Duration.ofSeconds(30)).until(() -> activePathways(patient) == 0);
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised(patient, RedFlag.BLADDER_DYSFUNCTION, Instant.now()));

    // then: it gets its emergency referral and task; nothing waits for an escalation that ended
    await().atMost(Duration.ofSeconds(30)).until(() -> referrals(patient, Urgency.EMERGENCY).size() == 1);
    tasklist.await(Tasklist.COORDINATOR, Tasks.CONFIRM_EMERGENCY_TRANSFER, patient);
    assertThat(alerts(patient, AlertType.UNREADABLE_RED_FLAG)).isEmpty();
    assertThat(Outbound.deadLetters(Topics.CLINICAL_OBSERVATIONS, patient)).isEmpty();
  }

  @Test
  void shouldInterruptThePatientsPathwayAndCancelItsOrdersWhenASecondReferralBringsCaudaEquinaSigns() {
    // given: a pathway in its diagnostic work-up, with orders open at the hospital
    Hospital.send(Topics.PATHWAY_ENROLMENTS, enrolment(patient, "REF-" + patient));
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new FollowUpRecorded(patient, "EPIDURAL_STEROID_INJECTION", 20, true, Instant.now()));
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_FAILURE_HYPOTHESES, patient, Map.of());
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_DIAGNOSTIC_WORKUP, patient, Map.of());
    List<OrderPlaced> open = await().atMost(Duration.ofSeconds(30)).until(
        () -> Outbound.events(Topics.ORDERS, OrderPlaced.class, patient).stream().filter(o -> o.kind() == OrderKind.DIAGNOSTIC).toList(),
        l -> !l.isEmpty());

    // when: a second referral from another clinic lists bladder dysfunction
    Hospital.send(Topics.PATHWAY_ENROLMENTS, enrolment(patient, "REF-2-" + patient, RedFlag.BLADDER_DYSFUNCTION));

    // then: no second pathway; the one pathway escalates and every open order is cancelled towards the hospital
    await().atMost(Duration.ofSeconds(30)).until(() -> referrals(patient, Urgency.EMERGENCY).size() == 1);
    await().atMost(Duration.ofSeconds(30)).until(() -> Outbound.events(Topics.ORDERS, OrderCancelled.class, patient).size()
        >= Outbound.events(Topics.ORDERS, OrderPlaced.class, patient).size());
    assertThat(Outbound.events(Topics.ORDERS, OrderCancelled.class, patient)).extracting(OrderCancelled::orderId)
        .containsAll(open.stream().map(OrderPlaced::orderId).toList());
    assertThat(Outbound.events(Topics.ORDERS, OrderCancelled.class, patient)).extracting(OrderCancelled::reason)
        .containsOnly(CancelReason.RED_FLAG);
    assertThat(jdbc.queryForObject("select count(*) from pathway.pathway_ref where patient_ref = ? and kind = 'PATHWAY'",
        Integer.class, patient)).isOne();
    assertThat(alerts(patient, AlertType.SECOND_REFERRAL)).hasSize(1);
  }

  @Test
  void shouldRefuseASecondStartInTasklistForAPatientWithAnActivePathwayAndStillRaiseItsRedFlags() {
    // given: the patient's pathway
    Hospital.send(Topics.PATHWAY_ENROLMENTS, enrolment(patient, "REF-" + patient));
    awaitPathway("REF-" + patient);

    // when: a coordinator starts another enrolment for the patient, ticking bowel dysfunction
    ResponseEntity<String> started = rest.withBasicAuth("coordinator", "coordinator").exchange(
        "/engine-rest/process-definition/key/steroid-failure-escalation/submit-form", HttpMethod.POST,
        json(Map.of("variables", Map.of("referralId", Map.of("value", "REF-TL-" + patient), "patientRef", Map.of("value", patient),
            "steroidKind", Map.of("value", "ORAL_CORTICOSTEROID"), "steroidDate", Map.of("value", LocalDate.now().minusDays(20).toString()),
            "painPattern", Map.of("value", "RADICULAR"), "baselinePainScore", Map.of("value", 6), "neuropathicScore", Map.of("value", 1),
            "priorSpineSurgery", Map.of("value", false), "redFlags", Map.of("value", "BOWEL_DYSFUNCTION"),
            "imagingFindings", Map.of("value", "")))), String.class);

    // then: refused with the active pathway named, nothing started, and the red flag escalated on the patient's pathway
    assertThat(started.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
    assertThat(started.getBody()).contains("REF-" + patient, "BOWEL_DYSFUNCTION");
    assertThat(jdbc.queryForObject("select count(*) from pathway.pathway_ref where referral_id = ?", Integer.class, "REF-TL-" + patient))
        .isZero();
    await().atMost(Duration.ofSeconds(30)).until(() -> referrals(patient, Urgency.EMERGENCY).size() == 1);
    assertThat(referrals(patient, Urgency.EMERGENCY).get(0).referralId()).isEqualTo("REF-" + patient);
  }

  // ------------------------------------------------------------------------------------------------ case 5 (F6)

  @Test
  void shouldEscalateAValidRedFlagSentToAnotherInboundTopic() {
    Hospital.send(Topics.DIAGNOSTIC_RESULTS, new RedFlagRaised(patient, RedFlag.BLADDER_DYSFUNCTION, Instant.now()));

    await().atMost(Duration.ofSeconds(30)).until(() -> referrals(patient, Urgency.EMERGENCY).size() == 1);
    tasklist.await(Tasklist.COORDINATOR, Tasks.CONFIRM_EMERGENCY_TRANSFER, patient);
    assertThat(Outbound.deadLetters(Topics.DIAGNOSTIC_RESULTS, patient)).isEmpty();
  }

  @Test
  void shouldEscalateAStructuredRedFlagWithoutAContentTypeHeader() {
    String json = "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"source\":\"urn:hospital:ward\","
        + "\"type\":\"pathway.redflag.raised.v1\",\"data\":{\"patientRef\":\"" + patient + "\",\"flag\":\"SADDLE_ANESTHESIA\","
        + "\"observedAt\":\"" + Instant.now() + "\"}}";
    Hospital.sendRaw(Topics.CLINICAL_OBSERVATIONS, patient, json.getBytes(StandardCharsets.UTF_8), Map.of());

    await().atMost(Duration.ofSeconds(30)).until(() -> referrals(patient, Urgency.EMERGENCY).size() == 1);
    assertThat(Outbound.deadLetters(Topics.CLINICAL_OBSERVATIONS, patient)).isEmpty();
  }

  @Test
  void shouldAlertOnARedFlagPayloadUnderAnotherTypeOrAStructuredRedFlagThatFailsItsSchema() {
    // a flag payload sent as a follow-up, and a structured red flag (capitalised header) without its observation time
    String other = newPatientRef();
    Hospital.sendRaw(Topics.CLINICAL_OBSERVATIONS, patient, ("{\"patientRef\":\"" + patient + "\",\"flag\":\"SADDLE_ANESTHESIA\","
        + "\"observedAt\":\"" + Instant.now() + "\"}").getBytes(StandardCharsets.UTF_8), Map.of("ce_specversion", "1.0",
        "ce_id", UUID.randomUUID().toString(), "ce_source", "urn:hospital:ward", "ce_type", EventTypes.FOLLOW_UP_RECORDED,
        "content-type", "application/json"));
    Hospital.sendRaw(Topics.TREATMENT_OUTCOMES, other, ("{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID()
        + "\",\"source\":\"urn:hospital:ward\",\"type\":\"pathway.redflag.raised.v1\",\"data\":{\"patientRef\":\"" + other
        + "\",\"flag\":\"BOWEL_DYSFUNCTION\"}}").getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/cloudevents+json"));

    await().atMost(Duration.ofSeconds(30)).until(() -> alerts(patient, AlertType.UNREADABLE_RED_FLAG).size() == 1
        && alerts(other, AlertType.UNREADABLE_RED_FLAG).size() == 1);
    assertThat(alerts(patient, AlertType.UNREADABLE_RED_FLAG).get(0).severity()).isEqualTo(Severity.CRITICAL);
    assertThat(alerts(patient, AlertType.UNREADABLE_RED_FLAG).get(0).message()).contains("SADDLE_ANESTHESIA");
    assertThat(alerts(other, AlertType.UNREADABLE_RED_FLAG).get(0).message()).contains("BOWEL_DYSFUNCTION");
    assertThat(Outbound.deadLetters(Topics.CLINICAL_OBSERVATIONS, patient)).singleElement()
        .satisfies(d -> assertThat(d.header(DeadLetterHeaders.REASON)).isEqualTo("SCHEMA_VIOLATION"));
  }

  // ------------------------------------------------------------------------------------------------ case 6 (F7)

  @Test
  void shouldProcessARedFlagWhoseIdAnotherSourceUsedBefore() {
    // given: an event of the radiology system with some id (a result for an order not known yet: kept)
    String id = "100234-" + UUID.randomUUID().toString().substring(0, 8);
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
    Hospital.resend(Topics.DIAGNOSTIC_RESULTS, new EventEnvelope(id, EventTypes.DIAGNOSTIC_RESULT, URI.create("urn:hospital:ris"),
        patient, now, new DiagnosticResult("ORD-" + id, patient, DiagnosticTest.CONTRAST_MRI, TestOutcome.NEGATIVE, null, Instant.now())));
    await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
        "select count(*) from pathway.processed_event where ce_id = ?", Integer.class, id) == 1);

    // when: the ward sends a red flag with the same id
    Hospital.resend(Topics.CLINICAL_OBSERVATIONS, new EventEnvelope(id, EventTypes.RED_FLAG_RAISED, URI.create("urn:hospital:ward"),
        patient, now, new RedFlagRaised(patient, RedFlag.BOWEL_DYSFUNCTION, Instant.now())));

    // then: it is another event: processed, escalated
    await().atMost(Duration.ofSeconds(30)).until(() -> referrals(patient, Urgency.EMERGENCY).size() == 1);
    assertThat(jdbc.queryForList("select ce_source from pathway.processed_event where ce_id = ? order by ce_source", String.class, id))
        .containsExactly("urn:hospital:ris", "urn:hospital:ward");
  }

  // ------------------------------------------------------------------------------------------- case 7 (F8, F13)

  @Test
  void shouldCountTheDeadlineFromTheReceiptWhenTheObservationIsDatedInTheFuture() {
    Instant before = Instant.now();
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised(patient, RedFlag.SADDLE_ANESTHESIA, before.plus(Duration.ofDays(2))));

    Tasklist.Task transfer = tasklist.await(Tasklist.COORDINATOR, Tasks.CONFIRM_EMERGENCY_TRANSFER, patient);
    assertThat(due(transfer)).isBetween(before.plus(Duration.ofMinutes(29)), Instant.now().plus(Duration.ofMinutes(30)));
    await().atMost(Duration.ofSeconds(30)).until(() -> alerts(patient, AlertType.CLOCK_AHEAD).size() == 1);
    // the task says so
    Map<?, ?> note = rest.withBasicAuth("coordinator", "coordinator").getForObject("/engine-rest/task/{id}/variables/redFlagClockNote",
        Map.class, transfer.id());
    assertThat((String) note.get("value")).contains("not trusted");
  }

  @Test
  void shouldHoldAFollowUpDatedInTheFutureForAPerson() {
    // given: a pathway three days after its steroid
    LocalDate steroid = LocalDate.now().minusDays(3);
    Hospital.send(Topics.PATHWAY_ENROLMENTS, new EnrolmentRequested("REF-" + patient, patient,
        new SteroidTreatment(SteroidKind.ORAL_CORTICOSTEROID, steroid, null, null), PainPattern.RADICULAR, 6, false, List.of(), 1,
        List.of(), steroid.minusMonths(2)));
    awaitPathway("REF-" + patient);

    // when: a follow-up reporting sustained relief, assessed 25 days from now
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new FollowUpRecorded(patient, "ORAL_CORTICOSTEROID", 80, true,
        Instant.now().plus(Duration.ofDays(25))));

    // then: held in the inbox for a person, alerted, never applied: the pathway is not resolved
    await().atMost(Duration.ofSeconds(30)).until(() -> alerts(patient, AlertType.CLOCK_AHEAD).size() == 1);
    assertThat(jdbc.queryForList("select status || '/' || held_reason from pathway.inbox where record_key = ?", String.class, patient))
        .containsExactly("HELD/CLOCK_AHEAD");
    assertThat(jdbc.queryForObject("select count(*) from pathway.follow_up_fact f join pathway.pathway_ref p using (pathway_id) "
        + "where p.patient_ref = ?", Integer.class, patient)).isZero();
    assertThat(Outbound.events(Topics.STATUS, PathwayCompleted.class, patient)).isEmpty();
    assertThat(activePathways(patient)).isOne();
  }

  // ----------------------------------------------------------------------------------------- case 8 (F14, F15)

  @Test
  void shouldRefuseAWithdrawalNamingAnotherPatientsReferral() {
    Hospital.send(Topics.PATHWAY_ENROLMENTS, enrolment(patient, "REF-" + patient));
    awaitPathway("REF-" + patient);
    String other = newPatientRef();

    Hospital.send(Topics.PATHWAY_ENROLMENTS, new WithdrawalRequested("REF-" + patient, other, "transferred out"));

    Outbound.Received dead = await().atMost(Duration.ofSeconds(30)).until(
        () -> Outbound.deadLetters(Topics.PATHWAY_ENROLMENTS, other), l -> !l.isEmpty()).get(0);
    assertThat(dead.header(DeadLetterHeaders.REASON)).isEqualTo("PATIENT_MISMATCH");
    await().atMost(Duration.ofSeconds(30)).until(() -> alerts(patient, AlertType.IDENTITY_MISMATCH).size() == 1
        && alerts(other, AlertType.IDENTITY_MISMATCH).size() == 1);
    assertThat(activePathways(patient)).isOne();
    assertThat(Outbound.events(Topics.STATUS, PathwayCompleted.class, patient)).isEmpty();
  }

  @Test
  void shouldRefuseARedFlagWhoseKeyAndPayloadNameDifferentPatientsAndAlertBoth() {
    String other = newPatientRef();

    Hospital.sendKeyed(Topics.CLINICAL_OBSERVATIONS, patient, new RedFlagRaised(other, RedFlag.BLADDER_DYSFUNCTION, Instant.now()));

    Outbound.Received dead = await().atMost(Duration.ofSeconds(30)).until(
        () -> Outbound.deadLetters(Topics.CLINICAL_OBSERVATIONS, patient), l -> !l.isEmpty()).get(0);
    assertThat(dead.header(DeadLetterHeaders.REASON)).isEqualTo("PATIENT_MISMATCH");
    await().atMost(Duration.ofSeconds(30)).until(() -> alerts(patient, AlertType.UNREADABLE_RED_FLAG).size() == 1
        && alerts(other, AlertType.UNREADABLE_RED_FLAG).size() == 1);
    assertThat(alerts(patient, AlertType.UNREADABLE_RED_FLAG).get(0).message()).contains(other, "BLADDER_DYSFUNCTION");
    assertThat(alerts(other, AlertType.UNREADABLE_RED_FLAG).get(0).message()).contains(patient);
    assertThat(alerts(other, AlertType.UNREADABLE_RED_FLAG)).extracting(AlertRaised::severity).containsOnly(Severity.CRITICAL);
    // applied to neither: no escalation, no referral
    assertThat(jdbc.queryForObject("select count(*) from pathway.escalation where patient_ref in (?, ?)", Integer.class, patient, other))
        .isZero();
    assertThat(Outbound.events(Topics.REFERRALS, ReferralIssued.class, other)).isEmpty();
  }

  // ------------------------------------------------------------------------------------------------ case 9

  @Test
  void shouldLetACoordinatorClaimAndCompleteAnEmergencyTaskButNeverBuryIt() {
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised(patient, RedFlag.BLADDER_DYSFUNCTION, Instant.now()));
    Tasklist.Task transfer = tasklist.await(Tasklist.COORDINATOR, Tasks.CONFIRM_EMERGENCY_TRANSFER, patient);

    // when: a coordinator tries to lower its priority, move its due date and remove the coordinators from it
    ResponseEntity<String> update = asCoordinator("/engine-rest/task/{id}", HttpMethod.PUT,
        Map.of("name", "later", "priority", 0, "due", "2031-01-01T00:00:00.000+0000"), transfer.id());
    ResponseEntity<String> unlink = asCoordinator("/engine-rest/task/{id}/identity-links/delete", HttpMethod.POST,
        Map.of("groupId", "care-coordinators", "type", "candidate"), transfer.id());

    // then: refused, and the task keeps what the model gave it
    assertThat(List.of(update.getStatusCode(), unlink.getStatusCode())).containsOnly(HttpStatus.FORBIDDEN);
    Tasklist.Task after = tasklist.await(Tasklist.COORDINATOR, Tasks.CONFIRM_EMERGENCY_TRANSFER, patient);
    assertThat(after.priority()).isEqualTo(100);
    assertThat(due(after)).isEqualTo(due(transfer));
    assertThat(jdbc.queryForObject("select count(*) from act_ru_identitylink where task_id_ = ? and group_id_ = 'care-coordinators'",
        Integer.class, transfer.id())).isOne();
    // the engine's own permission for candidates is work, not update
    Integer perms = jdbc.queryForObject("select perms_ from act_ru_authorization where resource_id_ = ? and group_id_ = 'care-coordinators'",
        Integer.class, transfer.id());
    assertThat(perms & Permissions.UPDATE.getValue()).isZero();
    assertThat(perms & TaskPermissions.TASK_WORK.getValue()).isNotZero();

    // and the coordinator can still claim it, comment on it and complete it
    assertThat(asCoordinator("/engine-rest/task/{id}/claim", HttpMethod.POST, Map.of("userId", "coordinator"), transfer.id())
        .getStatusCode()).isEqualTo(HttpStatus.NO_CONTENT);
    ResponseEntity<String> comment = asCoordinator("/engine-rest/task/{id}/comment/create", HttpMethod.POST,
        Map.of("message", "Called on-call neurosurgery"), transfer.id());
    assertThat(comment.getStatusCode()).as(comment.getBody()).isEqualTo(HttpStatus.OK);
    assertThat(tasklist.complete(Tasklist.COORDINATOR, after, Map.of("emergencyTransferConfirmed", true,
        "transferNote", "Neurosurgery accepted at 11:20"))).isEqualTo(204);
  }

  // ------------------------------------------------------------------------------------------------ case 10 (F22)

  @Test
  void shouldCountAnEnrolmentRedFlagsDeadlineFromItsObservation() {
    Instant observed = Instant.now().minus(Duration.ofMinutes(20)).truncatedTo(ChronoUnit.SECONDS);

    Hospital.send(Topics.PATHWAY_ENROLMENTS, enrolment(patient, "REF-" + patient, List.of(RedFlag.BLADDER_DYSFUNCTION), observed));

    Tasklist.Task transfer = tasklist.await(Tasklist.COORDINATOR, Tasks.CONFIRM_EMERGENCY_TRANSFER, patient);
    assertThat(due(transfer)).isEqualTo(observed.plus(Duration.ofMinutes(30)));
  }

  // ------------------------------------------------------------------------------------------------ RF-12

  @Test
  void shouldKeepOneEscalationWhenAnEnrolmentGoesFirstAndARedFlagWaitsBehindIt() throws Exception {
    raceEnrolmentAndRedFlag(true);
  }

  @Test
  void shouldKeepOneEscalationWhenARedFlagGoesFirstAndAnEnrolmentWaitsBehindIt() throws Exception {
    raceEnrolmentAndRedFlag(false);
  }

  /**
   * Forces the interleaving: the test holds the patient's lock, sends the two records on their two topics in the
   * order given, waits until both consumers wait for the lock, then lets them go in that order.
   */
  private void raceEnrolmentAndRedFlag(boolean enrolmentFirst) throws Exception {
    try (Connection lock = dataSource.getConnection()) {
      lock.setAutoCommit(false);
      try (PreparedStatement s = lock.prepareStatement("select pg_advisory_xact_lock(hashtext(?))")) {
        s.setString(1, "red-flag:" + patient);
        s.execute();
      }
      int waitingBefore = waitingForAdvisoryLocks();
      Runnable enrol = () -> Hospital.send(Topics.PATHWAY_ENROLMENTS, enrolment(patient, "REF-" + patient));
      Runnable flag = () -> Hospital.send(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised(patient, RedFlag.BOWEL_DYSFUNCTION, Instant.now()));
      (enrolmentFirst ? enrol : flag).run();
      await().atMost(Duration.ofSeconds(30)).until(() -> waitingForAdvisoryLocks() == waitingBefore + 1);
      (enrolmentFirst ? flag : enrol).run();
      await().atMost(Duration.ofSeconds(30)).until(() -> waitingForAdvisoryLocks() == waitingBefore + 2);
      lock.commit();
    }

    // one escalation, one emergency referral, one task; the pathway is on the red-flag route
    await().atMost(Duration.ofSeconds(30)).until(() -> referrals(patient, Urgency.EMERGENCY).size() == 1);
    await().atMost(Duration.ofSeconds(30)).until(() -> "RED_FLAG_ESCALATION".equals(jdbc.queryForObject(
        "select stage from pathway.pathway_ref where referral_id = ?", String.class, "REF-" + patient)));
    tasklist.await(Tasklist.COORDINATOR, Tasks.CONFIRM_EMERGENCY_TRANSFER, patient);
    assertThat(jdbc.queryForObject("select count(*) from pathway.escalation where patient_ref = ?", Integer.class, patient)).isOne();
    assertThat(tasklist.tasks(Tasklist.COORDINATOR, Tasks.CONFIRM_EMERGENCY_TRANSFER, patient)).hasSize(1);
    assertThat(tasklist.tasks(Tasklist.COORDINATOR, Tasks.RECORD_FOLLOW_UP_ASSESSMENT, patient)).isEmpty();
    assertThat(referrals(patient, Urgency.EMERGENCY)).hasSize(1);
  }

  private int waitingForAdvisoryLocks() {
    return jdbc.queryForObject("select count(*) from pg_locks where locktype = 'advisory' and not granted", Integer.class);
  }

  private ResponseEntity<String> asCoordinator(String url, HttpMethod method, Map<String, Object> body, Object... params) {
    return rest.withBasicAuth("coordinator", "coordinator").exchange(url, method, json(body), String.class, params);
  }

  private static HttpEntity<Map<String, Object>> json(Map<String, Object> body) {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_JSON);
    return new HttpEntity<>(body, headers);
  }
}
