package io.pathway.bpmn.process;

import static org.assertj.core.api.Assertions.assertThat;

import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;

import io.pathway.bpmn.PathwayModel.Tasks;
import io.pathway.bpmn.support.ProcessTestCase;
import java.util.Map;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;

class DiagnosticReevaluationTest extends ProcessTestCase {

  @Test
  void shouldProposeHypothesesFromTheEnrolmentDataForTheClinician() {
    // given
    Map<String, Object> enrolment = with(enrolment(), "priorSpineSurgery", true, "imagingFindings", "SEVERE_STENOSIS");

    // when
    ProcessInstance pi = enrolAndFailSteroid(enrolment);

    // then
    assertThat(variable(pi, "currentStage")).isEqualTo("FAILURE_ANALYSIS");
    assertThat(variable(pi, "hypothesisStructuralCompression")).isEqualTo(true);
    assertThat(variable(pi, "hypothesisRecurrenceOrScar")).isEqualTo(true);
    assertThat(variable(pi, "hypothesisTechnicalFailure")).isEqualTo(false);
    assertThat(variable(pi, "proposedStructuralCompression")).isEqualTo(true);
    assertThat((String) variable(pi, "proposedHypotheses")).contains("STRUCTURAL_COMPRESSION", "RECURRENCE_OR_SCAR");
    assertThat(task(Tasks.REVIEW_FAILURE_HYPOTHESES).getPriority()).isEqualTo(50);
    assertThat(historyService.createHistoricDecisionInstanceQuery().decisionDefinitionKey("failure-hypotheses")
        .processInstanceId(pi.getId()).includeInputs().includeOutputs().singleResult().getOutputs()).hasSize(2);
  }

  @Test
  void shouldNameEachProposedHypothesisOnceWhenTwoRulesPointToIt() {
    // given: an injection neither image guided nor with confirmed contrast spread (two technical-failure rules)
    Map<String, Object> enrolment = with(enrolment(), "steroidKind", "EPIDURAL_STEROID_INJECTION",
        "imageGuided", false, "contrastSpreadConfirmed", false);

    // when
    ProcessInstance pi = enrolAndFailSteroid(enrolment);

    // then: the decision hit twice, the clinician and the order reason read the hypothesis once
    assertThat(historyService.createHistoricDecisionInstanceQuery().decisionDefinitionKey("failure-hypotheses")
        .processInstanceId(pi.getId()).includeOutputs().singleResult().getOutputs())
        .filteredOn(output -> "TECHNICAL_FAILURE".equals(output.getValue())).hasSize(2);
    assertThat((String) variable(pi, "proposedHypotheses")).isEqualTo("[TECHNICAL_FAILURE]");
    assertThat(variable(pi, "hypothesisTechnicalFailure")).isEqualTo(true);
  }

  @Test
  void shouldOrderContrastMriForRecurrenceOrScarAfterSurgery() {
    // given
    ProcessInstance pi = enrolAndFailSteroid(with(enrolment(), "priorSpineSurgery", true));

    // when
    acceptHypothesesAndWorkup();

    // then
    assertThat(beans.orderedCodes()).containsExactly("CONTRAST_MRI");
    assertThat(beans.order("CONTRAST_MRI").kind()).isEqualTo("DIAGNOSTIC");
    assertThat(variable(pi, "currentStage")).isEqualTo("DIAGNOSTIC_REEVALUATION");

    diagnosticResult("CONTRAST_MRI", with(positive(), "mriFinding", "RECURRENT_HERNIATION"));
    assertThat(variable(pi, "mriOutcome")).isEqualTo("POSITIVE");
    assertThat(variable(pi, "mriFinding")).isEqualTo("RECURRENT_HERNIATION");
    // MRI alone never makes a mechanical diagnosis: no nerve root block confirmed the root
    assertThat(variable(pi, "proposedDiagnosis")).isEqualTo("UNCONFIRMED");
    assertThat(hasTask(Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS)).isTrue();
  }

