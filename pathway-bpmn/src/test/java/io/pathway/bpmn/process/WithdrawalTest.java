package io.pathway.bpmn.process;

import static org.assertj.core.api.Assertions.assertThat;

import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;

import io.pathway.bpmn.PathwayModel.Tasks;
import io.pathway.bpmn.support.ProcessTestCase;
import java.time.LocalDateTime;
import java.util.function.Function;
import java.util.stream.Stream;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;
import org.camunda.bpm.engine.task.Task;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WithdrawalTest extends ProcessTestCase {

  static Stream<Arguments> stages() {
    Function<WithdrawalTest, ProcessInstance> responseAssessment = t -> t.enrol(t.enrolment());
    Function<WithdrawalTest, ProcessInstance> failureAnalysis = t -> t.enrolAndFailSteroid(t.enrolment());
    Function<WithdrawalTest, ProcessInstance> diagnostics = t -> {
      ProcessInstance pi = t.enrolAndFailSteroid(with(t.enrolment(), "priorSpineSurgery", true));
      t.acceptHypothesesAndWorkup();
      return pi;
    };
    Function<WithdrawalTest, ProcessInstance> treatmentSelection = t -> {
      ProcessInstance pi = t.enrolAndFailSteroid(t.enrolment());
      t.acceptHypothesesAndWorkup();
      t.complete(Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS);
      return pi;
    };
    Function<WithdrawalTest, ProcessInstance> treatmentDelivery = t -> {
      ProcessInstance pi = treatmentSelection.apply(t);
      t.complete(Tasks.CONFIRM_TREATMENT);
      return pi;
    };
    Function<WithdrawalTest, ProcessInstance> surgicalReferral = t -> {
      t.setClock(LocalDateTime.of(2026, 6, 1, 9, 0));
      return t.referForElectiveSurgery();
    };
    return Stream.of(
        Arguments.of("RESPONSE_ASSESSMENT", responseAssessment),
        Arguments.of("FAILURE_ANALYSIS", failureAnalysis),
        Arguments.of("DIAGNOSTIC_REEVALUATION", diagnostics),
        Arguments.of("TREATMENT_SELECTION", treatmentSelection),
        Arguments.of("TREATMENT_DELIVERY", treatmentDelivery),
        Arguments.of("SURGICAL_REFERRAL", surgicalReferral));
  }

  @ParameterizedTest(name = "withdrawn during {0}")
  @MethodSource("stages")
  void shouldEndThePathwayCleanlyWhenThePatientIsWithdrawn(String stage, Function<WithdrawalTest, ProcessInstance> reach) {
    // given
    ProcessInstance pi = reach.apply(this);
    assertThat(variable(pi, "currentStage")).isEqualTo(stage);

    // when
    withdraw(pi, "Transferred to another hospital");

    // then
    assertThat(ended(pi)).isTrue();
    BpmnAwareTests.assertThat(pi).isEnded().hasPassed("Event_WithdrawalRequested", "End_Withdrawn");
    assertThat(runningInstances()).as("no order or escalation left behind").isZero();
    assertThat(taskService.createTaskQuery().count()).isZero();
    assertThat(historicVariable(pi, "pathwayOutcome")).isEqualTo("WITHDRAWN");
    assertThat(historicVariable(pi, "withdrawalReason")).isEqualTo("Transferred to another hospital");
    assertThat(beans.completions).containsExactly("WITHDRAWN");
  }

  @Test
  void shouldCancelTheOpenOrdersTowardsTheHospitalWhenThePatientIsWithdrawn() {
    // given: a contrast MRI is ordered and awaited
    ProcessInstance pi = enrolAndFailSteroid(with(enrolment(), "priorSpineSurgery", true));
    acceptHypothesesAndWorkup();
    String orderId = beans.order("CONTRAST_MRI").orderId();

    // when
    withdraw(pi, "Transferred to another hospital");

    // then
    assertThat(beans.cancelledOrders).containsExactly(orderId + ":WITHDRAWN");
  }

  @Test
  void shouldNeverLetAWithdrawalCancelAnUnconfirmedEscalation() {
    // given: cauda equina signs at enrolment, the transfer not yet confirmed
    ProcessInstance pi = enrol(with(enrolment(), "redFlags", "BLADDER_DYSFUNCTION"));
    Task transfer = task(Tasks.CONFIRM_EMERGENCY_TRANSFER);

    // when: the hospital reports the patient transferred out
    withdraw(pi, "Transferred to another hospital");

    // then: the escalation runs on, with the same task and its deadline ladder
    assertThat(ended(pi)).isFalse();
    assertThat(task(Tasks.CONFIRM_EMERGENCY_TRANSFER).getId()).isEqualTo(transfer.getId());
    assertThat(variable(pi, "withdrawalRequested")).isEqualTo(true);
    advance(Duration.ofMinutes(30));
    fireDueTimers();
    assertThat(beans.alerts).extracting(a -> a.type() + "/" + a.severity()).containsExactly("RED_FLAG/CRITICAL", "ESCALATION/CRITICAL");

    // and only the confirmation ends it, as a referral: the withdrawal is recorded, not applied
    complete(Tasks.CONFIRM_EMERGENCY_TRANSFER, vars("emergencyTransferConfirmed", true, "transferNote", "Neurosurgery, 10:40"));
    assertThat(historicVariable(pi, "pathwayOutcome")).isEqualTo("REFERRED_EMERGENCY_SURGERY");
    assertThat(historicVariable(pi, "withdrawalReason")).isEqualTo("Transferred to another hospital");
    BpmnAwareTests.assertThat(pi).isEnded().hasPassed("Event_WithdrawalRequested").hasNotPassed("End_Withdrawn");
  }
}
