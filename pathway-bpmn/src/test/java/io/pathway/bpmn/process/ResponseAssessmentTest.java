package io.pathway.bpmn.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathway.bpmn.PathwayModel.Tasks;
import io.pathway.bpmn.support.ProcessTestCase;
import java.time.Duration;
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
    assertThat(ended(pi)).isTrue();
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

    assertThat(ended(pi)).isFalse();
    assertThat(beans.stages).endsWith("FAILURE_ANALYSIS");
    assertThat(hasTask(Tasks.REVIEW_FAILURE_HYPOTHESES)).isTrue();
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
    assertThat(hasTask(Tasks.REVIEW_FAILURE_HYPOTHESES)).isTrue();
  }
}
