package io.pathway.bpmn.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathway.bpmn.PathwayModel.Tasks;
import io.pathway.bpmn.support.Deliveries;
import io.pathway.bpmn.support.FakeBeans;
import io.pathway.bpmn.support.ProcessTestCase;
import io.pathway.model.EventTypes;
import java.time.Duration;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Test;

class OrderAndAwaitResultTest extends ProcessTestCase {

  @Test
  void shouldRaiseAnAlertAndAChaseTaskWhenAResultIsOverdueAndKeepWaiting() {
    // given: an MRI ordered
    ProcessInstance pi = enrolAndFailSteroid(with(enrolment(), "priorSpineSurgery", true));
    acceptHypothesesAndWorkup();
    advance(Duration.ofDays(13));
    assertThat(fireDueTimers()).isZero();

    // when: 14 days without a result
    advance(Duration.ofDays(1));
    fireDueTimers();

    // then
    assertThat(beans.alerts).singleElement().satisfies(a -> {
      assertThat(a.type()).isEqualTo("RESULT_OVERDUE");
      assertThat(a.severity()).isEqualTo("MEDIUM");
      assertThat(a.message()).contains("CONTRAST_MRI", beans.order("CONTRAST_MRI").orderId());
    });
    Task chase = task(Tasks.CHASE_OVERDUE_RESULT);
    assertThat(chase.getPriority()).isEqualTo(70);
    assertThat(taskService.getIdentityLinksForTask(chase.getId()))
        .anySatisfy(l -> assertThat(l.getGroupId()).isEqualTo("care-coordinators"));

    // and the result still counts when it comes, closing the chase
    diagnosticResult("CONTRAST_MRI", with(positive(), "mriFinding", "RECURRENT_HERNIATION"));
    assertThat(hasTask(Tasks.CHASE_OVERDUE_RESULT)).isFalse();
    assertThat(variable(pi, "mriFinding")).isEqualTo("RECURRENT_HERNIATION");
    assertThat(hasTask(Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS)).isTrue();
  }

  @Test
  void shouldDeliverAResultOnlyToTheOrderInstanceThatWaitsForIt() {
    // given: an MRI ordered; its order-and-await-result instance waits for the result, the pathway does not
    ProcessInstance pi = enrolAndFailSteroid(with(enrolment(), "priorSpineSurgery", true));
    acceptHypothesesAndWorkup();
    FakeBeans.Order order = beans.order("CONTRAST_MRI");
    ProcessInstance orderInstance = runtimeService.createProcessInstanceQuery().processInstanceId(order.processInstanceId()).singleResult();
    BpmnAwareTests.assertThat(orderInstance).isWaitingAt("Task_AwaitDiagnosticResult");
    assertThat(Deliveries.deliver(runtimeService, EventTypes.DIAGNOSTIC_RESULT, pi.getId(), positive())).isFalse();

    // when: the result, to the order instance by its id
    diagnosticResult("CONTRAST_MRI", with(positive(), "mriFinding", "RECURRENT_HERNIATION"));

    // then: the pathway moves on, and a second result for the same order finds nothing waiting
    BpmnAwareTests.assertThat(orderInstance).isEnded();
    BpmnAwareTests.assertThat(pi).isWaitingAt(Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS);
    assertThat(Deliveries.deliver(runtimeService, EventTypes.DIAGNOSTIC_RESULT, order.processInstanceId(), positive())).isFalse();
  }

  @Test
  void shouldChaseATreatmentOutcomeOverdueAfterTwelveWeeks() {
    ProcessInstance pi = enrolAndFailSteroid(enrolment());
    acceptHypothesesAndWorkup();
    complete(Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS);
    complete(Tasks.CONFIRM_TREATMENT);
    complete(Tasks.SCHEDULE_PROCEDURE, vars("scheduledFor", "2026-03-05"));

    advance(Duration.ofDays(84));
    fireDueTimers();

    assertThat(beans.alerts).singleElement().satisfies(a -> assertThat(a.type()).isEqualTo("RESULT_OVERDUE"));
    assertThat(task(Tasks.CHASE_OVERDUE_OUTCOME).getPriority()).isEqualTo(70);
    complete(Tasks.CHASE_OVERDUE_OUTCOME, vars("chaseNote", "Clinic phoned, outcome next week"));
    treatmentOutcome("TARGETED_PHYSICAL_THERAPY", 80);
    assertThat(historicVariable(pi, "pathwayOutcome")).isEqualTo("RESOLVED_AFTER_INTERVENTION");
  }