  @Test
  void shouldOrderNerveRootBlockForStructuralCompressionWithRadicularPain() {
    ProcessInstance pi = enrolAndFailSteroid(with(enrolment(), "imagingFindings", "SEVERE_STENOSIS", "painPattern", "RADICULAR"));

    acceptHypothesesAndWorkup();

    assertThat(beans.orderedCodes()).containsExactly("SELECTIVE_NERVE_ROOT_BLOCK");
    diagnosticResult("SELECTIVE_NERVE_ROOT_BLOCK", with(positive(), "blockLevel", "L5", "blockReliefPercent", 80));
    assertThat(variable(pi, "snrbOutcome")).isEqualTo("POSITIVE");
    assertThat(variable(pi, "snrbLevel")).isEqualTo("L5");
    assertThat(variable(pi, "snrbReliefPercent")).isEqualTo(80);
  }

  @Test
  void shouldOrderNerveRootBlockForNeuropathicRadicularPain() {
    enrolAndFailSteroid(with(enrolment(), "neuropathicScore", 6, "painPattern", "RADICULAR"));

    acceptHypothesesAndWorkup();

    assertThat(beans.orderedCodes()).containsExactly("SELECTIVE_NERVE_ROOT_BLOCK");
  }

  @Test
  void shouldOrderMedialBranchBlockForPossibleFacetMisdiagnosis() {
    enrolAndFailSteroid(with(enrolment(), "painPattern", "AXIAL", "imagingFindings", "FACET_ARTHROPATHY"));

    acceptHypothesesAndWorkup();

    assertThat(beans.orderedCodes()).containsExactly("MEDIAL_BRANCH_BLOCK");
  }

  @Test
  void shouldOrderSiJointBlockForPossibleSacroiliacMisdiagnosis() {
    enrolAndFailSteroid(with(enrolment(), "painPattern", "AXIAL", "imagingFindings", "SACROILIAC_ARTHROPATHY"));

    acceptHypothesesAndWorkup();

    assertThat(beans.orderedCodes()).containsExactly("SI_JOINT_BLOCK");
  }

  @Test
  void shouldOrderDiscographyWhenDiscogenicPainIsSuspected() {
    enrolAndFailSteroid(with(enrolment(), "painPattern", "AXIAL", "imagingFindings", "DISC_DEGENERATION"));

    acceptHypothesesAndWorkup();

    assertThat(beans.orderedCodes()).containsExactlyInAnyOrder("DISCOGRAPHY", "MEDIAL_BRANCH_BLOCK");
  }

  @Test
  void shouldRepeatTheInjectionUnderImageGuidanceAfterTechnicalFailure() {
    // given
    ProcessInstance pi = enrolAndFailSteroid(with(enrolment(), "imageGuided", false));

    // when
    acceptHypothesesAndWorkup();

    // then: a procedure, scheduled by a coordinator before its outcome is awaited
    assertThat(beans.order("REPEAT_IMAGE_GUIDED_INJECTION").kind()).isEqualTo("PROCEDURE");
    assertThat(task(Tasks.SCHEDULE_PROCEDURE).getPriority()).isEqualTo(40);
    complete(Tasks.SCHEDULE_PROCEDURE, vars("scheduledFor", "2026-03-10"));
    treatmentOutcome("REPEAT_IMAGE_GUIDED_INJECTION", 30);
    assertThat(variable(pi, "repeatInjectionReliefPercent")).isEqualTo(30);
    assertThat(hasTask(Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS)).isTrue();
  }

  @Test
  void shouldResolveWhenTheRepeatInjectionRelievesThePain() {
    ProcessInstance pi = enrolAndFailSteroid(with(enrolment(), "imageGuided", false));
    acceptHypothesesAndWorkup();
    complete(Tasks.SCHEDULE_PROCEDURE, vars("scheduledFor", "2026-03-10"));

    treatmentOutcome("REPEAT_IMAGE_GUIDED_INJECTION", 50);

    BpmnAwareTests.assertThat(pi).isEnded().hasPassed("End_ResolvedByRepeatInjection", "Event_ResolvedDuringDiagnostics",
        "End_ResolvedAfterRepeatInjection").hasNotPassed("Task_ProposeDefinitiveDiagnosis");
    assertThat(historicVariable(pi, "pathwayOutcome")).isEqualTo("RESOLVED_AFTER_INTERVENTION");
    assertThat(beans.completions).containsExactly("RESOLVED_AFTER_INTERVENTION");
  }

