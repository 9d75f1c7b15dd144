package io.pathway.service.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pathway.bpmn.PathwayModel.Tasks;
import io.pathway.model.Topics;
import io.pathway.model.codes.AlertType;
import io.pathway.model.codes.DiagnosticTest;
import io.pathway.model.codes.ImagingFinding;
import io.pathway.model.codes.OrderKind;
import io.pathway.model.codes.PainPattern;
import io.pathway.model.codes.SteroidKind;
import io.pathway.model.codes.TestOutcome;
import io.pathway.model.events.AlertRaised;
import io.pathway.model.events.DiagnosticResult;
import io.pathway.model.events.EnrolmentRequested;
import io.pathway.model.events.Findings;
import io.pathway.model.events.FollowUpRecorded;
import io.pathway.model.events.OrderPlaced;
import io.pathway.model.events.SteroidTreatment;
import io.pathway.service.PathwayServiceTest;
import io.pathway.service.support.Hospital;
import io.pathway.service.support.Outbound;
import io.pathway.service.support.Tasklist;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import io.pathway.model.codes.CancelReason;
import io.pathway.model.codes.MriFinding;
import io.pathway.model.codes.Severity;
import io.pathway.model.events.OrderCancelled;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;

/** An overdue result is chased again until the coordinator records it as not done, which releases the pathway. */
@PathwayServiceTest
class ResultChaseJourneyTest {

  @Autowired
  TestRestTemplate rest;
  @Autowired
  RuntimeService runtime;
  @Autowired
  ManagementService management;
  @Autowired
  HistoryService history;

  @BeforeAll
  static void listen() {
    Outbound.start();
  }

