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

  /** Steroid on 20 Feb: 19 May is day 88, 20 May day 89, 21 May day 90. */
  private static final LocalDateTime DAY_89 = LocalDateTime.of(2026, 5, 20, 9, 0);
  private static final LocalDateTime DAY_90 = LocalDateTime.of(2026, 5, 21, 9, 0);

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

  private ProcessInstance facetPain() {
    return toTreatmentChoice(with(enrolment(), "painPattern", "AXIAL", "imagingFindings", "FACET_ARTHROPATHY"),
        "MEDIAL_BRANCH_BLOCK", with(positive(), "blockReliefPercent", 90));
  }

  private ProcessInstance neuropathicPain() {
    return toTreatmentChoice(with(enrolment(), "neuropathicScore", 7), "SELECTIVE_NERVE_ROOT_BLOCK", negative());
  }

  private ProcessInstance mechanicalCompression() {
    return toTreatmentChoice(with(enrolment(), "imagingFindings", "LARGE_DISC_HERNIATION"), "SELECTIVE_NERVE_ROOT_BLOCK",
        with(positive(), "blockLevel", "L5", "blockReliefPercent", 90));
  }

  private void deliver(String treatment, int reliefPercent) {
    complete(Tasks.SCHEDULE_PROCEDURE, vars("scheduledFor", "2026-04-01"));
    treatmentOutcome(treatment, reliefPercent);
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

    // then
    assertThat(variable(pi, "currentStage")).isEqualTo("TREATMENT_DELIVERY");
    FakeBeans.Order order = beans.order("RADIOFREQUENCY_ABLATION");
    assertThat(order.kind()).isEqualTo("PROCEDURE");
    deliver("RADIOFREQUENCY_ABLATION", 70);
    assertThat(ended(pi)).isTrue();
    assertThat(historicVariable(pi, "pathwayOutcome")).isEqualTo("RESOLVED_AFTER_INTERVENTION");
    assertThat(beans.completions).containsExactly("RESOLVED_AFTER_INTERVENTION");
  }

  @Test
  void shouldAblateSacroiliacJointPainConfirmedByAPositiveSiBlock() {
    ProcessInstance pi = toTreatmentChoice(with(enrolment(), "painPattern", "AXIAL", "imagingFindings", "SACROILIAC_ARTHROPATHY"),
        "SI_JOINT_BLOCK", positive());

    complete(Tasks.CONFIRM_TREATMENT);

    assertThat(variable(pi, "selectedTreatment")).isEqualTo("RADIOFREQUENCY_ABLATION");
    assertThat(beans.order("RADIOFREQUENCY_ABLATION").kind()).isEqualTo("PROCEDURE");
  }

  @Test
  void shouldGiveTargetedPhysicalTherapyForDiscogenicPain() {
    ProcessInstance pi = toTreatmentChoice(with(enrolment(), "painPattern", "MIXED", "imagingFindings", "DISC_DEGENERATION"),
        "DISCOGRAPHY", with(positive(), "concordantPain", true, "contrastLeak", true));
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
  void shouldReturnAFailedTreatmentToReevaluationWithItsHistoryAndThenOfferNeuromodulation() {
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

    // and the next decision knows what was tried
    acceptHypothesesAndWorkup();
    diagnosticResult("SELECTIVE_NERVE_ROOT_BLOCK", negative());
    complete(Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS);
    assertThat(variable(pi, "proposedTreatment")).isEqualTo("NEUROMODULATION_TRIAL");
    complete(Tasks.CONFIRM_TREATMENT);
    assertThat(beans.order("NEUROMODULATION_TRIAL").kind()).isEqualTo("PROCEDURE");
    deliver("NEUROMODULATION_TRIAL", 20);
    assertThat(variable(pi, "treatmentsTried")).isEqualTo("TARGETED_PHYSICAL_THERAPY,NEUROMODULATION_TRIAL");
  }

  @Test
  void shouldReferForElectiveSurgeryAfterThreeMonthsOfFailedCare() {
    // given: a mechanical source confirmed on day 90
    setClock(DAY_90.minusDays(30));
    ProcessInstance pi = enrolAndFailSteroid(with(enrolment(), "imagingFindings", "LARGE_DISC_HERNIATION"));
    acceptHypothesesAndWorkup();
    setClock(DAY_90);
    diagnosticResult("SELECTIVE_NERVE_ROOT_BLOCK", with(positive(), "blockLevel", "L5"));
    complete(Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS);
    assertThat(variable(pi, "failedCareDays")).isEqualTo(90L);
    assertThat(variable(pi, "proposedTreatment")).isEqualTo("ELECTIVE_SURGICAL_REFERRAL");
    assertThat(variable(pi, "proposedSurgicalProcedure")).isEqualTo("MICRODISCECTOMY");

    // when
    complete(Tasks.CONFIRM_TREATMENT);

    // then
    assertThat(variable(pi, "currentStage")).isEqualTo("SURGICAL_REFERRAL");
    assertThat(beans.referrals).singleElement().satisfies(r -> {
      assertThat(r.urgency()).isEqualTo("ELECTIVE");
      assertThat(r.reason()).isEqualTo("FAILED_CONSERVATIVE_CARE");
      assertThat(r.suggestedProcedure()).isEqualTo("MICRODISCECTOMY");
      assertThat(r.evidence()).contains("MECHANICAL_COMPRESSION", "90 days");
    });
    complete(Tasks.CONFIRM_SURGICAL_CONSULT_BOOKED, vars("surgicalConsultDate", "2026-06-10"));
    assertThat(ended(pi)).isTrue();
    assertThat(historicVariable(pi, "pathwayOutcome")).isEqualTo("REFERRED_ELECTIVE_SURGERY");
    assertThat(beans.completions).containsExactly("REFERRED_ELECTIVE_SURGERY");
  }

  @Test
  void shouldRaiseAnAlertWhenTheSurgicalConsultIsNotBookedInTime() {
    setClock(DAY_90);
    ProcessInstance pi = mechanicalCompression();
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
  }

  // ------------------------------------------------------------------ hard rules

  @Test
  void shouldRefuseElectiveSurgeryOnDay89AndAllowItOnDay90() {
    // given: mechanical compression on day 89: conservative care proposed
    setClock(DAY_89);
    ProcessInstance pi = mechanicalCompression();
    assertThat(variable(pi, "proposedTreatment")).isEqualTo("TARGETED_PHYSICAL_THERAPY");

    // when: the clinician asks for surgery anyway, with a reason
    Map<String, Object> surgery = vars("selectedTreatment", "ELECTIVE_SURGICAL_REFERRAL",
        "selectedSurgicalProcedure", "MICRODISCECTOMY", "treatmentOverrideReason", "Patient cannot work");
    complete(Tasks.CONFIRM_TREATMENT, surgery);

    // then: refused, back to the clinician with the reason
    assertThat(beans.referrals).isEmpty();
    assertThat(hasTask(Tasks.CONFIRM_TREATMENT)).isTrue();
    assertThat((String) variable(pi, "treatmentRefusalReason")).contains("3 months");
    BpmnAwareTests.assertThat(pi).hasPassed("Event_SurgeryBeforeMinimumFailedCare").isWaitingAt("Task_ConfirmTreatment");

    // a day later the same choice is allowed
    advance(Duration.ofDays(1));
    complete(Tasks.CONFIRM_TREATMENT, surgery);
    assertThat(beans.referrals).singleElement().satisfies(r -> assertThat(r.urgency()).isEqualTo("ELECTIVE"));
  }

  @Test
  void shouldRefuseAblationWithoutAPositiveBlock() {
    // given: the clinician diagnoses facet pain although no block was positive
    ProcessInstance pi = enrolAndFailSteroid(with(enrolment(), "painPattern", "AXIAL", "imagingFindings", "FACET_ARTHROPATHY"));
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
    ProcessInstance pi = enrolAndFailSteroid(with(enrolment(), "painPattern", "AXIAL", "imagingFindings", "FACET_ARTHROPATHY"));
    acceptHypothesesAndWorkup();
    diagnosticResult("MEDIAL_BRANCH_BLOCK", positive());
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
  void shouldRefuseNeuromodulationBeforeAnyOtherTreatmentFailed() {
    ProcessInstance pi = neuropathicPain();

    complete(Tasks.CONFIRM_TREATMENT, vars("selectedTreatment", "NEUROMODULATION_TRIAL",
        "treatmentOverrideReason", "Severe pain"));

    assertThat(beans.orders).extracting(FakeBeans.Order::code).doesNotContain("NEUROMODULATION_TRIAL");
    assertThat(hasTask(Tasks.CONFIRM_TREATMENT)).isTrue();
    assertThat((String) variable(pi, "treatmentRefusalReason")).contains("no other treatment");
    BpmnAwareTests.assertThat(pi).hasPassed("Event_NeuromodulationWithoutPriorTreatment");
  }

  @Test
  void shouldRefuseAnElectiveReferralWithoutAProcedure() {
    setClock(DAY_90);
    ProcessInstance pi = mechanicalCompression();

    complete(Tasks.CONFIRM_TREATMENT, vars("selectedSurgicalProcedure", null));

    assertThat(beans.referrals).isEmpty();
    assertThat((String) variable(pi, "treatmentRefusalReason")).contains("procedure");
    BpmnAwareTests.assertThat(pi).hasPassed("Event_SurgeryWithoutProcedure");
  }

  @Test
  void shouldRefuseAChangedTreatmentWithoutAReasonAndAcceptItWithOne() {
    // given
    ProcessInstance pi = neuropathicPain();

    // when
    complete(Tasks.CONFIRM_TREATMENT, vars("selectedTreatment", "MINIMALLY_INVASIVE_LUMBAR_DECOMPRESSION"));

    // then
    assertThat(beans.orders).extracting(FakeBeans.Order::code).doesNotContain("MINIMALLY_INVASIVE_LUMBAR_DECOMPRESSION");
    assertThat((String) variable(pi, "treatmentRefusalReason")).contains("give the reason");
    BpmnAwareTests.assertThat(pi).hasPassed("Event_TreatmentChangeWithoutReason");

    complete(Tasks.CONFIRM_TREATMENT, vars("treatmentOverrideReason", "Claudication on walking"));
    assertThat(beans.orderedCodes()).contains("MINIMALLY_INVASIVE_LUMBAR_DECOMPRESSION");
    assertThat(historicVariable(pi, "treatmentOverrideReason")).isEqualTo("Claudication on walking");
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
  void shouldTreatFiftyPercentReliefAfterATreatmentAsSuccess() {
    ProcessInstance pi = facetPain();
    complete(Tasks.CONFIRM_TREATMENT);

    deliver("RADIOFREQUENCY_ABLATION", 50);

    assertThat(historicVariable(pi, "pathwayOutcome")).isEqualTo("RESOLVED_AFTER_INTERVENTION");
  }
}
