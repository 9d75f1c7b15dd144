package io.pathway.service.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pathway.bpmn.PathwayModel.Tasks;
import io.pathway.model.Topics;
import io.pathway.model.codes.AlertType;
import io.pathway.model.codes.CancelReason;
import io.pathway.model.codes.DiagnosticTest;
import io.pathway.model.codes.ImagingFinding;
import io.pathway.model.codes.OrderKind;
import io.pathway.model.codes.PainPattern;
import io.pathway.model.codes.Severity;
import io.pathway.model.codes.SteroidKind;
import io.pathway.model.codes.TestOutcome;
import io.pathway.model.events.AlertRaised;
import io.pathway.model.events.DiagnosticResult;
import io.pathway.model.events.EnrolmentRequested;
import io.pathway.model.events.Findings;
import io.pathway.model.events.FollowUpRecorded;
import io.pathway.model.events.OrderCancelled;
import io.pathway.model.events.OrderPlaced;
import io.pathway.model.events.SteroidTreatment;
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
 * Evidence the hard rules can trust (issue 17), through the topics and the engine REST API only: a corrected
 * result (F9) replaces what the rules read, reaches a clinician and holds a treatment ordered on it.
 */
@PathwayServiceTest
class EvidenceJourneyTest extends JourneyTest {

  @org.springframework.beans.factory.annotation.Autowired
  org.camunda.bpm.engine.RuntimeService runtime;

  EnrolmentRequested facetEnrolment() {
    LocalDate date = LocalDate.now().minusDays(40);
    return new EnrolmentRequested("REF-" + patient, patient, new SteroidTreatment(SteroidKind.EPIDURAL_STEROID_INJECTION, date, true, true),
        PainPattern.AXIAL, 7, false, List.of(ImagingFinding.FACET_ARTHROPATHY), 2, List.of(), date.minusMonths(3));
  }

  List<OrderPlaced> orders(OrderKind kind, int atLeast) {
    return await().atMost(Duration.ofSeconds(30)).until(
        () -> Outbound.events(Topics.ORDERS, OrderPlaced.class, patient).stream().filter(o -> o.kind() == kind).toList(),
        l -> l.size() >= atLeast);
  }

  List<AlertRaised> alerts(AlertType type) {
    return Outbound.events(Topics.ALERTS, AlertRaised.class, patient).stream().filter(a -> a.type() == type).toList();
  }

  DiagnosticResult block(OrderPlaced order, TestOutcome outcome, Integer relief) {
    return new DiagnosticResult(order.orderId(), patient, DiagnosticTest.valueOf(order.code()), outcome,
        new Findings(null, "L4-L5", relief, null, null, "LEFT"), Instant.now());
  }

