package io.pathway.bpmn.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathway.bpmn.PathwayModel.Tasks;
import io.pathway.bpmn.support.ProcessTestCase;
import java.time.Duration;
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
}
