package io.pathway.service.redflag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pathway.bpmn.PathwayModel.Tasks;
import io.pathway.model.EventTypes;
import io.pathway.model.Topics;
import io.pathway.model.codes.AlertType;
import io.pathway.model.codes.CancelReason;
import io.pathway.model.codes.DiagnosticTest;
import io.pathway.model.codes.ImagingFinding;
import io.pathway.model.codes.OrderKind;
import io.pathway.model.codes.PainPattern;
import io.pathway.model.codes.PathwayOutcome;
import io.pathway.model.codes.RedFlag;
import io.pathway.model.codes.Severity;
import io.pathway.model.codes.ReferralCancelReason;
import io.pathway.model.codes.SteroidKind;
import io.pathway.model.codes.TestOutcome;
import io.pathway.model.codes.Urgency;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.model.events.AlertRaised;
import io.pathway.model.events.DiagnosticResult;
import io.pathway.model.events.EnrolmentRequested;
import io.pathway.model.events.Findings;
import io.pathway.model.events.FollowUpRecorded;
import io.pathway.model.events.OrderCancelled;
import io.pathway.model.events.OrderPlaced;
import io.pathway.model.events.PathwayCompleted;
import io.pathway.model.events.RedFlagRaised;
import io.pathway.model.events.ReferralCancelled;
import io.pathway.model.events.ReferralIssued;
import io.pathway.model.events.SteroidTreatment;
import io.pathway.model.events.TreatmentOutcome;
import io.pathway.model.events.WithdrawalRequested;
import io.pathway.service.PathwayServiceTest;
import io.pathway.service.support.Hospital;
import io.pathway.service.support.JourneyTest;
import io.pathway.service.support.Outbound;
import io.pathway.service.support.Tasklist;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * F20: a red flag or a withdrawal during the booking of an elective referral stands that referral down towards the
 * surgeon's office ({@code pathway.referral.cancelled.v1}), once, and never the red flag's own referral; a result for
 * an order the red flag cancelled reaches a person. Driven only through the topics and the task API, on the shared
 * context.
 */
@PathwayServiceTest
class ElectiveReferralStandDownTest extends JourneyTest {