  @Test
  void shouldWaitForEveryResultWhateverOrderTheyArriveIn() {
    // given: MRI and nerve root block ordered in parallel
    ProcessInstance pi = enrolAndFailSteroid(with(enrolment(), "priorSpineSurgery", true, "imagingFindings", "SEVERE_STENOSIS",
        "painPattern", "RADICULAR"));
    acceptHypothesesAndWorkup();
    assertThat(beans.orderedCodes()).containsExactlyInAnyOrder("CONTRAST_MRI", "SELECTIVE_NERVE_ROOT_BLOCK");

    // when: the block (ordered second) answers first
    diagnosticResult("SELECTIVE_NERVE_ROOT_BLOCK", negative());

    // then: still waiting for the MRI
    assertThat(hasTask(Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS)).isFalse();
    assertThat(runningChildren(pi)).isEqualTo(1);

    diagnosticResult("CONTRAST_MRI", with(positive(), "mriFinding", "SCAR_TISSUE"));
    assertThat(runningChildren(pi)).isZero();
    assertThat(variable(pi, "snrbOutcome")).isEqualTo("NEGATIVE");
    assertThat(variable(pi, "proposedDiagnosis")).isEqualTo("NEUROPATHIC_PAIN");
    assertThat(hasTask(Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS)).isTrue();
  }

  @Test
  void shouldOrderANerveRootBlockForRadicularPainWithoutAnyHypothesis() {
    // the review's counterexample: radicular, nerve root compression on imaging, DN4 2, guided ESI
    enrolAndFailSteroid(with(enrolment(), "painPattern", "RADICULAR", "imagingFindings", "NERVE_ROOT_COMPRESSION"));

    acceptHypothesesAndWorkup();

    assertThat(beans.orderedCodes()).containsExactly("SELECTIVE_NERVE_ROOT_BLOCK");
  }

  @Test
  void shouldSuspectATechnicalFailureWhenImageGuidanceIsUnknown() {
    ProcessInstance pi = enrolAndFailSteroid(with(enrolment(), "imageGuided", null));

    assertThat(variable(pi, "hypothesisTechnicalFailure")).isEqualTo(true);
  }

  @Test
  void shouldSuspectCentralSensitizationAfterThreeMonthsOfSymptoms() {
    ProcessInstance longStanding = enrolAndFailSteroid(with(enrolment(), "symptomOnsetDate", "2025-11-30"));
    assertThat(variable(longStanding, "hypothesisNeuropathicOrCentralSensitization")).isEqualTo(true);
  }

  @Test
  void shouldNotSuspectCentralSensitizationBeforeThreeMonthsOfSymptoms() {
    ProcessInstance recent = enrolAndFailSteroid(with(enrolment(), "symptomOnsetDate", "2025-12-02"));
    assertThat(variable(recent, "hypothesisNeuropathicOrCentralSensitization")).isEqualTo(false);
  }

  @Test
  void shouldGoStraightToDiagnosisWhenNoTestIsNeeded() {
    ProcessInstance pi = enrolAndFailSteroid(enrolment());

    acceptHypothesesAndWorkup();

    assertThat(beans.orders).isEmpty();
    BpmnAwareTests.assertThat(pi).hasPassed("Gateway_OrderTests", "Gateway_TestResultsIn").hasNotPassed(
        "CallActivity_OrderContrastMri", "CallActivity_OrderSelectiveNerveRootBlock", "CallActivity_OrderDiscography",
        "CallActivity_OrderMedialBranchBlock", "CallActivity_OrderSiJointBlock", "CallActivity_PerformRepeatInjection");
    assertThat(variable(pi, "proposedDiagnosis")).isEqualTo("UNCONFIRMED");
    assertThat(hasTask(Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS)).isTrue();
  }

  @Test
  void shouldOrderWhatTheClinicianAddsWithAReason() {
    enrolAndFailSteroid(enrolment());
    complete(Tasks.REVIEW_FAILURE_HYPOTHESES);

    complete(Tasks.REVIEW_DIAGNOSTIC_WORKUP, vars("orderContrastMri", true, "workupOverrideReason", "Suspected recurrence"));

    assertThat(beans.orderedCodes()).containsExactly("CONTRAST_MRI");
  }
}
