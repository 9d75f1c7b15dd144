package io.pathway.bpmn.process;

import static org.assertj.core.api.Assertions.assertThat;

import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;

import io.pathway.bpmn.PathwayModel.Tasks;
import io.pathway.bpmn.support.ProcessTestCase;
import java.time.Duration;
import java.util.Map;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;

class ResponseAssessmentTest extends ProcessTestCase {

  @Test
  void shouldResolveAfterSteroidWhenFollowUpShowsSustainedRelief() {
    // given
    ProcessInstance pi = enrol(enrolment());
    assertThat(beans.stages).containsExactly("ENROLMENT", "RESPONSE_ASSESSMENT");

    // when
    followUp(pi, 60, true);

    // then
    BpmnAwareTests.assertThat(pi).isEnded().hasPassed("Event_FollowUpRecorded", "End_ResolvedAfterSteroid");
    assertThat(historicVariable(pi, "pathwayOutcome")).isEqualTo("RESOLVED_AFTER_STEROID");
    assertThat(beans.completions).containsExactly("RESOLVED_AFTER_STEROID");
  }

  @Test
  void shouldTreatFiftyPercentReliefAsSuccess() {
    ProcessInstance pi = enrol(enrolment());

    followUp(pi, 50, true);

    assertThat(historicVariable(pi, "pathwayOutcome")).isEqualTo("RESOLVED_AFTER_STEROID");
  }

  @Test
  void shouldTreatFortyNinePercentReliefAsFailure() {
    ProcessInstance pi = enrol(enrolment());

    followUp(pi, 49, true);

    BpmnAwareTests.assertThat(pi).isWaitingAt("Task_ReviewFailureHypotheses").hasNotPassed("End_ResolvedAfterSteroid");
    assertThat(beans.stages).endsWith("FAILURE_ANALYSIS");
    assertThat(hasTask(Tasks.REVIEW_FAILURE_HYPOTHESES)).isTrue();
  }

  @Test
  void shouldNotReadAnAbsentSustainedAsSustainedRelief() {
    ProcessInstance pi = enrol(enrolment());

    deliver(io.pathway.model.EventTypes.FOLLOW_UP_RECORDED, pi.getId(), vars("painReductionPercent", 70));
    runAsyncJobs();

    assertThat(ended(pi)).isFalse();
    assertThat(variable(pi, "currentStage")).isEqualTo("FAILURE_ANALYSIS");
  }

  @Test
  void shouldDecideReliefFromTheAcceptedFollowUpNotFromVariablesChangedBeforeTheGateway() {
    ProcessInstance pi = enrol(enrolment());
    beans.facts.followUpAccepted(pi.getId(), org.camunda.bpm.engine.impl.util.ClockUtil.getCurrentTime().toInstant(), 20, true);
    deliver(io.pathway.model.EventTypes.FOLLOW_UP_RECORDED, pi.getId(), vars("painReductionPercent", 20, "reliefSustained", true));

    // when: before the asynchronous gateway runs, the variables are rewritten (as /engine-rest could)
    runtimeService.setVariables(pi.getId(), vars("painReductionPercent", 90, "reliefSustained", true, "steroidRelieved", true));
    runAsyncJobs();

    // then: the recorded follow-up decides
    assertThat(ended(pi)).isFalse();
    assertThat(variable(pi, "currentStage")).isEqualTo("FAILURE_ANALYSIS");
  }

  @Test
  void shouldTreatUnsustainedReliefAsFailure() {
    ProcessInstance pi = enrol(enrolment());

    followUp(pi, 80, false);

    assertThat(ended(pi)).isFalse();
    assertThat(variable(pi, "currentStage")).isEqualTo("FAILURE_ANALYSIS");
  }

  @Test
  void shouldAskCoordinatorToRecordFollowUpWhenItIsDue() {
    // given: enrolled 9 days after the steroid; follow-up due 28 days after it
    ProcessInstance pi = enrol(enrolment());
    advance(Duration.ofDays(18));
    assertThat(fireDueTimers()).isZero();

    // when
    advance(Duration.ofDays(1));
    fireDueTimers();

    // then
    assertThat(task(Tasks.RECORD_FOLLOW_UP_ASSESSMENT).getPriority()).isEqualTo(40);
    complete(Tasks.RECORD_FOLLOW_UP_ASSESSMENT, vars("painReductionPercent", 70, "reliefSustained", true));
    assertThat(historicVariable(pi, "pathwayOutcome")).isEqualTo("RESOLVED_AFTER_STEROID");
    BpmnAwareTests.assertThat(pi).hasPassed("Event_FollowUpDue", "Task_RecordFollowUpAssessment").hasNotPassed("Event_FollowUpRecorded");
  }

  @Test
  void shouldRefuseAFollowUpRecordedWithoutAnExplicitAnswerOnLastingRelief() {
    ProcessInstance pi = enrol(enrolment());
    advance(Duration.ofDays(20));
    fireDueTimers();
    String taskId = task(Tasks.RECORD_FOLLOW_UP_ASSESSMENT).getId();

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> taskService.complete(taskId, vars("painReductionPercent", 70)))
        .hasMessageContaining("reliefSustained");

    assertThat(hasTask(Tasks.RECORD_FOLLOW_UP_ASSESSMENT)).isTrue();
    complete(Tasks.RECORD_FOLLOW_UP_ASSESSMENT, vars("painReductionPercent", 70, "reliefSustained", "false"));
    assertThat(ended(pi)).isFalse();
    assertThat(variable(pi, "reliefSustained")).isEqualTo(false);
  }

  @Test
  void shouldLetAFollowUpEventWinOverTheOpenCoordinatorTask() {
    // given
    ProcessInstance pi = enrol(enrolment());
    advance(Duration.ofDays(20));
    fireDueTimers();
    assertThat(hasTask(Tasks.RECORD_FOLLOW_UP_ASSESSMENT)).isTrue();

    // when
    followUp(pi, 10, true);

    // then
    assertThat(hasTask(Tasks.RECORD_FOLLOW_UP_ASSESSMENT)).isFalse();
    BpmnAwareTests.assertThat(pi).hasPassed("Event_FollowUpRecordedLate").isWaitingAt("Task_ReviewFailureHypotheses");
  }

  @Test
  void shouldUseTheReferralIdAsBusinessKeyWhenStartedWithoutOne() {
    // given: a start as the Tasklist start form does it, without a business key
    Map<String, Object> enrolment = enrolment();

    // when
    ProcessInstance pi = runtimeService.startProcessInstanceByKey("steroid-failure-escalation", enrolment);

    // then: withdrawal by referral id finds it
    assertThat(runtimeService.createProcessInstanceQuery().processInstanceId(pi.getId()).singleResult().getBusinessKey())
        .isEqualTo(enrolment.get("referralId"));
    withdraw(runtimeService.createProcessInstanceQuery().processInstanceId(pi.getId()).singleResult(), "Moved away");
    assertThat(historicVariable(pi, "pathwayOutcome")).isEqualTo("WITHDRAWN");
  }
}