  @Test
  void shouldPassThePathwayAndOrderDetailsToTheOrder() {
    ProcessInstance pi = enrolAndFailSteroid(with(enrolment(), "priorSpineSurgery", true));

    acceptHypothesesAndWorkup();

    ProcessInstance order = runtimeService.createProcessInstanceQuery().superProcessInstanceId(pi.getId()).singleResult();
    assertThat(order.getBusinessKey()).isEqualTo(pi.getBusinessKey());
    assertThat(runtimeService.getVariable(order.getId(), "pathwayId")).isEqualTo(pi.getId());
    assertThat(runtimeService.getVariable(order.getId(), "patientRef")).isEqualTo("PSN-0001");
    assertThat(runtimeService.getVariable(order.getId(), "orderKind")).isEqualTo("DIAGNOSTIC");
    assertThat((String) runtimeService.getVariable(order.getId(), "orderReason")).contains("RECURRENCE_OR_SCAR");
  }
  @Test
  void shouldAlertAndChaseAgainEveryIntervalWhileTheResultIsMissing() {
    // given: an MRI overdue, chased once, the department says it is coming
    enrolAndFailSteroid(with(enrolment(), "priorSpineSurgery", true));
    acceptHypothesesAndWorkup();
    advance(Duration.ofDays(14));
    fireDueTimers();
    complete(Tasks.CHASE_OVERDUE_RESULT, vars("chaseOutcome", "KEEP_WAITING", "chaseNote", "Radiology: scan booked"));
    assertThat(hasTask(Tasks.CHASE_OVERDUE_RESULT)).isFalse();

    // when: the chase interval (7 days) passes without the result
    advance(Duration.ofDays(6));
    assertThat(fireDueTimers()).isZero();
    advance(Duration.ofDays(1));
    fireDueTimers();

    // then: a second alert and a new chase task
    assertThat(beans.alerts).hasSize(2).allSatisfy(a -> assertThat(a.type()).isEqualTo("RESULT_OVERDUE"));
    Task second = task(Tasks.CHASE_OVERDUE_RESULT);

    // and a chase task left open is alerted again each interval, without a second task
    advance(Duration.ofDays(7));
    fireDueTimers();
    assertThat(beans.alerts).hasSize(3);
    assertThat(beans.alerts.get(2).message()).contains("still overdue", "CONTRAST_MRI");
    assertThat(task(Tasks.CHASE_OVERDUE_RESULT).getId()).isEqualTo(second.getId());
    advance(Duration.ofDays(7));
    fireDueTimers();
    assertThat(beans.alerts).hasSize(4);

    // and the result ends the chasing: no timer of the order is left
    diagnosticResult("CONTRAST_MRI", with(positive(), "mriFinding", "SCAR_TISSUE"));
    assertThat(hasTask(Tasks.CHASE_OVERDUE_RESULT)).isFalse();
    assertThat(managementService.createJobQuery().processInstanceId(beans.order("CONTRAST_MRI").processInstanceId()).count())
        .isZero();
    assertThat(childVariable("CONTRAST_MRI", "orderStatus")).isEqualTo("RESULTED");
    assertThat(hasTask(Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS)).isTrue();
  }

  @Test
  void shouldReleaseThePathwayWithTheOutcomeRecordedWhenTheTestWasNotDone() {
    // given: an MRI overdue and chased
    ProcessInstance pi = enrolAndFailSteroid(with(enrolment(), "priorSpineSurgery", true));
    acceptHypothesesAndWorkup();
    advance(Duration.ofDays(14));
    fireDueTimers();

    // when: the coordinator records that it was not done
    complete(Tasks.CHASE_OVERDUE_RESULT, vars("chaseOutcome", "NOT_DONE", "chaseNote", "Patient declined the scan"));

    // then: the order ends NOT_DONE, the pathway goes on to the diagnosis without an MRI finding
    assertThat(childVariable("CONTRAST_MRI", "orderStatus")).isEqualTo("NOT_DONE");
    // the diagnosis reads only results recorded against the order: a test not done has none
    assertThat(variable(pi, "mriOutcome")).isNull();
    assertThat(variable(pi, "mriFinding")).isNull();
    assertThat(runningChildren(pi)).isZero();
    assertThat(hasTask(Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS)).isTrue();
    assertThat(variable(pi, "proposedDiagnosis")).isNotEqualTo("MECHANICAL_COMPRESSION");
    // and nothing chases it any more
    advance(Duration.ofDays(30));
    fireDueTimers();
    assertThat(beans.alerts).hasSize(1);
  }

