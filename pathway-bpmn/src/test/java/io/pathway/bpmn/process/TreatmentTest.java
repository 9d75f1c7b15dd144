package io.pathway.bpmn.process;

import static org.assertj.core.api.Assertions.assertThat;

import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;

import io.pathway.bpmn.PathwayModel.Tasks;
import io.pathway.bpmn.support.FakeBeans;
import io.pathway.bpmn.support.ProcessTestCase;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Map;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;

class TreatmentTest extends ProcessTestCase {

  /** The follow-up that documents the steroid failure comes on START (1 March): 29 May is day 89, 30 May day 90. */
  private static final LocalDateTime DAY_89 = START.plusDays(89);
  private static final LocalDateTime DAY_90 = START.plusDays(90);

  /** Fails the steroid, accepts hypotheses and work-up, returns the one result asked for, accepts the diagnosis. */
  private ProcessInstance toTreatmentChoice(Map<String, Object> enrolment, String test, Map<String, Object> result) {
    ProcessInstance pi = enrolAndFailSteroid(enrolment);
    acceptHypothesesAndWorkup();
    if (test != null) {
      diagnosticResult(test, result);
    }
    complete(Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS);
    assertThat(variable(pi, "currentStage")).isEqualTo("TREATMENT_SELECTION");
    assertThat(hasTask(Tasks.CONFIRM_TREATMENT)).isTrue();
    return pi;
  }

  private Map<String, Object> facetEnrolment() {
    return with(enrolment(), "painPattern", "AXIAL", "imagingFindings", "FACET_ARTHROPATHY");
  }

  private ProcessInstance facetPain() {
    return toTreatmentChoice(facetEnrolment(), "MEDIAL_BRANCH_BLOCK",
        with(positive(), "blockReliefPercent", 90, "blockSide", "RIGHT", "blockLevel", "L4-L5"));
  }

  private ProcessInstance neuropathicPain() {
    return toTreatmentChoice(with(enrolment(), "neuropathicScore", 7, "painPattern", "RADICULAR"), "SELECTIVE_NERVE_ROOT_BLOCK",
        negative());
  }

  private static Map<String, Object> herniation() {
    return with(positive(), "blockLevel", "L5", "blockSide", "LEFT", "blockReliefPercent", 90);
  }

  private ProcessInstance mechanicalCompression() {
    return toTreatmentChoice(with(enrolment(), "imagingFindings", "LARGE_DISC_HERNIATION", "painPattern", "RADICULAR",
        "imagingLevel", "L4-L5", "imagingSide", "LEFT"), "SELECTIVE_NERVE_ROOT_BLOCK", herniation());
  }

  private void deliver(String treatment, int reliefPercent) {
    complete(Tasks.SCHEDULE_PROCEDURE, vars("scheduledFor", "2026-04-01"));
    treatmentOutcome(treatment, reliefPercent);
  }

  /**
   * After a failed treatment: the next round of hypotheses, work-up and diagnosis. The nerve root block of the first
   * round has a valid result, so the work-up does not order it again (F18); the diagnosis reads that result.
   */
  private void nextMechanicalRound() {
    acceptHypothesesAndWorkup();
    assertThat(diagnosticResultIfOrdered("SELECTIVE_NERVE_ROOT_BLOCK", herniation())).as("SNRB ordered again").isFalse();
    complete(Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS);
  }

  /**
   * Mechanical compression whose epidural steroid injection (at enrolment) and physical therapy both failed: conservative
   * and interventional care. Another injection cannot relieve a compression, so none is proposed (F18).
   */
  private ProcessInstance mechanicalCompressionAfterFailedCare() {
    ProcessInstance pi = mechanicalCompression();
    assertThat(variable(pi, "proposedTreatment")).isEqualTo("TARGETED_PHYSICAL_THERAPY");
    complete(Tasks.CONFIRM_TREATMENT);
    deliver("TARGETED_PHYSICAL_THERAPY", 10);
    return pi;
  }

  private static void atInstant(String isoInstant) {
    org.camunda.bpm.engine.impl.util.ClockUtil.setCurrentTime(java.util.Date.from(java.time.Instant.parse(isoInstant)));
  }