  @Test
  void shouldStandDownTheIssuedElectiveReferralOnceWhenBladderDysfunctionInterruptsTheBooking() {
    // given an elective referral issued and its consult being booked
    ReferralIssued elective = referElectively();

    // when bladder dysfunction is reported
    EventEnvelope flag = Hospital.send(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised(patient, RedFlag.BLADDER_DYSFUNCTION, Instant.now()));

    // then the emergency referral goes out, and before it on the patient's partition the elective one is stood down
    await().atMost(Duration.ofSeconds(30)).until(() -> referrals(Urgency.EMERGENCY), l -> !l.isEmpty());
    assertThat(Outbound.events(Topics.REFERRALS, ReferralCancelled.class, patient)).singleElement().satisfies(c -> {
      assertThat(c.referralId()).isEqualTo(elective.referralId());
      assertThat(c.pathwayId()).isEqualTo(elective.pathwayId());
      assertThat(c.urgency()).isEqualTo(Urgency.ELECTIVE);
      assertThat(c.reason()).isEqualTo(ReferralCancelReason.RED_FLAG);
      assertThat(c.supersededBy()).isEqualTo(Urgency.EMERGENCY);
      assertThat(c.cancelledAt()).isNotNull();
    });
    assertThat(tasklist.tasks(Tasklist.COORDINATOR, Tasks.CONFIRM_SURGICAL_CONSULT_BOOKED, patient)).isEmpty();

    // when the same record comes again and a further flag follows, and the transfer is confirmed
    Hospital.resend(Topics.CLINICAL_OBSERVATIONS, flag);
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised(patient, RedFlag.SADDLE_ANESTHESIA, Instant.now()));
    await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
        "select count(*) from pathway.journal where patient_ref = ? and ce_type = ?", Integer.class, patient, EventTypes.RED_FLAG_RAISED) == 2);
    tasklist.completeWhenReady(Tasklist.COORDINATOR, Tasks.CONFIRM_EMERGENCY_TRANSFER, patient,
        Map.of("emergencyTransferConfirmed", true, "transferNote", "Accepted by on-call neurosurgery"));

    // then the pathway ends referred for emergency surgery; the stand-down was written once, on the timeline too,
    // and the emergency referral stands
    assertThat(completion().outcome()).isEqualTo(PathwayOutcome.REFERRED_EMERGENCY_SURGERY);
    assertThat(written(EventTypes.REFERRAL_CANCELLED)).isEqualTo(1);
    assertThat(jdbc.queryForObject("select count(*) from pathway.journal where pathway_id = ? and ce_type = ?", Integer.class,
        elective.pathwayId(), EventTypes.REFERRAL_CANCELLED)).isEqualTo(1);
    assertThat(Outbound.events(Topics.REFERRALS, ReferralCancelled.class, patient)).extracting(ReferralCancelled::urgency)
        .containsExactly(Urgency.ELECTIVE);
    assertThat(referrals(Urgency.EMERGENCY)).singleElement().satisfies(r -> assertThat(r.referralId()).isEqualTo(elective.referralId()));
    assertThat(jdbc.queryForObject("select cancel_reason from pathway.referral_issued where pathway_id = ? and urgency = 'ELECTIVE'",
        String.class, elective.pathwayId())).isEqualTo("RED_FLAG");
  }

  @Test
  void shouldCancelNoReferralWhenARedFlagComesBeforeAnyElectiveReferral() {
    // given a pathway in failure analysis: no referral issued
    Hospital.send(Topics.PATHWAY_ENROLMENTS, enrolment(List.of(ImagingFinding.LARGE_DISC_HERNIATION), 40));
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new FollowUpRecorded(patient, "EPIDURAL_STEROID_INJECTION", 20, true, Instant.now()));
    tasklist.await(Tasklist.CLINICIAN, Tasks.REVIEW_FAILURE_HYPOTHESES, patient);

    // when bladder dysfunction is reported
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised(patient, RedFlag.BLADDER_DYSFUNCTION, Instant.now()));

    // then the emergency referral goes out and nothing is cancelled on the referrals topic (a cancellation would come
    // before the referral on the patient's partition)
    await().atMost(Duration.ofSeconds(30)).until(() -> referrals(Urgency.EMERGENCY), l -> !l.isEmpty());
    assertThat(Outbound.events(Topics.REFERRALS, ReferralCancelled.class, patient)).isEmpty();
    assertThat(written(EventTypes.REFERRAL_CANCELLED)).isZero();
  }

  @Test
  void shouldStandDownTheIssuedElectiveReferralWhenThePatientIsWithdrawnDuringTheBooking() {
    // given an elective referral issued and its consult being booked
    ReferralIssued elective = referElectively();

    // when the patient is transferred out
    Hospital.send(Topics.PATHWAY_ENROLMENTS, new WithdrawalRequested(elective.referralId(), patient, "transferred out"));

    // then the pathway ends withdrawn and the referral is withdrawn towards the office, with nothing in its place
    assertThat(completion().outcome()).isEqualTo(PathwayOutcome.WITHDRAWN);
    ReferralCancelled cancelled = await().atMost(Duration.ofSeconds(30))
        .until(() -> Outbound.events(Topics.REFERRALS, ReferralCancelled.class, patient), l -> !l.isEmpty()).get(0);
    assertThat(cancelled.referralId()).isEqualTo(elective.referralId());
    assertThat(cancelled.urgency()).isEqualTo(Urgency.ELECTIVE);
    assertThat(cancelled.reason()).isEqualTo(ReferralCancelReason.WITHDRAWN);
    assertThat(cancelled.supersededBy()).isNull();
    assertThat(written(EventTypes.REFERRAL_CANCELLED)).isEqualTo(1);
    // and the FHIR ServiceRequest of the referral reads revoked, saying why
    String issuedEventId = Outbound.envelopes(Topics.REFERRALS, patient).stream()
        .filter(e -> e.data() instanceof ReferralIssued).findFirst().orElseThrow().id();
    await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForList(
        "select status, content from pathway.fhir_resource where resource_type = 'ServiceRequest' and resource_id = ?",
        "referral-" + issuedEventId.replaceAll("[^A-Za-z0-9\\-.]", "-")), rows -> rows.size() == 1
        && "revoked".equals(rows.get(0).get("status"))
        && rows.get(0).get("content").toString().contains("Withdrawn towards the surgeon's office: withdrawn"));
  }

  @Test
  void shouldTellAPersonOfAResultThatComesForAnOrderTheRedFlagCancelled() {
    // given a work-up ordered, then interrupted by a red flag: its orders are cancelled towards the hospital
    Hospital.send(Topics.PATHWAY_ENROLMENTS, enrolment(List.of(ImagingFinding.LARGE_DISC_HERNIATION), 40));
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new FollowUpRecorded(patient, "EPIDURAL_STEROID_INJECTION", 20, true, Instant.now()));
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_FAILURE_HYPOTHESES, patient, Map.of());
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_DIAGNOSTIC_WORKUP, patient, Map.of());
    OrderPlaced pending = await().atMost(Duration.ofSeconds(30)).until(() -> orders(OrderKind.DIAGNOSTIC), l -> !l.isEmpty()).get(0);
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised(patient, RedFlag.BLADDER_DYSFUNCTION, Instant.now()));
    await().atMost(Duration.ofSeconds(30)).until(() -> Outbound.events(Topics.ORDERS, OrderCancelled.class, patient).stream()
        .anyMatch(c -> c.orderId().equals(pending.orderId()) && c.reason() == CancelReason.RED_FLAG));

    // when the hospital still sends its result
    Hospital.send(Topics.DIAGNOSTIC_RESULTS, positive(pending));

    // then it is not a silent fact: a HIGH LATE_RESULT alert names the order and why it was cancelled
    AlertRaised late = await().atMost(Duration.ofSeconds(30)).until(() -> Outbound.events(Topics.ALERTS, AlertRaised.class, patient)
        .stream().filter(a -> a.type() == AlertType.LATE_RESULT).toList(), l -> !l.isEmpty()).get(0);
    assertThat(late.severity()).isEqualTo(Severity.HIGH);
    assertThat(late.message()).contains(pending.orderId(), "RED_FLAG");
  }

  /**
   * F9 with F20: the lab corrects the root block the elective referral rests on. The mechanical source is no longer
   * confirmed, so the referral is stood down (EVIDENCE_WITHDRAWN) and a clinician decides again.
   */
  @Test
  void shouldStandDownTheElectiveReferralWhenTheRootBlockItRestsOnIsCorrectedToNegative() {
    ReferralIssued elective = referElectively();
    OrderPlaced block = orders(OrderKind.DIAGNOSTIC).stream().filter(o -> o.code().equals("SELECTIVE_NERVE_ROOT_BLOCK")).findFirst()
        .orElseThrow();

    Hospital.send(Topics.DIAGNOSTIC_RESULTS, new DiagnosticResult(block.orderId(), patient, DiagnosticTest.SELECTIVE_NERVE_ROOT_BLOCK,
        TestOutcome.NEGATIVE, new Findings(null, "L5", 10, null, null, "LEFT"), Instant.now()));

    ReferralCancelled cancelled = await().atMost(Duration.ofSeconds(30))
        .until(() -> Outbound.events(Topics.REFERRALS, ReferralCancelled.class, patient), l -> !l.isEmpty()).get(0);
    assertThat(cancelled.referralId()).isEqualTo(elective.referralId());
    assertThat(cancelled.reason()).isEqualTo(ReferralCancelReason.EVIDENCE_WITHDRAWN);
    assertThat(cancelled.supersededBy()).isNull();
    tasklist.await(Tasklist.CLINICIAN, Tasks.REVIEW_FAILURE_HYPOTHESES, patient);
    assertThat(tasklist.tasks(Tasklist.COORDINATOR, Tasks.CONFIRM_SURGICAL_CONSULT_BOOKED, patient)).isEmpty();
    assertThat(Outbound.events(Topics.ALERTS, AlertRaised.class, patient)).filteredOn(a -> a.type() == AlertType.RESULT_CORRECTED)
        .singleElement().satisfies(a -> assertThat(a.message()).contains("elective surgical referral", "withdrawn"));
    assertThat(Outbound.events(Topics.STATUS, PathwayCompleted.class, patient)).isEmpty();
  }

  // ---- the journey to an elective referral (as PathwayJourneyTest#shouldReferElectivelyAfterNinetyDays...)

  EnrolmentRequested enrolment(List<ImagingFinding> imaging, int daysAgo) {
    LocalDate date = LocalDate.now().minusDays(daysAgo);
    return new EnrolmentRequested("REF-" + patient, patient,
        new SteroidTreatment(SteroidKind.EPIDURAL_STEROID_INJECTION, date, true, true),
        PainPattern.RADICULAR, 7, false, imaging, 2, List.of(), date.minusMonths(3)).withImagingLesion("L4-L5",
        io.pathway.model.codes.LesionSide.LEFT);
  }

  /**
   * A herniation at L4-L5 on the left, the epidural injection's failure documented 95 days ago, a positive left L5 root
   * block, physical therapy failed: the elective referral, issued.
   */
  ReferralIssued referElectively() {
    Hospital.send(Topics.PATHWAY_ENROLMENTS, enrolment(List.of(ImagingFinding.LARGE_DISC_HERNIATION), 120));
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new FollowUpRecorded(patient, "EPIDURAL_STEROID_INJECTION", 20, true,
        Instant.now().minus(Duration.ofDays(95))));
    for (int round = 0; round < 1; round++) {
      acceptRound(diagnosticOrders());
      OrderPlaced procedure = awaitProcedure(round);
      tasklist.completeWhenReady(Tasklist.COORDINATOR, Tasks.SCHEDULE_PROCEDURE, patient,
          Map.of("scheduledFor", LocalDate.now().minusDays(60).toString()));
      Hospital.send(Topics.TREATMENT_OUTCOMES, new TreatmentOutcome(patient, procedure.orderId(), procedure.code(), 10, Instant.now()));
    }
    acceptRound(diagnosticOrders());
    ReferralIssued referral = await().atMost(Duration.ofSeconds(30)).until(() -> referrals(Urgency.ELECTIVE), l -> !l.isEmpty()).get(0);
    tasklist.await(Tasklist.COORDINATOR, Tasks.CONFIRM_SURGICAL_CONSULT_BOOKED, patient);
    return referral;
  }

  private OrderPlaced awaitProcedure(int round) {
    return await().atMost(Duration.ofSeconds(30)).until(() -> orders(OrderKind.PROCEDURE), l -> l.size() > round).get(round);
  }

  /** One round: hypotheses and work-up accepted, every new test positive, diagnosis and proposal accepted. */
  private void acceptRound(int diagnosticOrdersBefore) {
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_FAILURE_HYPOTHESES, patient, Map.of());
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_DIAGNOSTIC_WORKUP, patient, Map.of());
    await().atMost(Duration.ofSeconds(30)).until(() -> !tasklist.tasks(Tasklist.CLINICIAN, Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS, patient).isEmpty()
        || diagnosticOrders() > diagnosticOrdersBefore);
    orders(OrderKind.DIAGNOSTIC).stream().skip(diagnosticOrdersBefore).forEach(o -> Hospital.send(Topics.DIAGNOSTIC_RESULTS, positive(o)));
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS, patient, Map.of());
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.CONFIRM_TREATMENT, patient, Map.of());
  }

  private static DiagnosticResult positive(OrderPlaced order) {
    DiagnosticTest test = DiagnosticTest.valueOf(order.code());
    Findings findings = switch (test) {
      case CONTRAST_MRI -> new Findings(io.pathway.model.codes.MriFinding.RECURRENT_HERNIATION, null, null, null, null, null);
      case SELECTIVE_NERVE_ROOT_BLOCK -> new Findings(null, "L5", 90, null, null, "LEFT");
      case DISCOGRAPHY -> new Findings(null, "L4-L5", null, true, true, null);
      case MEDIAL_BRANCH_BLOCK, SI_JOINT_BLOCK -> new Findings(null, "L4-L5", 90, null, null, "BILATERAL");
    };
    return new DiagnosticResult(order.orderId(), order.patientRef(), test, TestOutcome.POSITIVE, findings, Instant.now());
  }

  private List<OrderPlaced> orders(OrderKind kind) {
    return Outbound.events(Topics.ORDERS, OrderPlaced.class, patient).stream().filter(o -> o.kind() == kind).toList();
  }

  private int diagnosticOrders() {
    return orders(OrderKind.DIAGNOSTIC).size();
  }

  private List<ReferralIssued> referrals(Urgency urgency) {
    return Outbound.events(Topics.REFERRALS, ReferralIssued.class, patient).stream().filter(r -> r.urgency() == urgency).toList();
  }

  private PathwayCompleted completion() {
    return await().atMost(Duration.ofSeconds(30)).until(() -> Outbound.events(Topics.STATUS, PathwayCompleted.class, patient),
        l -> !l.isEmpty()).get(0);
  }

  /** Events of this type the service wrote to its outbox for the patient (published or not). */
  private int written(String type) {
    return jdbc.queryForObject("select count(*) from pathway.outbox where record_key = ? and ce_type = ?", Integer.class, patient, type);
  }
}
