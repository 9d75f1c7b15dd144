package io.pathway.bpmn.process;

import static org.assertj.core.api.Assertions.assertThat;

import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;

import io.pathway.bpmn.PathwayModel.Tasks;
import io.pathway.bpmn.support.ProcessTestCase;
import org.camunda.bpm.engine.history.HistoricDecisionInstance;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;

class ClinicianOverrideTest extends ProcessTestCase {

  @Test
  void shouldRefuseAmendedHypothesesWithoutAReason() {
    // given: structural compression proposed
    ProcessInstance pi = enrolAndFailSteroid(with(enrolment(), "imagingFindings", "SEVERE_STENOSIS"));

    // when: the clinician unticks it and says nothing
    complete(Tasks.REVIEW_FAILURE_HYPOTHESES, vars("hypothesisStructuralCompression", false));

    // then: the review comes back with the refusal, nothing is ordered
    assertThat(hasTask(Tasks.REVIEW_FAILURE_HYPOTHESES)).isTrue();
    assertThat((String) variable(pi, "hypothesesRefusalReason")).contains("give the reason");
    BpmnAwareTests.assertThat(pi).hasPassed("Event_HypothesesChangeRefused").isWaitingAt("Task_ReviewFailureHypotheses");
    assertThat(hasTask(Tasks.REVIEW_DIAGNOSTIC_WORKUP)).isFalse();
  }

  @Test
  void shouldAcceptAmendedHypothesesWithAReasonAndKeepItInHistory() {
    ProcessInstance pi = enrolAndFailSteroid(with(enrolment(), "imagingFindings", "SEVERE_STENOSIS"));

    complete(Tasks.REVIEW_FAILURE_HYPOTHESES, vars("hypothesisStructuralCompression", false,
        "hypothesisPossibleMisdiagnosis", true, "hypothesesOverrideReason", "Pain is axial on examination"));

    assertThat(hasTask(Tasks.REVIEW_DIAGNOSTIC_WORKUP)).isTrue();
    assertThat(variable(pi, "proposedStructuralCompression")).isEqualTo(true);
    assertThat(variable(pi, "hypothesisStructuralCompression")).isEqualTo(false);
    assertThat(historicVariable(pi, "hypothesesOverrideReason")).isEqualTo("Pain is axial on examination");
    assertThat(variable(pi, "orderMedialBranchBlock")).isEqualTo(true);
  }

  @Test
  void shouldRefuseAChangedWorkupWithoutAReason() {
    ProcessInstance pi = enrolAndFailSteroid(with(enrolment(), "priorSpineSurgery", true));
    complete(Tasks.REVIEW_FAILURE_HYPOTHESES);

    complete(Tasks.REVIEW_DIAGNOSTIC_WORKUP, vars("orderContrastMri", false));

    assertThat(beans.orders).isEmpty();
    assertThat(hasTask(Tasks.REVIEW_DIAGNOSTIC_WORKUP)).isTrue();
    assertThat((String) variable(pi, "workupRefusalReason")).contains("give the reason");
    BpmnAwareTests.assertThat(pi).hasPassed("Event_WorkupChangeRefused").hasNotPassed("Gateway_OrderTests");
  }

  @Test
  void shouldRefuseAChangedDiagnosisWithoutAReason() {
    ProcessInstance pi = enrolAndFailSteroid(enrolment());
    acceptHypothesesAndWorkup();

    complete(Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS, vars("definitiveDiagnosis", "DISCOGENIC_PAIN", "diagnosisOverrideReason", "  "));

    assertThat(hasTask(Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS)).isTrue();
    assertThat(hasTask(Tasks.CONFIRM_TREATMENT)).isFalse();
    assertThat((String) variable(pi, "diagnosisRefusalReason")).contains("give the reason");
    BpmnAwareTests.assertThat(pi).hasPassed("Event_DiagnosisChangeRefused");

    complete(Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS, vars("diagnosisOverrideReason", "Discogenic pattern on examination"));
    assertThat(variable(pi, "definitiveDiagnosis")).isEqualTo("DISCOGENIC_PAIN");
    assertThat(variable(pi, "proposedDiagnosis")).isEqualTo("UNCONFIRMED");
    assertThat(hasTask(Tasks.CONFIRM_TREATMENT)).isTrue();
  }