  // ------------------------------------------------------------------ each treatment

  @Test
  void shouldAblateFacetJointPainConfirmedByAPositiveBlockAndResolve() {
    // given
    ProcessInstance pi = facetPain();
    assertThat(variable(pi, "proposedTreatment")).isEqualTo("RADIOFREQUENCY_ABLATION");
    assertThat(variable(pi, "facetBlockPositive")).isEqualTo(true);

    // when
    complete(Tasks.CONFIRM_TREATMENT);

    // then: the order names the joint, side and level the block confirmed
    assertThat(variable(pi, "currentStage")).isEqualTo("TREATMENT_DELIVERY");
    FakeBeans.Order order = beans.order("RADIOFREQUENCY_ABLATION");
    assertThat(order.kind()).isEqualTo("PROCEDURE");
    assertThat(order.reason()).contains("FACET_JOINT_PAIN", "MEDIAL_BRANCH_BLOCK POSITIVE", "side RIGHT", "level L4-L5");
    deliver("RADIOFREQUENCY_ABLATION", 70);
    assertThat(ended(pi)).isTrue();
    assertThat(historicVariable(pi, "pathwayOutcome")).isEqualTo("RESOLVED_AFTER_INTERVENTION");
    assertThat(beans.completions).containsExactly("RESOLVED_AFTER_INTERVENTION");
  }

  @Test
  void shouldNotResolveOnReliefAfterAnInterventionThatIsNotKnownToBeSustained() {
    // F12: one report of 70% that does not say the relief lasted (e.g. the local anaesthetic's effect) ends nothing
    ProcessInstance pi = facetPain();
    complete(Tasks.CONFIRM_TREATMENT);
    complete(Tasks.SCHEDULE_PROCEDURE, vars("scheduledFor", "2026-04-01"));

    treatmentOutcome("RADIOFREQUENCY_ABLATION", 70, false);

    assertThat(ended(pi)).isFalse();
    assertThat(beans.completions).isEmpty();
    assertThat(hasTask(Tasks.REVIEW_FAILURE_HYPOTHESES)).isTrue();
  }

  @Test
  void shouldAblateSacroiliacJointPainConfirmedByAPositiveSiBlock() {
    ProcessInstance pi = toTreatmentChoice(with(enrolment(), "painPattern", "AXIAL", "imagingFindings", "SACROILIAC_ARTHROPATHY"),
        "SI_JOINT_BLOCK", with(positive(), "blockSide", "LEFT"));

    complete(Tasks.CONFIRM_TREATMENT);

    assertThat(variable(pi, "selectedTreatment")).isEqualTo("RADIOFREQUENCY_ABLATION");
    assertThat(beans.order("RADIOFREQUENCY_ABLATION").reason()).contains("SI_JOINT_BLOCK POSITIVE", "side LEFT");
  }

  @Test
  void shouldGiveTargetedPhysicalTherapyForDiscogenicPain() {
    ProcessInstance pi = enrolAndFailSteroid(with(enrolment(), "painPattern", "MIXED", "imagingFindings", "DISC_DEGENERATION"));
    acceptHypothesesAndWorkup();
    diagnosticResult("DISCOGRAPHY", with(positive(), "concordantPain", true, "contrastLeak", true));
    diagnosticResult("SELECTIVE_NERVE_ROOT_BLOCK", negative());
    complete(Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS);
    assertThat(variable(pi, "definitiveDiagnosis")).isEqualTo("DISCOGENIC_PAIN");

    complete(Tasks.CONFIRM_TREATMENT);

    assertThat(beans.order("TARGETED_PHYSICAL_THERAPY").kind()).isEqualTo("PROCEDURE");
    deliver("TARGETED_PHYSICAL_THERAPY", 65);
    assertThat(historicVariable(pi, "pathwayOutcome")).isEqualTo("RESOLVED_AFTER_INTERVENTION");
  }