  @Test
  void shouldChaseAnOverdueResultAgainAndGoOnWithoutItOnceItIsRecordedAsNotDone() {
    // given: an MRI ordered after prior surgery
    String patient = "PT-" + UUID.randomUUID().toString().substring(0, 8);
    LocalDate date = LocalDate.now().minusDays(40);
    Hospital.send(Topics.PATHWAY_ENROLMENTS, new EnrolmentRequested("REF-" + patient, patient,
        new SteroidTreatment(SteroidKind.EPIDURAL_STEROID_INJECTION, date, true, true), PainPattern.RADICULAR, 7, true,
        List.of(ImagingFinding.DISC_DEGENERATION), 2, List.of(), date.minusMonths(3)));
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new FollowUpRecorded(patient, "EPIDURAL_STEROID_INJECTION", 20, true, Instant.now()));
    Tasklist tasklist = new Tasklist(rest);
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_FAILURE_HYPOTHESES, patient, Map.of());
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_DIAGNOSTIC_WORKUP, patient, Map.of());
    OrderPlaced mri = await().atMost(Duration.ofSeconds(30)).until(() -> Outbound.events(Topics.ORDERS, OrderPlaced.class, patient)
        .stream().filter(o -> o.kind() == OrderKind.DIAGNOSTIC && o.code().equals("CONTRAST_MRI")).toList(), l -> !l.isEmpty()).get(0);
    String order = runtime.createProcessInstanceQuery().variableValueEquals("orderId", mri.orderId()).singleResult().getId();
    assertThat(runtime.getVariable(order, "resultChaseInterval")).as("from pathway.clinical.result-chase-interval").isEqualTo("P7D");

    // when: the result is overdue (its timer brought forward), and the coordinator hears it is coming
    fireTimer(order);
    awaitOverdueAlerts(patient, 1);
    tasklist.completeWhenReady(Tasklist.COORDINATOR, Tasks.CHASE_OVERDUE_RESULT, patient,
        Map.of("chaseOutcome", "KEEP_WAITING", "chaseNote", "Radiology: scan next week"));
    // and a week later it is still missing
    fireTimer(order);

    // then: alerted and chased again
    awaitOverdueAlerts(patient, 2);
    // when: the coordinator learns it was not done
    tasklist.completeWhenReady(Tasklist.COORDINATOR, Tasks.CHASE_OVERDUE_RESULT, patient,
        Map.of("chaseOutcome", "NOT_DONE", "chaseNote", "Patient declined the scan"));

    // and any other test of the work-up comes back negative
    Outbound.events(Topics.ORDERS, OrderPlaced.class, patient).stream()
        .filter(o -> o.kind() == OrderKind.DIAGNOSTIC && !o.orderId().equals(mri.orderId()))
        .forEach(o -> Hospital.send(Topics.DIAGNOSTIC_RESULTS, new DiagnosticResult(o.orderId(), patient,
            DiagnosticTest.valueOf(o.code()), TestOutcome.NEGATIVE, new Findings(null, null, null, null, null, null), Instant.now())));

    // then: the order ends NOT_DONE and the pathway goes on to the diagnosis
    tasklist.await(Tasklist.CLINICIAN, Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS, patient);
    assertThat(history.createHistoricVariableInstanceQuery().processInstanceId(order).variableName("orderStatus").singleResult()
        .getValue()).isEqualTo("NOT_DONE");
  }

  @Test
  void shouldCancelAnOrderClosedAsNotDoneShowTheGapAndNeverTakeALateResultSilently() {
    // given: an MRI ordered after prior surgery, overdue, and the coordinator hears it was cancelled
    String patient = "PT-" + UUID.randomUUID().toString().substring(0, 8);
    LocalDate date = LocalDate.now().minusDays(40);
    Hospital.send(Topics.PATHWAY_ENROLMENTS, new EnrolmentRequested("REF-" + patient, patient,
        new SteroidTreatment(SteroidKind.EPIDURAL_STEROID_INJECTION, date, true, true), PainPattern.RADICULAR, 7, true,
        List.of(ImagingFinding.DISC_DEGENERATION), 2, List.of(), date.minusMonths(3)));
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new FollowUpRecorded(patient, "EPIDURAL_STEROID_INJECTION", 20, true, Instant.now()));
    Tasklist tasklist = new Tasklist(rest);
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_FAILURE_HYPOTHESES, patient, Map.of());
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_DIAGNOSTIC_WORKUP, patient, Map.of());
    OrderPlaced mri = await().atMost(Duration.ofSeconds(30)).until(() -> Outbound.events(Topics.ORDERS, OrderPlaced.class, patient)
        .stream().filter(o -> o.kind() == OrderKind.DIAGNOSTIC && o.code().equals("CONTRAST_MRI")).toList(), l -> !l.isEmpty()).get(0);
    String order = runtime.createProcessInstanceQuery().variableValueEquals("orderId", mri.orderId()).singleResult().getId();
    fireTimer(order);
    awaitOverdueAlerts(patient, 1);

    // when
    tasklist.completeWhenReady(Tasklist.COORDINATOR, Tasks.CHASE_OVERDUE_RESULT, patient,
        Map.of("chaseOutcome", "CANCELLED", "chaseNote", "Scanner list cancelled"));
    Outbound.events(Topics.ORDERS, OrderPlaced.class, patient).stream()
        .filter(o -> o.kind() == OrderKind.DIAGNOSTIC && !o.orderId().equals(mri.orderId()))
        .forEach(o -> Hospital.send(Topics.DIAGNOSTIC_RESULTS, new DiagnosticResult(o.orderId(), patient,
            DiagnosticTest.valueOf(o.code()), TestOutcome.NEGATIVE, Findings.none(), Instant.now())));

    // then: the hospital is told to stop the order, and the clinician sees the MRI as cancelled, not blank
    OrderCancelled cancelled = await().atMost(Duration.ofSeconds(30)).until(
        () -> Outbound.events(Topics.ORDERS, OrderCancelled.class, patient), l -> !l.isEmpty()).get(0);
    assertThat(cancelled.orderId()).isEqualTo(mri.orderId());
    assertThat(cancelled.reason()).isEqualTo(CancelReason.NOT_DONE);
    tasklist.await(Tasklist.CLINICIAN, Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS, patient);
    assertThat(runtime.getVariable(mri.pathwayId(), "mriOutcome")).isEqualTo("CANCELLED");
    assertThat((String) runtime.getVariable(mri.pathwayId(), "blockEvidence")).contains("CONTRAST_MRI CANCELLED");
    // and the coordinator's note is in front of the clinician who confirms the diagnosis
    assertThat((String) runtime.getVariable(mri.pathwayId(), "chaseNotes")).contains("cancelled", "Scanner list cancelled")
        .doesNotContain("NOT_DONE");

    // when: the scan is reported after all
    Hospital.send(Topics.DIAGNOSTIC_RESULTS, new DiagnosticResult(mri.orderId(), patient, DiagnosticTest.CONTRAST_MRI,
        TestOutcome.POSITIVE, new Findings(MriFinding.RECURRENT_HERNIATION, null, null, null, null, null), Instant.now()));

    // then: a person hears of it at once and a clinician reviews it; it is not silently a fact
    AlertRaised late = await().atMost(Duration.ofSeconds(30)).until(() -> Outbound.events(Topics.ALERTS, AlertRaised.class, patient)
        .stream().filter(a -> a.type() == AlertType.LATE_RESULT).toList(), l -> !l.isEmpty()).get(0);
    assertThat(late.severity()).isEqualTo(Severity.HIGH);
    assertThat(late.message()).contains("CONTRAST_MRI", "cancelled (NOT_DONE)", "RECURRENT_HERNIATION");
    tasklist.await(Tasklist.CLINICIAN, Tasks.REVIEW_CORRECTED_RESULT, patient);
  }

  private void fireTimer(String processInstanceId) {
    Job timer = await().atMost(Duration.ofSeconds(30)).until(
        () -> management.createJobQuery().processInstanceId(processInstanceId).timers().list(), l -> l.size() == 1).get(0);
    management.setJobDuedate(timer.getId(), new Date());
  }

  private static void awaitOverdueAlerts(String patient, int count) {
    await().atMost(Duration.ofSeconds(30)).until(() -> Outbound.events(Topics.ALERTS, AlertRaised.class, patient).stream()
        .filter(a -> a.type() == AlertType.RESULT_OVERDUE).count() >= count);
  }
}