  @Test
  void shouldKeepEveryDecisionWithItsInputsAndOutputsInHistory() {
    // given / when: one pass up to the treatment choice
    ProcessInstance pi = enrolAndFailSteroid(with(enrolment(), "priorSpineSurgery", true));
    acceptHypothesesAndWorkup();
    diagnosticResult("CONTRAST_MRI", with(positive(), "mriFinding", "SCAR_TISSUE"));
    complete(Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS);

    // then
    var decisions = historyService.createHistoricDecisionInstanceQuery().processInstanceId(pi.getId())
        .includeInputs().includeOutputs().orderByEvaluationTime().asc().list();
    assertThat(decisions).extracting(HistoricDecisionInstance::getDecisionDefinitionKey)
        .containsExactly("failure-hypotheses", "diagnostic-workup", "definitive-diagnosis", "treatment-selection");
    assertThat(decisions).allSatisfy(d -> {
      assertThat(d.getInputs()).isNotEmpty();
      assertThat(d.getOutputs()).isNotEmpty();
    });
    assertThat(decisions.get(2).getOutputs()).anySatisfy(o -> assertThat(o.getValue()).isEqualTo("NEUROPATHIC_PAIN"));
  }

  @Test
  void shouldRefuseAReasonShorterThanTenCharactersAndClearItAfterTheRefusal() {
    // given: structural compression proposed
    ProcessInstance pi = enrolAndFailSteroid(with(enrolment(), "imagingFindings", "SEVERE_STENOSIS"));

    // when: "." and then nine characters
    complete(Tasks.REVIEW_FAILURE_HYPOTHESES, vars("hypothesisStructuralCompression", false, "hypothesesOverrideReason", "."));
    complete(Tasks.REVIEW_FAILURE_HYPOTHESES, vars("hypothesisStructuralCompression", false,
        "hypothesesOverrideReason", " 123456789 "));

    // then: both refused, and the refused reason is not kept for the next answer
    assertThat(hasTask(Tasks.REVIEW_FAILURE_HYPOTHESES)).isTrue();
    assertThat(variable(pi, "hypothesesOverrideReason")).isNull();
    assertThat((String) variable(pi, "hypothesesRefusalReason")).contains("10 characters");
    complete(Tasks.REVIEW_FAILURE_HYPOTHESES, vars("hypothesisStructuralCompression", false));
    assertThat(hasTask(Tasks.REVIEW_DIAGNOSTIC_WORKUP)).isFalse();
  }

  @Test
  void shouldRefuseAShortReasonForAChangedWorkupOrDiagnosis() {
    ProcessInstance pi = enrolAndFailSteroid(with(enrolment(), "priorSpineSurgery", true));
    complete(Tasks.REVIEW_FAILURE_HYPOTHESES);
    complete(Tasks.REVIEW_DIAGNOSTIC_WORKUP, vars("orderContrastMri", false, "workupOverrideReason", "no"));
    assertThat(beans.orders).isEmpty();
    assertThat(variable(pi, "workupOverrideReason")).isNull();

    complete(Tasks.REVIEW_DIAGNOSTIC_WORKUP, vars("orderContrastMri", false, "workupOverrideReason", "MRI done last week elsewhere"));
    complete(Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS, vars("definitiveDiagnosis", "DISCOGENIC_PAIN", "diagnosisOverrideReason", "disc"));

    assertThat(hasTask(Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS)).isTrue();
    assertThat(variable(pi, "diagnosisOverrideReason")).isNull();
    BpmnAwareTests.assertThat(pi).hasPassed("Event_WorkupChangeRefused", "Event_DiagnosisChangeRefused");
  }
}