  @Test
  void shouldDecompressLumbarSpinalStenosisMinimallyInvasively() {
    ProcessInstance pi = toTreatmentChoice(
        with(enrolment(), "painPattern", "NEUROGENIC_CLAUDICATION", "imagingFindings", "SEVERE_STENOSIS,LIGAMENTUM_FLAVUM_HYPERTROPHY"),
        null, null);
    assertThat(variable(pi, "definitiveDiagnosis")).isEqualTo("LUMBAR_SPINAL_STENOSIS");

    complete(Tasks.CONFIRM_TREATMENT);

    assertThat(beans.orderedCodes()).containsExactly("MINIMALLY_INVASIVE_LUMBAR_DECOMPRESSION");
  }

  @Test
  void shouldNotProposeAFailedMildAgainAndEscalateTheStenosis() {
    ProcessInstance pi = toTreatmentChoice(
        with(enrolment(), "painPattern", "NEUROGENIC_CLAUDICATION", "imagingFindings", "LIGAMENTUM_FLAVUM_HYPERTROPHY"), null, null);
    complete(Tasks.CONFIRM_TREATMENT);
    deliver("MINIMALLY_INVASIVE_LUMBAR_DECOMPRESSION", 20);

    acceptHypothesesAndWorkup();
    complete(Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS);

    assertThat(variable(pi, "proposedTreatment")).isEqualTo("TARGETED_PHYSICAL_THERAPY");
    assertThat((String) variable(pi, "treatmentRationale")).contains("already failed");
    complete(Tasks.CONFIRM_TREATMENT);
    deliver("TARGETED_PHYSICAL_THERAPY", 20);
    acceptHypothesesAndWorkup();
    complete(Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS);
    assertThat(variable(pi, "proposedTreatment")).isNull();
    assertThat((String) variable(pi, "treatmentRationale")).contains("surgical review");
  }

  @Test
  void shouldReturnAFailedTreatmentToReevaluationWithItsHistoryAndOfferNeuromodulationAfterTheSteroidAndTherapyFailed() {
    // given: neuropathic pain, physical therapy first
    ProcessInstance pi = neuropathicPain();
    assertThat(variable(pi, "proposedTreatment")).isEqualTo("TARGETED_PHYSICAL_THERAPY");
    complete(Tasks.CONFIRM_TREATMENT);

    // when: the therapy fails
    deliver("TARGETED_PHYSICAL_THERAPY", 10);

    // then: back to failure analysis, the therapy in the history
    assertThat(ended(pi)).isFalse();
    assertThat(variable(pi, "treatmentsTried")).isEqualTo("TARGETED_PHYSICAL_THERAPY");
    assertThat(variable(pi, "currentStage")).isEqualTo("FAILURE_ANALYSIS");
    BpmnAwareTests.assertThat(pi).hasPassed("Event_TreatmentFailureRecorded", "End_TreatmentFailed");
    assertThat(beans.stages).containsSubsequence("TREATMENT_DELIVERY", "FAILURE_ANALYSIS");
    assertThat(hasTask(Tasks.REVIEW_FAILURE_HYPOTHESES)).isTrue();

    // and the next decision knows what was tried: the documented steroid failure and the therapy are two failed measures,
    // so a neuropathic patient (DN4 7) is offered the trial, without a steroid injection that cannot help (F18)
    acceptHypothesesAndWorkup();
    diagnosticResultIfOrdered("SELECTIVE_NERVE_ROOT_BLOCK", negative());
    complete(Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS);
    assertThat(variable(pi, "proposedTreatment")).isEqualTo("NEUROMODULATION_TRIAL");
    complete(Tasks.CONFIRM_TREATMENT);
    assertThat(beans.order("NEUROMODULATION_TRIAL").kind()).isEqualTo("PROCEDURE");
    deliver("NEUROMODULATION_TRIAL", 20);
    assertThat(variable(pi, "treatmentsTried")).isEqualTo("TARGETED_PHYSICAL_THERAPY,NEUROMODULATION_TRIAL");
    assertThat(beans.orderedCodes()).doesNotContain("REPEAT_IMAGE_GUIDED_INJECTION");
  }