  /** Enrolment to a confirmed facet joint diagnosis on a positive medial branch block; returns that block's order. */
  OrderPlaced toFacetDiagnosisOnAPositiveBlock() {
    Hospital.send(Topics.PATHWAY_ENROLMENTS, facetEnrolment());
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new FollowUpRecorded(patient, "EPIDURAL_STEROID_INJECTION", 20, true, Instant.now()));
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_FAILURE_HYPOTHESES, patient, Map.of());
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_DIAGNOSTIC_WORKUP, patient, Map.of());
    List<OrderPlaced> tests = orders(OrderKind.DIAGNOSTIC, 1);
    OrderPlaced mbb = tests.stream().filter(o -> o.code().equals("MEDIAL_BRANCH_BLOCK")).findFirst().orElseThrow();
    tests.forEach(o -> Hospital.send(Topics.DIAGNOSTIC_RESULTS, o == mbb ? block(o, TestOutcome.POSITIVE, 80)
        : new DiagnosticResult(o.orderId(), patient, DiagnosticTest.valueOf(o.code()), TestOutcome.NEGATIVE, Findings.none(), Instant.now())));
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS, patient, Map.of());
    return mbb;
  }

  @Test
  void shouldHoldAndCancelTheAblationAndTellTheClinicianWhenItsBlockIsCorrected() {
    OrderPlaced mbb = toFacetDiagnosisOnAPositiveBlock();
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.CONFIRM_TREATMENT, patient, Map.of());
    OrderPlaced ablation = orders(OrderKind.PROCEDURE, 1).get(0);
    assertThat(ablation.code()).isEqualTo("RADIOFREQUENCY_ABLATION");
    // the same report again (a redelivery under a new ce_id) is not a correction
    Hospital.send(Topics.DIAGNOSTIC_RESULTS, block(mbb, TestOutcome.POSITIVE, 80));

    Hospital.send(Topics.DIAGNOSTIC_RESULTS, block(mbb, TestOutcome.NEGATIVE, 10));

    // the ablation ordered on the withdrawn block is cancelled towards the hospital, with its reason
    OrderCancelled cancelled = await().atMost(Duration.ofSeconds(30)).until(
        () -> Outbound.events(Topics.ORDERS, OrderCancelled.class, patient), l -> !l.isEmpty()).get(0);
    assertThat(cancelled.orderId()).isEqualTo(ablation.orderId());
    assertThat(cancelled.reason()).isEqualTo(CancelReason.EVIDENCE_WITHDRAWN);
    // a HIGH alert and a review task reach the clinician; the pathway waits for a clinician to decide again
    await().atMost(Duration.ofSeconds(30)).until(() -> alerts(AlertType.RESULT_CORRECTED).size() == 1);
    assertThat(alerts(AlertType.RESULT_CORRECTED).get(0)).satisfies(a -> {
      assertThat(a.severity()).isEqualTo(Severity.HIGH);
      assertThat(a.pathwayId()).isEqualTo(ablation.pathwayId());
      assertThat(a.message()).contains("MEDIAL_BRANCH_BLOCK", "POSITIVE", "NEGATIVE", "held");
    });
    Tasklist.Task review = tasklist.await(Tasklist.CLINICIAN, Tasks.REVIEW_CORRECTED_RESULT, patient);
    assertThat(review.priority()).isGreaterThanOrEqualTo(80);
    tasklist.await(Tasklist.CLINICIAN, Tasks.REVIEW_FAILURE_HYPOTHESES, patient);
    assertThat(tasklist.tasks(Tasklist.COORDINATOR, Tasks.SCHEDULE_PROCEDURE, patient)).isEmpty();
    // both results stay on record and on the timeline; the rules read the corrected one
    assertThat(jdbc.queryForList("select outcome from pathway.result_fact where order_id = ? order by id", String.class, mbb.orderId()))
        .containsExactly("POSITIVE", "NEGATIVE");
    assertThat(jdbc.queryForObject("select count(*) from pathway.journal where patient_ref = ? and ce_type = 'pathway.diagnostic.result.v1' "
        + "and pathway_id = ? and summary like ?", Integer.class, patient, ablation.pathwayId(), "%" + mbb.orderId() + "%")).isEqualTo(3);
    assertThat(Outbound.deadLetters(Topics.DIAGNOSTIC_RESULTS, patient)).isEmpty();
    assertThat(tasklist.complete(Tasklist.CLINICIAN, review, Map.of("correctionReviewNote", "Block retracted by the lab, re-evaluating")))
        .isEqualTo(204);
  }

  @Test
  void shouldRefuseTheAblationAtTheGateWhenItsBlockIsCorrectedWhileTheClinicianDecides() {
    OrderPlaced mbb = toFacetDiagnosisOnAPositiveBlock();
    Tasklist.Task choice = tasklist.await(Tasklist.CLINICIAN, Tasks.CONFIRM_TREATMENT, patient);

    Hospital.send(Topics.DIAGNOSTIC_RESULTS, block(mbb, TestOutcome.NEGATIVE, 10));
    tasklist.await(Tasklist.CLINICIAN, Tasks.REVIEW_CORRECTED_RESULT, patient);
    assertThat(alerts(AlertType.RESULT_CORRECTED)).singleElement().satisfies(a -> assertThat(a.message()).doesNotContain("held"));

    // the clinician accepts the ablation proposed before the correction: the gate reads the corrected block
    assertThat(tasklist.complete(Tasklist.CLINICIAN, choice, Map.of())).isEqualTo(204);
    await().atMost(Duration.ofSeconds(30)).until(() -> tasklist.tasks(Tasklist.CLINICIAN, Tasks.CONFIRM_TREATMENT, patient).stream()
        .anyMatch(t -> !t.id().equals(choice.id())));
    assertThat(jdbc.queryForList("select rule from pathway.rule_check where pathway_id = ? order by id", String.class,
        choice.processInstanceId())).containsExactly("ABLATION");
    assertThat(Outbound.events(Topics.ORDERS, OrderPlaced.class, patient)).noneMatch(o -> o.kind() == OrderKind.PROCEDURE);
  }

  // ------------------------------------------------------------------ F10: duration is not a neuropathic diagnosis

  /** Accepts hypotheses and work-up, answers this round's tests (SNRB positive at L5, the others negative), accepts the diagnosis. */
  void roundToTreatment() {
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_FAILURE_HYPOTHESES, patient, Map.of());
    int answered = Outbound.events(Topics.ORDERS, OrderPlaced.class, patient).size();
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_DIAGNOSTIC_WORKUP, patient, Map.of());
    // a test that already has a valid result is not ordered again (F18): a later round may order nothing
    await().atMost(Duration.ofSeconds(30)).until(() -> !tasklist.tasks(Tasklist.CLINICIAN, Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS, patient).isEmpty()
        || Outbound.events(Topics.ORDERS, OrderPlaced.class, patient).size() > answered);
    Outbound.events(Topics.ORDERS, OrderPlaced.class, patient).stream().skip(answered).filter(o -> o.kind() == OrderKind.DIAGNOSTIC)
        .forEach(o -> Hospital.send(Topics.DIAGNOSTIC_RESULTS, o.code().equals("SELECTIVE_NERVE_ROOT_BLOCK")
            ? new DiagnosticResult(o.orderId(), patient, DiagnosticTest.SELECTIVE_NERVE_ROOT_BLOCK, TestOutcome.POSITIVE,
                new Findings(null, "L5", 90, null, null, "LEFT"), Instant.now())
            : new DiagnosticResult(o.orderId(), patient, DiagnosticTest.valueOf(o.code()), TestOutcome.NEGATIVE, Findings.none(),
                Instant.now())));
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS, patient, Map.of());
  }

  List<String> decisions(String pathwayId, String kind) {
    return jdbc.queryForList("select coalesce(value, '-') from pathway.decision_fact where pathway_id = ? and kind = ? order by id",
        String.class, pathwayId, kind);
  }

  @Test
  void shouldEndTheRadicularJourneyWithAPositiveRootBlockAndANegativeScreenWithoutNeuromodulation() {
    // the review's SCS case: radicular pain, DN4 2, symptoms for 4 months, an image-guided ESI that failed
    LocalDate steroid = LocalDate.now().minusDays(40);
    Hospital.send(Topics.PATHWAY_ENROLMENTS, new EnrolmentRequested("REF-" + patient, patient,
        new SteroidTreatment(SteroidKind.EPIDURAL_STEROID_INJECTION, steroid, true, true), PainPattern.RADICULAR, 7, false,
        List.of(ImagingFinding.DISC_DEGENERATION), 2, List.of(), LocalDate.now().minusMonths(4)));
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new FollowUpRecorded(patient, "EPIDURAL_STEROID_INJECTION", 10, true, Instant.now()));

    // round 1, every proposal accepted: the positive root block, not the duration, makes the diagnosis
    roundToTreatment();
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.CONFIRM_TREATMENT, patient, Map.of());
    OrderPlaced therapy = orders(OrderKind.PROCEDURE, 1).get(0);
    assertThat(decisions(therapy.pathwayId(), "DIAGNOSIS")).containsExactly("DISCOGENIC_PAIN");
    assertThat(therapy.code()).isEqualTo("TARGETED_PHYSICAL_THERAPY");
    tasklist.completeWhenReady(Tasklist.COORDINATOR, Tasks.SCHEDULE_PROCEDURE, patient,
        Map.of("scheduledFor", LocalDate.now().minusDays(60).toString()));
    Hospital.send(Topics.TREATMENT_OUTCOMES, new io.pathway.model.events.TreatmentOutcome(patient, therapy.orderId(), therapy.code(), 10,
        Instant.now()));

    // round 2, every proposal accepted: the root block of round 1 is not repeated; still no neuropathic diagnosis, and
    // nothing proposes neuromodulation
    int ordersBefore = Outbound.events(Topics.ORDERS, OrderPlaced.class, patient).size();
    roundToTreatment();
    assertThat(Outbound.events(Topics.ORDERS, OrderPlaced.class, patient)).hasSize(ordersBefore);
    Tasklist.Task choice = tasklist.await(Tasklist.CLINICIAN, Tasks.CONFIRM_TREATMENT, patient);
    assertThat(decisions(therapy.pathwayId(), "DIAGNOSIS")).containsExactly("DISCOGENIC_PAIN", "DISCOGENIC_PAIN");
    assertThat(decisions(therapy.pathwayId(), "TREATMENT_PROPOSAL")).containsExactly("TARGETED_PHYSICAL_THERAPY", "-");

    // a clinician who asks for a stimulation trial anyway, with a reason, is refused by the gate
    assertThat(tasklist.complete(Tasklist.CLINICIAN, choice, Map.of("selectedTreatment", "NEUROMODULATION_TRIAL",
        "treatmentOverrideReason", "Patient asks for a stimulation trial"))).isEqualTo(204);
    await().atMost(Duration.ofSeconds(30)).until(() -> tasklist.tasks(Tasklist.CLINICIAN, Tasks.CONFIRM_TREATMENT, patient).stream()
        .anyMatch(t -> !t.id().equals(choice.id())));
    assertThat(jdbc.queryForList("select rule from pathway.rule_check where pathway_id = ? order by id", String.class,
        therapy.pathwayId())).containsExactly("ALLOWED", "NEUROMODULATION");
    assertThat(Outbound.events(Topics.ORDERS, OrderPlaced.class, patient)).extracting(OrderPlaced::code)
        .doesNotContain("NEUROMODULATION_TRIAL");
  }

  // ------------------------------------------------------------------ F12: outcomes that happened

  @Test
  void shouldCountAnOutcomeOnlyForAScheduledProcedureAndNotBeforeItsMinimumInterval() {
    // physical therapy ordered (claudication, nothing on imaging: the fallback)
    LocalDate steroid = LocalDate.now().minusDays(40);
    Hospital.send(Topics.PATHWAY_ENROLMENTS, new EnrolmentRequested("REF-" + patient, patient,
        new SteroidTreatment(SteroidKind.EPIDURAL_STEROID_INJECTION, steroid, true, true), PainPattern.NEUROGENIC_CLAUDICATION, 7, false,
        List.of(), 2, List.of(), steroid.minusMonths(1)));
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new FollowUpRecorded(patient, "EPIDURAL_STEROID_INJECTION", 20, true, Instant.now()));
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_FAILURE_HYPOTHESES, patient, Map.of());
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_DIAGNOSTIC_WORKUP, patient, Map.of());
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS, patient, Map.of());
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.CONFIRM_TREATMENT, patient, Map.of());
    OrderPlaced therapy = orders(OrderKind.PROCEDURE, 1).get(0);
    assertThat(therapy.code()).isEqualTo("TARGETED_PHYSICAL_THERAPY");

    // a "failed" therapy reported before it was even scheduled: kept, not a fact
    Hospital.send(Topics.TREATMENT_OUTCOMES, new io.pathway.model.events.TreatmentOutcome(patient, therapy.orderId(), therapy.code(), 0,
        Instant.now()));
    await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
        "select count(*) from pathway.inbox where record_key = ? and status = 'PENDING'", Integer.class, patient) > 0);
    assertThat(jdbc.queryForObject("select count(*) from pathway.treatment_fact where order_id = ?", Integer.class, therapy.orderId()))
        .isZero();

    // scheduled for today: the report (assessed today) is weeks before physical therapy can show its effect
    tasklist.completeWhenReady(Tasklist.COORDINATOR, Tasks.SCHEDULE_PROCEDURE, patient, Map.of("scheduledFor", LocalDate.now().toString()));
    await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject("select count(*) from pathway.journal where pathway_id = ? "
        + "and ce_type = 'pathway.treatment.outcome.v1'", Integer.class, therapy.pathwayId()) == 1);

    // shown on the timeline, never counted: no failed therapy, the pathway still waits for the real outcome
    assertThat(jdbc.queryForObject("select count(*) from pathway.treatment_fact where order_id = ?", Integer.class, therapy.orderId()))
        .isZero();
    assertThat(jdbc.queryForObject("select scheduled_for from pathway.order_ref where order_id = ?", LocalDate.class, therapy.orderId()))
        .isEqualTo(LocalDate.now());
    assertThat(tasklist.tasks(Tasklist.CLINICIAN, Tasks.REVIEW_FAILURE_HYPOTHESES, patient)).isEmpty();
    String orderInstance = jdbc.queryForObject("select process_instance_id from pathway.order_ref where order_id = ?", String.class,
        therapy.orderId());
    assertThat(runtime.createExecutionQuery().processInstanceId(orderInstance).activityId("Task_AwaitTreatmentOutcome").count())
        .isEqualTo(1);
  }

  // ------------------------------------------------------------------ F19: claudication with instability

  @Test
  void shouldSendClaudicationWithSpondylolisthesisTowardsSurgeryNotToMild() {
    LocalDate steroid = LocalDate.now().minusDays(40);
    Hospital.send(Topics.PATHWAY_ENROLMENTS, new EnrolmentRequested("REF-" + patient, patient,
        new SteroidTreatment(SteroidKind.EPIDURAL_STEROID_INJECTION, steroid, true, true), PainPattern.NEUROGENIC_CLAUDICATION, 7, false,
        List.of(ImagingFinding.LIGAMENTUM_FLAVUM_HYPERTROPHY, ImagingFinding.SPONDYLOLISTHESIS), 2, List.of(), steroid.minusMonths(1)));
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new FollowUpRecorded(patient, "EPIDURAL_STEROID_INJECTION", 10, true, Instant.now()));

    roundToTreatment();

    // the nerve root block was ordered (the way to a surgical assessment), and the instability rules out mild
    OrderPlaced snrb = orders(OrderKind.DIAGNOSTIC, 1).stream().filter(o -> o.code().equals("SELECTIVE_NERVE_ROOT_BLOCK")).findFirst()
        .orElseThrow();
    assertThat(decisions(snrb.pathwayId(), "DIAGNOSIS")).containsExactly("MECHANICAL_COMPRESSION");
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.CONFIRM_TREATMENT, patient, Map.of());
    assertThat(orders(OrderKind.PROCEDURE, 1).get(0).code()).isEqualTo("TARGETED_PHYSICAL_THERAPY");
  }

  // ------------------------------------------------------------------ F17: findings a clinician confirmed

  /** A coordinator enrols through the start form (the engine REST API): stenosis with a thickened ligament and claudication. */
  void enrolThroughTheStartFormAsACoordinator() {
    LocalDate steroid = LocalDate.now().minusDays(40);
    String body = "{\"variables\":{\"referralId\":{\"value\":\"REF-" + patient + "\"},\"patientRef\":{\"value\":\"" + patient
        + "\"},\"steroidKind\":{\"value\":\"EPIDURAL_STEROID_INJECTION\"},\"steroidDate\":{\"value\":\"" + steroid
        + "\"},\"imageGuided\":{\"value\":true},\"contrastSpreadConfirmed\":{\"value\":true},\"painPattern\":{\"value\":"
        + "\"NEUROGENIC_CLAUDICATION\"},\"baselinePainScore\":{\"value\":7},\"neuropathicScore\":{\"value\":2},"
        + "\"priorSpineSurgery\":{\"value\":false},\"imagingFindings\":{\"value\":\"SEVERE_STENOSIS,LIGAMENTUM_FLAVUM_HYPERTROPHY\"},"
        + "\"symptomOnsetDate\":{\"value\":\"" + steroid.minusMonths(1) + "\"}}}";
    org.springframework.http.HttpHeaders headers = new org.springframework.http.HttpHeaders();
    headers.setContentType(org.springframework.http.MediaType.APPLICATION_JSON);
    var response = rest.withBasicAuth(Tasklist.COORDINATOR, Tasklist.COORDINATOR).exchange(
        "/engine-rest/process-definition/key/steroid-failure-escalation/submit-form", org.springframework.http.HttpMethod.POST,
        new org.springframework.http.HttpEntity<>(body, headers), String.class);
    assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(200);
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new FollowUpRecorded(patient, "EPIDURAL_STEROID_INJECTION", 10, true, Instant.now()));
  }

  @Test
  void shouldNotLetUnconfirmedStartFormFindingsOpenTheMildGate() {
    enrolThroughTheStartFormAsACoordinator();

    // the clinician reviews the hypotheses without confirming the coordinator's findings
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_FAILURE_HYPOTHESES, patient, Map.of());
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_DIAGNOSTIC_WORKUP, patient, Map.of());
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS, patient, Map.of());
    Tasklist.Task choice = tasklist.await(Tasklist.CLINICIAN, Tasks.CONFIRM_TREATMENT, patient);
    String pathwayId = choice.processInstanceId();
    assertThat(decisions(pathwayId, "TREATMENT_PROPOSAL")).doesNotContain("MINIMALLY_INVASIVE_LUMBAR_DECOMPRESSION");

    // mild chosen anyway, with a reason: refused, the unverified findings named
    assertThat(tasklist.complete(Tasklist.CLINICIAN, choice, Map.of("selectedTreatment", "MINIMALLY_INVASIVE_LUMBAR_DECOMPRESSION",
        "treatmentOverrideReason", "Ligament hypertrophy on the scan"))).isEqualTo(204);
    await().atMost(Duration.ofSeconds(30)).until(() -> tasklist.tasks(Tasklist.CLINICIAN, Tasks.CONFIRM_TREATMENT, patient).stream()
        .anyMatch(t -> !t.id().equals(choice.id())));
    assertThat(jdbc.queryForList("select rule from pathway.rule_check where pathway_id = ?", String.class, pathwayId))
        .containsExactly("MILD");
    assertThat((String) runtime.getVariable(pathwayId, "treatmentRefusalReason")).contains("not confirmed by a clinician");
    assertThat(Outbound.events(Topics.ORDERS, OrderPlaced.class, patient)).noneMatch(o -> o.kind() == OrderKind.PROCEDURE);
  }

  @Test
  void shouldReadStartFormFindingsOnceAClinicianConfirmedThem() {
    enrolThroughTheStartFormAsACoordinator();

    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_FAILURE_HYPOTHESES, patient, Map.of("findingsConfirmed", true));
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_DIAGNOSTIC_WORKUP, patient, Map.of());
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS, patient, Map.of());
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.CONFIRM_TREATMENT, patient, Map.of());

    OrderPlaced mild = orders(OrderKind.PROCEDURE, 1).get(0);
    assertThat(mild.code()).isEqualTo("MINIMALLY_INVASIVE_LUMBAR_DECOMPRESSION");
    assertThat(jdbc.queryForObject("select findings_confirmed_by from pathway.enrolment_fact where pathway_id = ?", String.class,
        mild.pathwayId())).isEqualTo(Tasklist.CLINICIAN);
  }
}
