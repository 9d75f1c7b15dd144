package io.pathway.service.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pathway.bpmn.PathwayModel.Tasks;
import io.pathway.model.Topics;
import io.pathway.model.codes.AlertType;
import io.pathway.model.codes.ImagingFinding;
import io.pathway.model.codes.PainPattern;
import io.pathway.model.codes.Severity;
import io.pathway.model.codes.SteroidKind;
import io.pathway.model.events.AlertRaised;
import io.pathway.model.events.EnrolmentRequested;
import io.pathway.model.events.FollowUpRecorded;
import io.pathway.model.events.SteroidTreatment;
import io.pathway.service.PathwayServiceTest;
import io.pathway.service.support.Hospital;
import io.pathway.service.support.JourneyTest;
import io.pathway.service.support.Outbound;
import io.pathway.service.support.Tasklist;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A clinician's task left open past its due date reaches the coordinators as a TASK_OVERDUE alert on the topic. */
@PathwayServiceTest
class TaskOverdueAlertTest extends JourneyTest {

  @Autowired
  ManagementService management;

  @Test
  void shouldPublishATaskOverdueAlertWithoutPatientDataAndKeepWatchingTheTask() {
    // given: a hypotheses review is open for a patient whose steroid failed
    LocalDate date = LocalDate.now().minusDays(40);
    Hospital.send(Topics.PATHWAY_ENROLMENTS, new EnrolmentRequested("REF-" + patient, patient,
        new SteroidTreatment(SteroidKind.EPIDURAL_STEROID_INJECTION, date, true, true), PainPattern.AXIAL, 7, false,
        List.of(ImagingFinding.FACET_ARTHROPATHY), 2, List.of(), date.minusMonths(3)));
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new FollowUpRecorded(patient, "EPIDURAL_STEROID_INJECTION", 20, true, Instant.now()));
    Tasklist.Task review = tasklist.await(Tasklist.CLINICIAN, Tasks.REVIEW_FAILURE_HYPOTHESES, patient);
    Job watch = management.createJobQuery().processInstanceId(review.processInstanceId())
        .activityId(Tasks.REVIEW_FAILURE_HYPOTHESES).timers().singleResult();
    assertThat(watch.getDuedate()).isAfter(Instant.now().plus(Duration.ofDays(2)));

    // when: the due date passes (the job executor would run the timer then; here it runs now)
    management.executeJob(watch.getId());

    // then: one high alert naming the step, not the patient, and the task stays watched for the next interval
    AlertRaised alert = await().atMost(Duration.ofSeconds(30))
        .until(() -> Outbound.events(Topics.ALERTS, AlertRaised.class, patient), l -> !l.isEmpty()).get(0);
    assertThat(alert.type()).isEqualTo(AlertType.TASK_OVERDUE);
    assertThat(alert.severity()).isEqualTo(Severity.HIGH);
    assertThat(alert.message()).contains("Review failure hypotheses").doesNotContain(patient);
    assertThat(management.createJobQuery().processInstanceId(review.processInstanceId())
        .activityId(Tasks.REVIEW_FAILURE_HYPOTHESES).timers().singleResult().getDuedate())
        .isAfter(Instant.now().plus(Duration.ofDays(2)));
  }
}