  @Test
  void shouldReferForElectiveSurgeryAfterNinetyDaysAndFailedConservativeAndInterventionalCare() {
    // given: a mechanical source confirmed by imaging and SNRB, therapy and injection failed, day 90 after the failure
    ProcessInstance pi = mechanicalCompressionAfterFailedCare();
    setClock(DAY_90);
    nextMechanicalRound();
    assertThat(variable(pi, "failedCareDays")).isEqualTo(90L);
    assertThat(variable(pi, "proposedTreatment")).isEqualTo("ELECTIVE_SURGICAL_REFERRAL");
    assertThat(variable(pi, "proposedSurgicalProcedure")).isEqualTo("MICRODISCECTOMY");
    assertThat((String) variable(pi, "mechanicalSourceEvidence")).contains("LARGE_DISC_HERNIATION", "SELECTIVE_NERVE_ROOT_BLOCK");

    // when
    complete(Tasks.CONFIRM_TREATMENT);

    // then
    assertThat(variable(pi, "currentStage")).isEqualTo("SURGICAL_REFERRAL");
    assertThat(beans.referrals).singleElement().satisfies(r -> {
      assertThat(r.urgency()).isEqualTo("ELECTIVE");
      assertThat(r.reason()).isEqualTo("FAILED_CONSERVATIVE_CARE");
      assertThat(r.suggestedProcedure()).isEqualTo("MICRODISCECTOMY");
      assertThat(r.evidence()).contains("MECHANICAL_COMPRESSION", "90 days", "LARGE_DISC_HERNIATION", "SELECTIVE_NERVE_ROOT_BLOCK POSITIVE",
          "EPIDURAL_STEROID_INJECTION (enrolment), TARGETED_PHYSICAL_THERAPY");
    });
    complete(Tasks.CONFIRM_SURGICAL_CONSULT_BOOKED, vars("surgicalConsultDate", "2026-06-10"));
    // F21: the pathway waits for the consult's day to pass and asks whether it took place
    assertThat(ended(pi)).isFalse();
    BpmnAwareTests.assertThat(pi).isWaitingAt("Event_ConsultDatePassed");
    atInstant(("2026-06-11T23:59:00Z"));
    fireDueTimers();
    assertThat(hasTask(Tasks.CONFIRM_SURGICAL_CONSULT_HELD)).isFalse();
    atInstant(("2026-06-12T00:01:00Z"));
    fireDueTimers();
    complete(Tasks.CONFIRM_SURGICAL_CONSULT_HELD, vars("consultHeld", "true"));
    assertThat(ended(pi)).isTrue();
    assertThat(historicVariable(pi, "pathwayOutcome")).isEqualTo("REFERRED_ELECTIVE_SURGERY");
    assertThat(beans.completions).containsExactly("REFERRED_ELECTIVE_SURGERY");
  }

  /** F21: a consult that did not take place raises an alert and asks for a new booking; the pathway does not end. */
  @Test
  void shouldAlertAndAskForANewBookingWhenTheConsultDidNotTakePlace() {
    ProcessInstance pi = mechanicalCompressionAfterFailedCare();
    setClock(DAY_90);
    nextMechanicalRound();
    complete(Tasks.CONFIRM_TREATMENT);
    complete(Tasks.CONFIRM_SURGICAL_CONSULT_BOOKED, vars("surgicalConsultDate", "2026-06-10"));
    atInstant(("2026-06-12T08:00:00Z"));
    fireDueTimers();

    complete(Tasks.CONFIRM_SURGICAL_CONSULT_HELD, vars("consultHeld", "false", "consultNotHeldReason", "Patient did not attend"));

    assertThat(beans.alerts).filteredOn(a -> a.type().equals("CONSULT_NOT_HELD")).singleElement()
        .satisfies(a -> assertThat(a.severity()).isEqualTo("HIGH"))
        .satisfies(a -> assertThat(a.message()).contains("2026-06-10").doesNotContain("did not attend"));
    assertThat(hasTask(Tasks.CONFIRM_SURGICAL_CONSULT_BOOKED)).isTrue();
    assertThat(ended(pi)).isFalse();
    assertThat(beans.completions).isEmpty();

    // an answer that is neither yes nor no is not taken as "held"
    complete(Tasks.CONFIRM_SURGICAL_CONSULT_BOOKED, vars("surgicalConsultDate", "2026-06-20"));
    atInstant(("2026-06-22T08:00:00Z"));
    fireDueTimers();
    complete(Tasks.CONFIRM_SURGICAL_CONSULT_HELD, vars());
    assertThat(beans.alerts).filteredOn(a -> a.type().equals("CONSULT_NOT_HELD")).hasSize(2);
    assertThat(ended(pi)).isFalse();
  }

