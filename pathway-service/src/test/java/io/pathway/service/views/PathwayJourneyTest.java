package io.pathway.service.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pathway.bpmn.PathwayModel.Tasks;
import io.pathway.model.Topics;
import io.pathway.model.codes.CancelReason;
import io.pathway.model.codes.DiagnosticTest;
import io.pathway.model.codes.ImagingFinding;
import io.pathway.model.codes.OrderKind;
import io.pathway.model.codes.PainPattern;
import io.pathway.model.codes.PathwayOutcome;
import io.pathway.model.codes.RedFlag;
import io.pathway.model.codes.ReferralReason;
import io.pathway.model.codes.Severity;
import io.pathway.model.codes.SteroidKind;
import io.pathway.model.codes.TestOutcome;
import io.pathway.model.codes.Urgency;
import io.pathway.model.events.AlertRaised;
import io.pathway.model.events.DiagnosticResult;
import io.pathway.model.events.EnrolmentRequested;
import io.pathway.model.events.Findings;
import io.pathway.model.events.FollowUpRecorded;
import io.pathway.model.events.OrderCancelled;
import io.pathway.model.events.OrderPlaced;
import io.pathway.model.events.PathwayCompleted;
import io.pathway.model.events.RedFlagRaised;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Whole journeys driven only as a hospital and Tasklist users drive them: events on topics, tasks through the task API. */
@PathwayServiceTest
class PathwayJourneyTest extends JourneyTest {

  @org.springframework.beans.factory.annotation.Autowired
  org.camunda.bpm.engine.ManagementService management;


  EnrolmentRequested enrolment(PainPattern pattern, List<ImagingFinding> imaging, int daysAgo, boolean priorSurgery, List<RedFlag> flags) {
    LocalDate date = LocalDate.now().minusDays(daysAgo);
    return new EnrolmentRequested("REF-" + patient, patient,
        new SteroidTreatment(SteroidKind.EPIDURAL_STEROID_INJECTION, date, true, true),
        pattern, 7, priorSurgery, imaging, 2, flags, date.minusMonths(3));
  }

