package io.pathway.bpmn.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pathway.bpmn.PathwayModel.Processes;
import io.pathway.bpmn.PathwayModel.Tasks;
import io.pathway.bpmn.support.ProcessTestCase;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every user task and the start event find their Camunda Form in the deployment, as Tasklist will. */
class DeployedFormsTest extends ProcessTestCase {

  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<Arguments> tasks() {
    Consumer<DeployedFormsTest> followUpDue = t -> {
      t.enrol(t.enrolment());
      t.advance(Duration.ofDays(20));
      t.fireDueTimers();
    };
    Consumer<DeployedFormsTest> hypotheses = t -> t.enrolAndFailSteroid(t.enrolment());
    Consumer<DeployedFormsTest> workup = t -> {
      t.enrolAndFailSteroid(t.enrolment());
      t.complete(Tasks.REVIEW_FAILURE_HYPOTHESES);
    };
    Consumer<DeployedFormsTest> diagnosis = t -> {
      t.enrolAndFailSteroid(t.enrolment());
      t.acceptHypothesesAndWorkup();
    };
    Consumer<DeployedFormsTest> treatment = t -> {
      diagnosis.accept(t);
      t.complete(Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS);
    };
    Consumer<DeployedFormsTest> schedule = t -> {
      treatment.accept(t);
      t.complete(Tasks.CONFIRM_TREATMENT);
    };
    Consumer<DeployedFormsTest> chaseOutcome = t -> {
      schedule.accept(t);
      t.complete(Tasks.SCHEDULE_PROCEDURE, vars("scheduledFor", "2026-03-05"));
      t.advance(Duration.ofDays(84));
      t.fireDueTimers();
    };
    Consumer<DeployedFormsTest> chaseResult = t -> {
      t.enrolAndFailSteroid(with(t.enrolment(), "priorSpineSurgery", true));
      t.acceptHypothesesAndWorkup();
      t.advance(Duration.ofDays(14));
      t.fireDueTimers();
    };
    Consumer<DeployedFormsTest> consult = t -> {
      t.setClock(LocalDateTime.of(2026, 6, 1, 9, 0));
      t.referForElectiveSurgery();
    };
    Consumer<DeployedFormsTest> consultHeld = t -> {
      t.setClock(LocalDateTime.of(2026, 6, 1, 9, 0));
      t.referForElectiveSurgery();
      t.complete(Tasks.CONFIRM_SURGICAL_CONSULT_BOOKED, vars("surgicalConsultDate", org.camunda.bpm.engine.impl.util.ClockUtil
          .getCurrentTime().toInstant().atZone(java.time.ZoneOffset.UTC).toLocalDate().toString()));
      t.advance(Duration.ofDays(3));
      t.fireDueTimers();
    };
    Consumer<DeployedFormsTest> emergency = t -> t.enrol(with(t.enrolment(), "redFlags", "BOWEL_DYSFUNCTION"));
    Consumer<DeployedFormsTest> urgent = t -> t.enrol(with(t.enrolment(), "redFlags", "FOOT_DROP"));
    return Stream.of(
        Arguments.of(Tasks.RECORD_FOLLOW_UP_ASSESSMENT, "record-follow-up", followUpDue),
        Arguments.of(Tasks.REVIEW_FAILURE_HYPOTHESES, "review-failure-hypotheses", hypotheses),
        Arguments.of(Tasks.REVIEW_DIAGNOSTIC_WORKUP, "review-diagnostic-workup", workup),
        Arguments.of(Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS, "confirm-definitive-diagnosis", diagnosis),
        Arguments.of(Tasks.CONFIRM_TREATMENT, "confirm-treatment", treatment),
        Arguments.of(Tasks.SCHEDULE_PROCEDURE, "schedule-procedure", schedule),
        Arguments.of(Tasks.CHASE_OVERDUE_RESULT, "chase-overdue-result", chaseResult),
        Arguments.of(Tasks.CHASE_OVERDUE_OUTCOME, "chase-overdue-result", chaseOutcome),
        Arguments.of(Tasks.CONFIRM_SURGICAL_CONSULT_BOOKED, "confirm-surgical-consult-booked", consult),
        Arguments.of(Tasks.CONFIRM_SURGICAL_CONSULT_HELD, "confirm-surgical-consult-held", consultHeld),
        Arguments.of(Tasks.CONFIRM_EMERGENCY_TRANSFER, "confirm-emergency-transfer", emergency),
        Arguments.of(Tasks.CONFIRM_URGENT_SURGICAL_REFERRAL, "confirm-urgent-referral", urgent));
  }

  @ParameterizedTest(name = "{0} shows {1}")
  @MethodSource("tasks")
  void shouldFindTheFormOfEachTaskInTheDeployment(String taskId, String formId, Consumer<DeployedFormsTest> reach)
      throws IOException {
    // given
    reach.accept(this);

    // when
    String taskDbId = task(taskId).getId();

    // then
    try (InputStream form = engine.getFormService().getDeployedTaskForm(taskDbId)) {
      JsonNode json = JSON.readTree(form);
      assertThat(json.get("id").asText()).isEqualTo(formId);
    }
  }

  @Test
  void shouldFindTheEnrolmentFormOfTheStartEvent() throws IOException {
    String definitionId = engine.getRepositoryService().createProcessDefinitionQuery()
        .processDefinitionKey(Processes.PATHWAY).latestVersion().singleResult().getId();

    try (InputStream form = engine.getFormService().getDeployedStartForm(definitionId)) {
      assertThat(JSON.readTree(form).get("id").asText()).isEqualTo("enrolment");
    }
  }
}