  @Test
  void shouldRaiseAnAlertWhenTheSurgicalConsultIsNotBookedInTime() {
    ProcessInstance pi = mechanicalCompressionAfterFailedCare();
    setClock(DAY_90);
    nextMechanicalRound();
    complete(Tasks.CONFIRM_TREATMENT);
    assertThat(beans.alerts).isEmpty();

    advance(Duration.ofDays(14));
    fireDueTimers();

    assertThat(beans.alerts).singleElement().satisfies(a -> {
      assertThat(a.type()).isEqualTo("TASK_OVERDUE");
      assertThat(a.severity()).isEqualTo("HIGH");
    });
    assertThat(hasTask(Tasks.CONFIRM_SURGICAL_CONSULT_BOOKED)).isTrue();
    assertThat(ended(pi)).isFalse();

    // F21: still not booked a booking interval later: alerted again, not silent
    advance(Duration.ofDays(14));
    fireDueTimers();
    assertThat(beans.alerts).hasSize(2).allSatisfy(a -> assertThat(a.type()).isEqualTo("TASK_OVERDUE"));

    // and a consult date in the past is refused; the task stays open
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> complete(Tasks.CONFIRM_SURGICAL_CONSULT_BOOKED,
        vars("surgicalConsultDate", "2026-05-01"))).hasMessageContaining("surgicalConsultDate");
    assertThat(hasTask(Tasks.CONFIRM_SURGICAL_CONSULT_BOOKED)).isTrue();
    assertThat(ended(pi)).isFalse();
  }

  // ------------------------------------------------------------------ hard rules

  @Test
  void shouldRefuseElectiveSurgeryOnDay89AndAllowItOnDay90() {
    // given: everything but the time on day 89
    ProcessInstance pi = mechanicalCompressionAfterFailedCare();
    setClock(DAY_89);
    nextMechanicalRound();
    assertThat(variable(pi, "proposedTreatment")).isNull();

    // when: the clinician asks for surgery anyway, with a reason
    Map<String, Object> surgery = vars("selectedTreatment", "ELECTIVE_SURGICAL_REFERRAL",
        "selectedSurgicalProcedure", "MICRODISCECTOMY", "treatmentOverrideReason", "Patient cannot work");
    complete(Tasks.CONFIRM_TREATMENT, surgery);

    // then: refused, back to the clinician with the reason
    assertThat(beans.referrals).isEmpty();
    assertThat(hasTask(Tasks.CONFIRM_TREATMENT)).isTrue();
    assertThat((String) variable(pi, "treatmentRefusalReason")).contains("less than 90 days since the documented steroid failure");
    BpmnAwareTests.assertThat(pi).hasPassed("Event_ElectiveCriteriaNotMet").isWaitingAt("Task_ConfirmTreatment");

    // a day later the same choice is allowed
    advance(Duration.ofDays(1));
    complete(Tasks.CONFIRM_TREATMENT, surgery);
    assertThat(beans.referrals).singleElement().satisfies(r -> assertThat(r.urgency()).isEqualTo("ELECTIVE"));
  }

  @Test
  void shouldRefuseElectiveSurgeryOnAnOldSteroidDateWithNothingTriedAndNoNerveBlock() {
    // the review's route: a steroid date a year back, MRI-only mechanical source, a clinician override on day 1
    ProcessInstance pi = toTreatmentChoice(with(enrolment(), "steroidDate", "2025-01-10", "priorSpineSurgery", true,
        "painPattern", "NEUROGENIC_CLAUDICATION"), "CONTRAST_MRI", with(positive(), "mriFinding", "RECURRENT_HERNIATION"));
    assertThat(variable(pi, "definitiveDiagnosis")).isEqualTo("UNCONFIRMED");

    complete(Tasks.CONFIRM_TREATMENT, vars("selectedTreatment", "ELECTIVE_SURGICAL_REFERRAL",
        "selectedSurgicalProcedure", "MICRODISCECTOMY", "treatmentOverrideReason", "Recurrent herniation on MRI"));

    assertThat(beans.referrals).isEmpty();
    assertThat((String) variable(pi, "treatmentRefusalReason")).contains("not MECHANICAL_COMPRESSION",
        "no positive selective nerve root block", "no conservative treatment has failed");
  }

  @Test
  void shouldRefuseAblationWithoutAPositiveBlock() {
    // given: the clinician diagnoses facet pain although no block was positive
    ProcessInstance pi = enrolAndFailSteroid(facetEnrolment());
    acceptHypothesesAndWorkup();
    diagnosticResult("MEDIAL_BRANCH_BLOCK", negative());
    complete(Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS, vars("definitiveDiagnosis", "FACET_JOINT_PAIN",
        "diagnosisOverrideReason", "Typical facet loading pain"));
    assertThat(variable(pi, "proposedTreatment")).isEqualTo("TARGETED_PHYSICAL_THERAPY");

    // when
    complete(Tasks.CONFIRM_TREATMENT, vars("selectedTreatment", "RADIOFREQUENCY_ABLATION",
        "treatmentOverrideReason", "Clinically convinced"));

    // then
    assertThat(beans.orders).extracting(FakeBeans.Order::code).doesNotContain("RADIOFREQUENCY_ABLATION");
    assertThat(hasTask(Tasks.CONFIRM_TREATMENT)).isTrue();
    assertThat((String) variable(pi, "treatmentRefusalReason")).contains("positive diagnostic block");
    BpmnAwareTests.assertThat(pi).hasPassed("Event_RfaWithoutPositiveBlock").hasNotPassed("SubProcess_TreatmentDelivery");
  }

  @Test
  void shouldRefuseAblationOfTheSacroiliacJointOnAPositiveFacetBlock() {
    // given: positive medial branch block, but the clinician calls it SI joint pain
    ProcessInstance pi = enrolAndFailSteroid(facetEnrolment());
    acceptHypothesesAndWorkup();
    diagnosticResult("MEDIAL_BRANCH_BLOCK", with(positive(), "blockSide", "RIGHT"));
    complete(Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS, vars("definitiveDiagnosis", "SI_JOINT_PAIN",
        "diagnosisOverrideReason", "Pain over the SI joint"));

    // when
    complete(Tasks.CONFIRM_TREATMENT, vars("selectedTreatment", "RADIOFREQUENCY_ABLATION",
        "treatmentOverrideReason", "Block was positive"));

    // then
    assertThat(beans.orders).extracting(FakeBeans.Order::code).doesNotContain("RADIOFREQUENCY_ABLATION");
    assertThat((String) variable(pi, "treatmentRefusalReason")).contains("sacroiliac joint block");
    BpmnAwareTests.assertThat(pi).hasPassed("Event_RfaWithoutPositiveBlock").isWaitingAt("Task_ConfirmTreatment");
  }

  @Test
  void shouldRefuseForgedBlockAndHistoryVariablesAtTheTreatmentChoice() {
    // given: facet pain diagnosed by the clinician, no block ever done
    ProcessInstance pi = enrolAndFailSteroid(with(enrolment(), "painPattern", "NEUROGENIC_CLAUDICATION"));
    acceptHypothesesAndWorkup();
    complete(Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS, vars("definitiveDiagnosis", "FACET_JOINT_PAIN",
        "diagnosisOverrideReason", "Typical facet loading pain"));

    // when: the completion carries the variables of the review's forgery
    complete(Tasks.CONFIRM_TREATMENT, vars("selectedTreatment", "RADIOFREQUENCY_ABLATION", "treatmentOverrideReason",
        "Clinically convinced", "facetBlockPositive", true, "medialBranchBlockOutcome", "POSITIVE", "treatmentRule", "ALLOWED",
        "proposedTreatment", "RADIOFREQUENCY_ABLATION", "electiveMinFailedCareDays", 0, "treatmentsTried", "RADIOFREQUENCY_ABLATION"));

    // then
    assertThat(beans.orders).extracting(FakeBeans.Order::code).doesNotContain("RADIOFREQUENCY_ABLATION");
    assertThat(variable(pi, "facetBlockPositive")).isEqualTo(false);
    assertThat(variable(pi, "treatmentsTried")).isEqualTo("");
    BpmnAwareTests.assertThat(pi).hasPassed("Event_RfaWithoutPositiveBlock").isWaitingAt("Task_ConfirmTreatment");
  }

  @Test
  void shouldRefuseATreatmentOutsideTheCodeListInsteadOfOrderingIt() {
    ProcessInstance pi = mechanicalCompression();

    complete(Tasks.CONFIRM_TREATMENT, vars("selectedTreatment", "SPINAL_FUSION", "treatmentOverrideReason", "Straight to fusion"));

    assertThat(beans.orders).extracting(FakeBeans.Order::code).doesNotContain("SPINAL_FUSION");
    BpmnAwareTests.assertThat(pi).hasPassed("Event_TreatmentCodeRefused").isWaitingAt("Task_ConfirmTreatment");
  }

  @Test
  void shouldRefuseNeuromodulationBeforeTwoOtherTreatmentsFailed() {
    ProcessInstance pi = neuropathicPain();

    complete(Tasks.CONFIRM_TREATMENT, vars("selectedTreatment", "NEUROMODULATION_TRIAL",
        "treatmentOverrideReason", "Severe pain for months"));

    assertThat(beans.orders).extracting(FakeBeans.Order::code).doesNotContain("NEUROMODULATION_TRIAL");
    assertThat(hasTask(Tasks.CONFIRM_TREATMENT)).isTrue();
    assertThat((String) variable(pi, "treatmentRefusalReason")).contains("at least 2 other measures failed", "(now 1)");
    BpmnAwareTests.assertThat(pi).hasPassed("Event_NeuromodulationCriteriaNotMet");
  }

  @Test
  void shouldRefuseMildForANeuropathicPatientEvenWithAReason() {
    ProcessInstance pi = neuropathicPain();

    complete(Tasks.CONFIRM_TREATMENT, vars("selectedTreatment", "MINIMALLY_INVASIVE_LUMBAR_DECOMPRESSION",
        "treatmentOverrideReason", "Claudication on walking"));

    assertThat(beans.orders).extracting(FakeBeans.Order::code).doesNotContain("MINIMALLY_INVASIVE_LUMBAR_DECOMPRESSION");
    assertThat((String) variable(pi, "treatmentRefusalReason")).contains("ligamentum flavum hypertrophy");
    BpmnAwareTests.assertThat(pi).hasPassed("Event_MildCriteriaNotMet").isWaitingAt("Task_ConfirmTreatment");
  }

  @Test
  void shouldRefuseAnElectiveReferralWithoutAProcedure() {
    ProcessInstance pi = mechanicalCompressionAfterFailedCare();
    setClock(DAY_90);
    nextMechanicalRound();

    complete(Tasks.CONFIRM_TREATMENT, vars("selectedSurgicalProcedure", null));

    assertThat(beans.referrals).isEmpty();
    assertThat((String) variable(pi, "treatmentRefusalReason")).contains("procedure");
    BpmnAwareTests.assertThat(pi).hasPassed("Event_TreatmentCodeRefused");
  }

  @Test
  void shouldRefuseAChangedTreatmentWithoutAReasonOfTenCharactersAndAcceptItWithOne() {
    // given
    ProcessInstance pi = neuropathicPain();

    // when: no reason, then "."
    complete(Tasks.CONFIRM_TREATMENT, vars("selectedTreatment", "REPEAT_IMAGE_GUIDED_INJECTION"));
    complete(Tasks.CONFIRM_TREATMENT, vars("selectedTreatment", "REPEAT_IMAGE_GUIDED_INJECTION", "treatmentOverrideReason", "."));

    // then
    assertThat(beans.orders).extracting(FakeBeans.Order::code).doesNotContain("REPEAT_IMAGE_GUIDED_INJECTION");
    assertThat((String) variable(pi, "treatmentRefusalReason")).contains("give the reason", "10 characters");
    BpmnAwareTests.assertThat(pi).hasPassed("Event_TreatmentChangeWithoutReason");

    complete(Tasks.CONFIRM_TREATMENT, vars("treatmentOverrideReason", "Root irritation on examination"));
    assertThat(beans.orderedCodes()).contains("REPEAT_IMAGE_GUIDED_INJECTION");
    assertThat(historicVariable(pi, "treatmentOverrideReason")).isEqualTo("Root irritation on examination");
  }

  @Test
  void shouldClearTheReasonAfterARefusalSoThatASecondChoiceNeedsItsOwn() {
    // the review's B4: mild proposed, RFA chosen with a reason and refused, then physical therapy with the same (kept) reason
    ProcessInstance pi = enrolAndFailSteroid(with(facetEnrolment(), "painPattern", "NEUROGENIC_CLAUDICATION",
        "imagingFindings", "LIGAMENTUM_FLAVUM_HYPERTROPHY,FACET_ARTHROPATHY"));
    acceptHypothesesAndWorkup();
    complete(Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS);
    complete(Tasks.CONFIRM_TREATMENT, vars("selectedTreatment", "RADIOFREQUENCY_ABLATION", "treatmentOverrideReason",
        "Facet loading pain"));
    assertThat(variable(pi, "treatmentOverrideReason")).isNull();

    complete(Tasks.CONFIRM_TREATMENT, vars("selectedTreatment", "TARGETED_PHYSICAL_THERAPY"));

    assertThat(beans.orderedCodes()).doesNotContain("TARGETED_PHYSICAL_THERAPY");
    BpmnAwareTests.assertThat(pi).hasPassed("Event_TreatmentChangeWithoutReason").isWaitingAt("Task_ConfirmTreatment");
  }

  @Test
  void shouldTreatFortyNinePercentReliefAfterATreatmentAsFailure() {
    ProcessInstance pi = facetPain();
    complete(Tasks.CONFIRM_TREATMENT);

    deliver("RADIOFREQUENCY_ABLATION", 49);

    assertThat(ended(pi)).isFalse();
    assertThat(variable(pi, "treatmentsTried")).isEqualTo("RADIOFREQUENCY_ABLATION");
    assertThat(hasTask(Tasks.REVIEW_FAILURE_HYPOTHESES)).isTrue();
  }

  @Test
  void shouldNotProposeAFailedAblationAgain() {
    ProcessInstance pi = facetPain();
    complete(Tasks.CONFIRM_TREATMENT);
    deliver("RADIOFREQUENCY_ABLATION", 30);

    acceptHypothesesAndWorkup();
    // the block of the first round has a valid result: not ordered again; the diagnosis reads it
    assertThat(diagnosticResultIfOrdered("MEDIAL_BRANCH_BLOCK", with(positive(), "blockSide", "RIGHT", "blockLevel", "L4-L5"))).isFalse();
    complete(Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS);

    assertThat(variable(pi, "proposedTreatment")).isEqualTo("TARGETED_PHYSICAL_THERAPY");
    assertThat((String) variable(pi, "treatmentRationale")).contains("already failed");
  }

  @Test
  void shouldTreatFiftyPercentReliefAfterATreatmentAsSuccess() {
    ProcessInstance pi = facetPain();
    complete(Tasks.CONFIRM_TREATMENT);

    deliver("RADIOFREQUENCY_ABLATION", 50);

    assertThat(historicVariable(pi, "pathwayOutcome")).isEqualTo("RESOLVED_AFTER_INTERVENTION");
  }
}