  void failSteroid() {
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new FollowUpRecorded(patient, "EPIDURAL_STEROID_INJECTION", 20, true, Instant.now()));
  }

  PathwayCompleted completion() {
    return await().atMost(Duration.ofSeconds(30)).until(() -> Outbound.events(Topics.STATUS, PathwayCompleted.class, patient),
        l -> !l.isEmpty()).get(0);
  }

  List<OrderPlaced> orders(OrderKind kind, int atLeast) {
    return await().atMost(Duration.ofSeconds(30)).until(
        () -> Outbound.events(Topics.ORDERS, OrderPlaced.class, patient).stream().filter(o -> o.kind() == kind).toList(),
        l -> l.size() >= atLeast);
  }

  static DiagnosticResult positive(OrderPlaced order) {
    DiagnosticTest test = DiagnosticTest.valueOf(order.code());
    Findings findings = switch (test) {
      case CONTRAST_MRI -> new Findings(io.pathway.model.codes.MriFinding.RECURRENT_HERNIATION, null, null, null, null, null);
      case SELECTIVE_NERVE_ROOT_BLOCK -> new Findings(null, "L5", 90, null, null, "LEFT");
      case DISCOGRAPHY -> new Findings(null, "L4-L5", null, true, true, null);
      case MEDIAL_BRANCH_BLOCK, SI_JOINT_BLOCK -> new Findings(null, "L4-L5", 90, null, null, "BILATERAL");
    };
    return new DiagnosticResult(order.orderId(), order.patientRef(), test, TestOutcome.POSITIVE, findings, Instant.now());
  }

  @Test
  void shouldResolveAfterTheSteroidWhenTheFollowUpShowsRelief() {
    Hospital.send(Topics.PATHWAY_ENROLMENTS, enrolment(PainPattern.RADICULAR, List.of(ImagingFinding.DISC_DEGENERATION), 28, false, List.of()));

    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new FollowUpRecorded(patient, "EPIDURAL_STEROID_INJECTION", 50, true, Instant.now()));

    assertThat(completion().outcome()).isEqualTo(PathwayOutcome.RESOLVED_AFTER_STEROID);
  }

  @Test
  void shouldAblateConfirmedFacetPainWithResultsAndOutcomeFromTheHospital() {
    Hospital.send(Topics.PATHWAY_ENROLMENTS, enrolment(PainPattern.AXIAL, List.of(ImagingFinding.FACET_ARTHROPATHY), 40, false, List.of()));
    failSteroid();

    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_FAILURE_HYPOTHESES, patient, Map.of());
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_DIAGNOSTIC_WORKUP, patient, Map.of());
    List<OrderPlaced> tests = orders(OrderKind.DIAGNOSTIC, 1);
    assertThat(tests).extracting(OrderPlaced::code).contains("MEDIAL_BRANCH_BLOCK");
    // results in reverse order of the orders
    List<OrderPlaced> reversed = new ArrayList<>(tests);
    java.util.Collections.reverse(reversed);
    reversed.forEach(o -> Hospital.send(Topics.DIAGNOSTIC_RESULTS, positive(o)));
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS, patient, Map.of());
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.CONFIRM_TREATMENT, patient, Map.of());
    OrderPlaced procedure = orders(OrderKind.PROCEDURE, 1).get(0);
    assertThat(procedure.code()).isEqualTo("RADIOFREQUENCY_ABLATION");
    // the ablation order names the joint, side and level the recorded block confirmed
    assertThat(procedure.reason()).contains("FACET_JOINT_PAIN", "MEDIAL_BRANCH_BLOCK POSITIVE", "side BILATERAL", "level L4-L5");
    // the outcome arrives before the coordinator has scheduled the procedure: kept, then matched
    Hospital.send(Topics.TREATMENT_OUTCOMES, new TreatmentOutcome(patient, procedure.orderId(), procedure.code(), 70, Instant.now(), true));
    await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
        "select count(*) from pathway.inbox i join pathway.order_ref o on o.patient_ref = i.record_key where o.order_id = ?",
        Integer.class, procedure.orderId()) > 0);
    // booked for (and done on) a date the ablation's minimum interval (4 weeks) before the assessment
    tasklist.completeWhenReady(Tasklist.COORDINATOR, Tasks.SCHEDULE_PROCEDURE, patient,
        Map.of("scheduledFor", LocalDate.now().minusDays(30).toString()));

    assertThat(completion().outcome()).isEqualTo(PathwayOutcome.RESOLVED_AFTER_INTERVENTION);
  }

  @Test
  void shouldStopDiagnosticsAndReferOnceWhenCaudaEquinaSignsAppear() {
    Hospital.send(Topics.PATHWAY_ENROLMENTS, enrolment(PainPattern.RADICULAR, List.of(ImagingFinding.LARGE_DISC_HERNIATION), 40, true, List.of()));
    failSteroid();
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_FAILURE_HYPOTHESES, patient, Map.of());
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_DIAGNOSTIC_WORKUP, patient, Map.of());
    OrderPlaced pending = orders(OrderKind.DIAGNOSTIC, 1).get(0);

    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised(patient, RedFlag.SADDLE_ANESTHESIA, Instant.now()));
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised(patient, RedFlag.BOWEL_DYSFUNCTION, Instant.now()));
    Tasklist.Task transfer = tasklist.await(Tasklist.COORDINATOR, Tasks.CONFIRM_EMERGENCY_TRANSFER, patient);
    assertThat(transfer.priority()).isGreaterThanOrEqualTo(90);
    await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
        "select count(*) from pathway.journal where patient_ref = ? and ce_type = 'pathway.redflag.raised.v1'", Integer.class, patient) == 2);
    // a late result of the interrupted work-up changes nothing
    Hospital.send(Topics.DIAGNOSTIC_RESULTS, positive(pending));
    tasklist.completeWhenReady(Tasklist.COORDINATOR, Tasks.CONFIRM_EMERGENCY_TRANSFER, patient, Map.of("emergencyTransferConfirmed", true, "transferNote", "Accepted by on-call neurosurgery"));

    assertThat(completion().outcome()).isEqualTo(PathwayOutcome.REFERRED_EMERGENCY_SURGERY);
    List<ReferralIssued> referrals = Outbound.events(Topics.REFERRALS, ReferralIssued.class, patient);
    assertThat(referrals).singleElement().satisfies(r -> {
      assertThat(r.urgency()).isEqualTo(Urgency.EMERGENCY);
      assertThat(r.reason()).isEqualTo(ReferralReason.CAUDA_EQUINA_SYNDROME);
      assertThat(r.referralId()).isEqualTo("REF-" + patient);
    });
    assertThat(Outbound.events(Topics.ALERTS, AlertRaised.class, patient))
        .anySatisfy(a -> assertThat(a.severity()).isEqualTo(Severity.CRITICAL));
    assertThat(tasklist.tasks(Tasklist.CLINICIAN, Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS, patient)).isEmpty();
    // the interrupted order is cancelled towards the hospital, once
    assertThat(Outbound.events(Topics.ORDERS, OrderCancelled.class, patient))
        .extracting(OrderCancelled::orderId, OrderCancelled::reason)
        .containsExactlyInAnyOrderElementsOf(Outbound.events(Topics.ORDERS, OrderPlaced.class, patient).stream()
            .map(o -> org.assertj.core.groups.Tuple.tuple(o.orderId(), CancelReason.RED_FLAG)).toList())
        .contains(org.assertj.core.groups.Tuple.tuple(pending.orderId(), CancelReason.RED_FLAG));
  }

  @Test
  void shouldReferUrgentlyAtEnrolmentForFootDrop() {
    Hospital.send(Topics.PATHWAY_ENROLMENTS,
        enrolment(PainPattern.RADICULAR, List.of(ImagingFinding.NERVE_ROOT_COMPRESSION), 10, false, List.of(RedFlag.FOOT_DROP)));

    tasklist.completeWhenReady(Tasklist.COORDINATOR, Tasks.CONFIRM_URGENT_SURGICAL_REFERRAL, patient,
        Map.of("urgentReferralConfirmed", true, "referralNote", "Spinal clinic slot tomorrow 09:00"));

    assertThat(completion().outcome()).isEqualTo(PathwayOutcome.REFERRED_URGENT_SURGERY);
    assertThat(Outbound.events(Topics.REFERRALS, ReferralIssued.class, patient)).singleElement()
        .satisfies(r -> assertThat(r.urgency()).isEqualTo(Urgency.URGENT));
  }

  /** One round: hypotheses and work-up accepted, every test of the round positive, diagnosis and proposal accepted. */
  void acceptRound(int diagnosticOrdersBefore) {
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_FAILURE_HYPOTHESES, patient, Map.of());
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_DIAGNOSTIC_WORKUP, patient, Map.of());
    // a test that already has a valid result is not ordered again: a later round may order nothing
    await().atMost(Duration.ofSeconds(30)).until(() -> !tasklist.tasks(Tasklist.CLINICIAN, Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS, patient).isEmpty()
        || Outbound.events(Topics.ORDERS, OrderPlaced.class, patient).stream().filter(o -> o.kind() == OrderKind.DIAGNOSTIC).count()
            > diagnosticOrdersBefore);
    Outbound.events(Topics.ORDERS, OrderPlaced.class, patient).stream().filter(o -> o.kind() == OrderKind.DIAGNOSTIC)
        .skip(diagnosticOrdersBefore).forEach(o -> Hospital.send(Topics.DIAGNOSTIC_RESULTS, positive(o)));
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS, patient, Map.of());
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.CONFIRM_TREATMENT, patient, Map.of());
  }

  @Test
  void shouldReferElectivelyAfterNinetyDaysAndFailedConservativeAndInterventionalCare() {
    // a large herniation at L4-L5 on the left; the epidural steroid injection's failure was documented 95 days ago
    // (interventional care that failed); physical therapy (conservative care) then failed too; the root block is left L5
    Hospital.send(Topics.PATHWAY_ENROLMENTS, enrolment(PainPattern.RADICULAR, List.of(ImagingFinding.LARGE_DISC_HERNIATION), 120, false,
        List.of()).withImagingLesion("L4-L5", io.pathway.model.codes.LesionSide.LEFT));
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new FollowUpRecorded(patient, "EPIDURAL_STEROID_INJECTION", 20, true,
        Instant.now().minus(Duration.ofDays(95))));
    int diagnostics = (int) Outbound.events(Topics.ORDERS, OrderPlaced.class, patient).stream().filter(o -> o.kind() == OrderKind.DIAGNOSTIC).count();
    acceptRound(diagnostics);
    OrderPlaced procedure = orders(OrderKind.PROCEDURE, 1).get(0);
    assertThat(procedure.code()).isEqualTo("TARGETED_PHYSICAL_THERAPY");
    tasklist.completeWhenReady(Tasklist.COORDINATOR, Tasks.SCHEDULE_PROCEDURE, patient,
        Map.of("scheduledFor", LocalDate.now().minusDays(60).toString()));
    Hospital.send(Topics.TREATMENT_OUTCOMES, new TreatmentOutcome(patient, procedure.orderId(), procedure.code(), 10, Instant.now()));
    int before = (int) Outbound.events(Topics.ORDERS, OrderPlaced.class, patient).stream().filter(o -> o.kind() == OrderKind.DIAGNOSTIC).count();
    acceptRound(before);

    ReferralIssued referral = await().atMost(Duration.ofSeconds(30)).until(
        () -> Outbound.events(Topics.REFERRALS, ReferralIssued.class, patient), l -> !l.isEmpty()).get(0);
    assertThat(referral.urgency()).isEqualTo(Urgency.ELECTIVE);
    assertThat(referral.reason()).isEqualTo(ReferralReason.FAILED_CONSERVATIVE_CARE);
    // F18: no second steroid injection was ordered as "the interventional step"
    assertThat(Outbound.events(Topics.ORDERS, OrderPlaced.class, patient)).extracting(OrderPlaced::code)
        .doesNotContain("REPEAT_IMAGE_GUIDED_INJECTION");
    // F21: a consult date in the past is refused and the task stays open
    Tasklist.Task booking = tasklist.await(Tasklist.COORDINATOR, Tasks.CONFIRM_SURGICAL_CONSULT_BOOKED, patient);
    assertThat(tasklist.complete(Tasklist.COORDINATOR, booking, Map.of("surgicalConsultDate", LocalDate.now().minusDays(1).toString())))
        .isGreaterThanOrEqualTo(400);
    assertThat(tasklist.tasks(Tasklist.COORDINATOR, Tasks.CONFIRM_SURGICAL_CONSULT_BOOKED, patient)).extracting(Tasklist.Task::id)
        .containsExactly(booking.id());
    tasklist.completeWhenReady(Tasklist.COORDINATOR, Tasks.CONFIRM_SURGICAL_CONSULT_BOOKED, patient,
        Map.of("surgicalConsultDate", LocalDate.now().plusDays(7).toString()));
    // F21: the pathway does not end at the booking; after the consult's day it asks whether the consult took place
    org.camunda.bpm.engine.runtime.Job check = await().atMost(Duration.ofSeconds(30)).until(() -> management.createJobQuery()
        .processInstanceId(referral.pathwayId()).activityId("Event_ConsultDatePassed").singleResult(), java.util.Objects::nonNull);
    assertThat(check.getDuedate().toInstant()).isEqualTo(LocalDate.now().plusDays(9).atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
    assertThat(Outbound.events(Topics.STATUS, PathwayCompleted.class, patient)).isEmpty();
    management.executeJob(check.getId()); // the consult's day has passed (the timer, run now instead of in nine days)
    tasklist.completeWhenReady(Tasklist.COORDINATOR, Tasks.CONFIRM_SURGICAL_CONSULT_HELD, patient, Map.of("consultHeld", "true"));
    assertThat(completion().outcome()).isEqualTo(PathwayOutcome.REFERRED_ELECTIVE_SURGERY);
  }

  /**
   * F16 through the contract: the imaging puts the herniation at L4-L5 on the right, the positive root block is the left
   * L5. Everything else meets the elective rule, yet no referral is proposed, and a clinician who asks for one is refused.
   */
  @Test
  void shouldNotReferElectivelyWhenTheRootBlockIsOnTheOtherSideOfTheImagedLesion() {
    Hospital.send(Topics.PATHWAY_ENROLMENTS, enrolment(PainPattern.RADICULAR, List.of(ImagingFinding.LARGE_DISC_HERNIATION), 120, false,
        List.of()).withImagingLesion("L4-L5", io.pathway.model.codes.LesionSide.RIGHT));
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new FollowUpRecorded(patient, "EPIDURAL_STEROID_INJECTION", 20, true,
        Instant.now().minus(Duration.ofDays(95))));
    acceptRound(0);
    OrderPlaced procedure = orders(OrderKind.PROCEDURE, 1).get(0);
    tasklist.completeWhenReady(Tasklist.COORDINATOR, Tasks.SCHEDULE_PROCEDURE, patient,
        Map.of("scheduledFor", LocalDate.now().minusDays(60).toString()));
    Hospital.send(Topics.TREATMENT_OUTCOMES, new TreatmentOutcome(patient, procedure.orderId(), procedure.code(), 10, Instant.now()));
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_FAILURE_HYPOTHESES, patient, Map.of());
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_DIAGNOSTIC_WORKUP, patient, Map.of());
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS, patient, Map.of());

    Tasklist.Task choice = tasklist.await(Tasklist.CLINICIAN, Tasks.CONFIRM_TREATMENT, patient);
    assertThat(jdbc.queryForList("select coalesce(value, '-') from pathway.decision_fact where pathway_id = ? and kind = "
        + "'TREATMENT_PROPOSAL' order by id", String.class, procedure.pathwayId())).containsExactly("TARGETED_PHYSICAL_THERAPY", "-");
    assertThat(tasklist.complete(Tasklist.CLINICIAN, choice, Map.of("selectedTreatment", "ELECTIVE_SURGICAL_REFERRAL",
        "selectedSurgicalProcedure", "MICRODISCECTOMY", "treatmentOverrideReason", "Imaging and block both abnormal"))).isEqualTo(204);
    await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForList("select rule from pathway.rule_check where pathway_id = ? "
        + "order by id", String.class, procedure.pathwayId()), rules -> rules.contains("ELECTIVE_SURGERY"));
    Tasklist.Task again = tasklist.await(Tasklist.CLINICIAN, Tasks.CONFIRM_TREATMENT, patient);
    assertThat(again.id()).isNotEqualTo(choice.id());
    assertThat(String.valueOf(rest.withBasicAuth(Tasklist.CLINICIAN, Tasklist.CLINICIAN)
        .getForObject("/engine-rest/task/" + again.id() + "/variables/treatmentRefusalReason", Map.class)
        .get("value"))).contains("does not agree with the imaged lesion", "L4-L5 RIGHT");
    assertThat(Outbound.events(Topics.REFERRALS, ReferralIssued.class, patient)).isEmpty();
  }

  @Test
  void shouldNotLetACoordinatorCompleteAClinicianDecision() {
    Hospital.send(Topics.PATHWAY_ENROLMENTS, enrolment(PainPattern.AXIAL, List.of(ImagingFinding.FACET_ARTHROPATHY), 40, false, List.of()));
    failSteroid();
    Tasklist.Task review = tasklist.await(Tasklist.CLINICIAN, Tasks.REVIEW_FAILURE_HYPOTHESES, patient);

    assertThat(tasklist.tasks(Tasklist.COORDINATOR, Tasks.REVIEW_FAILURE_HYPOTHESES, patient)).isEmpty();
    assertThat(tasklist.complete(Tasklist.COORDINATOR, review, Map.of())).isIn(403, 404);
    assertThat(tasklist.tasks(Tasklist.CLINICIAN, Tasks.REVIEW_FAILURE_HYPOTHESES, patient)).isNotEmpty();
  }

  @Test
  void shouldWithdrawCleanlyAndIgnoreASecondEnrolmentOfTheSameReferral() {
    EnrolmentRequested enrolment = enrolment(PainPattern.MIXED, List.of(), 10, false, List.of());
    Hospital.send(Topics.PATHWAY_ENROLMENTS, enrolment);
    Hospital.send(Topics.PATHWAY_ENROLMENTS, enrolment);

    Hospital.send(Topics.PATHWAY_ENROLMENTS, new WithdrawalRequested(enrolment.referralId(), patient, "transferred out"));

    assertThat(completion().outcome()).isEqualTo(PathwayOutcome.WITHDRAWN);
    assertThat(jdbc.queryForObject("select count(*) from pathway.pathway_ref where patient_ref = ?", Integer.class, patient))
        .isEqualTo(1);
  }
}
