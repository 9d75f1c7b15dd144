package io.pathway.bpmn.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathway.bpmn.PathwayModel.Tasks;
import io.pathway.bpmn.support.FakeBeans.Alert;
import io.pathway.bpmn.support.ProcessTestCase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A clinician's task left open past its due date alerts when it falls due, and again each interval until it is done. */
class OverdueTaskTest extends ProcessTestCase {

  private List<Alert> overdue(String taskKey) {
    return beans.alerts.stream().filter(a -> "TASK_OVERDUE".equals(a.type()) && taskKey.equals(a.message())).toList();
  }

  @Test
  void shouldAlertWhenAClinicianTaskFallsDueAndAgainEachIntervalUntilItIsDone() {
    // given: the hypotheses review is open, due after clinicalTaskDue (P3D)
    enrolAndFailSteroid(enrolment());

    // when: not yet due
    advance(Duration.ofDays(3).minusHours(1));
    fireDueTimers();
    // then
    assertThat(overdue(Tasks.REVIEW_FAILURE_HYPOTHESES)).isEmpty();

    // when: due, then another interval later
    advance(Duration.ofHours(2));
    fireDueTimers();
    assertThat(overdue(Tasks.REVIEW_FAILURE_HYPOTHESES)).hasSize(1).first()
        .satisfies(alert -> assertThat(alert.severity()).isEqualTo("HIGH"));
    advance(Duration.ofDays(3));
    fireDueTimers();
    assertThat(overdue(Tasks.REVIEW_FAILURE_HYPOTHESES)).hasSize(2);

    // when: the clinician finally reviews
    complete(Tasks.REVIEW_FAILURE_HYPOTHESES);
    advance(Duration.ofDays(10));
    fireDueTimers();

    // then: no further alert for that task; the next task has its own
    assertThat(overdue(Tasks.REVIEW_FAILURE_HYPOTHESES)).hasSize(2);
    assertThat(overdue(Tasks.REVIEW_DIAGNOSTIC_WORKUP)).isNotEmpty();
  }

  @Test
  void shouldNotAlertForATaskDoneInTime() {
    enrolAndFailSteroid(enrolment());

    advance(Duration.ofDays(1));
    complete(Tasks.REVIEW_FAILURE_HYPOTHESES);
    complete(Tasks.REVIEW_DIAGNOSTIC_WORKUP);
    advance(Duration.ofDays(2).plusHours(1));
    fireDueTimers();

    assertThat(overdue(Tasks.REVIEW_FAILURE_HYPOTHESES)).isEmpty();
    assertThat(overdue(Tasks.REVIEW_DIAGNOSTIC_WORKUP)).isEmpty();
  }
}