  @Test
  void shouldNeverCountACancelledBlockAsPositive() {
    // given: a medial branch block for suspected facet pain, overdue
    ProcessInstance pi = enrolAndFailSteroid(with(enrolment(), "painPattern", "AXIAL", "imagingFindings", "FACET_ARTHROPATHY"));
    acceptHypothesesAndWorkup();
    advance(Duration.ofDays(14));
    fireDueTimers();

    // when: it was cancelled
    complete(Tasks.CHASE_OVERDUE_RESULT, vars("chaseOutcome", "CANCELLED", "chaseNote", "Pain clinic cancelled the list"));

    // then: the block is recorded as cancelled and confirms nothing
    assertThat(childVariable("MEDIAL_BRANCH_BLOCK", "orderStatus")).isEqualTo("CANCELLED");
    assertThat(variable(pi, "medialBranchBlockOutcome")).isNotEqualTo("POSITIVE");
    assertThat(variable(pi, "proposedDiagnosis")).isNotEqualTo("FACET_JOINT_PAIN");
    complete(Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS, vars("definitiveDiagnosis", "FACET_JOINT_PAIN",
        "diagnosisOverrideReason", "Typical facet loading pain"));
    complete(Tasks.CONFIRM_TREATMENT, vars("selectedTreatment", "RADIOFREQUENCY_ABLATION",
        "treatmentOverrideReason", "Clinically convinced"));
    assertThat(beans.orders).extracting(FakeBeans.Order::code).doesNotContain("RADIOFREQUENCY_ABLATION");
    assertThat(hasTask(Tasks.CONFIRM_TREATMENT)).isTrue();
  }

  @Test
  void shouldChaseAnOverdueTreatmentOutcomeAgainAndReleaseThePathwayWhenTheProcedureWasCancelled() {
    // given: a procedure scheduled, its outcome overdue and chased once
    ProcessInstance pi = enrolAndFailSteroid(enrolment());
    acceptHypothesesAndWorkup();
    complete(Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS);
    complete(Tasks.CONFIRM_TREATMENT);
    complete(Tasks.SCHEDULE_PROCEDURE, vars("scheduledFor", "2026-03-05"));
    advance(Duration.ofDays(84));
    fireDueTimers();
    complete(Tasks.CHASE_OVERDUE_OUTCOME, vars("chaseOutcome", "KEEP_WAITING", "chaseNote", "Clinic phoned"));
    advance(Duration.ofDays(7));
    fireDueTimers();
    assertThat(beans.alerts).hasSize(2);

    // when: the procedure was cancelled
    complete(Tasks.CHASE_OVERDUE_OUTCOME, vars("chaseOutcome", "CANCELLED", "chaseNote", "Patient moved away"));

    // then: the order ends CANCELLED and the pathway carries on as without an outcome (back to re-evaluation)
    String code = (String) variable(pi, "selectedTreatment");
    assertThat(childVariable(code, "orderStatus")).isEqualTo("CANCELLED");
    assertThat(runningChildren(pi)).isZero();
    assertThat(variable(pi, "treatmentReliefPercent")).isNull();
    assertThat(hasTask(Tasks.REVIEW_FAILURE_HYPOTHESES)).isTrue();
    BpmnAwareTests.assertThat(pi).hasNotPassed("End_ResolvedAfterTreatment");
  }

  @Test
  void shouldKeepWaitingWhenTheChaseNamesNoOutcome() {
    // given
    enrolAndFailSteroid(with(enrolment(), "priorSpineSurgery", true));
    acceptHypothesesAndWorkup();
    advance(Duration.ofDays(14));
    fireDueTimers();

    // when: completed without a choice (or with one the model does not know)
    complete(Tasks.CHASE_OVERDUE_RESULT, vars("chaseNote", "Left a message"));
    advance(Duration.ofDays(7));
    fireDueTimers();
    complete(Tasks.CHASE_OVERDUE_RESULT, vars("chaseOutcome", "SOMETHING_ELSE", "chaseNote", "Left a message"));

    // then: still waiting for the result
    assertThat(childVariable("CONTRAST_MRI", "orderStatus")).isNull();
    BpmnAwareTests.assertThat(runtimeService.createProcessInstanceQuery()
        .processInstanceId(beans.order("CONTRAST_MRI").processInstanceId()).singleResult())
        .isWaitingAt("Task_AwaitDiagnosticResult", "Event_NextResultChaseDue");
  }

  private Object childVariable(String orderCode, String name) {
    var v = historyService.createHistoricVariableInstanceQuery()
        .processInstanceId(beans.order(orderCode).processInstanceId()).variableName(name).singleResult();
    return v == null ? null : v.getValue();
  }
}
