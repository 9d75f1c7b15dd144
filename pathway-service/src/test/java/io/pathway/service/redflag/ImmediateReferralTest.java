package io.pathway.service.redflag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pathway.bpmn.PathwayModel.Tasks;
import io.pathway.model.Topics;
import io.pathway.model.codes.AlertType;
import io.pathway.model.codes.ImagingFinding;
import io.pathway.model.codes.PainPattern;
import io.pathway.model.codes.RedFlag;
import io.pathway.model.codes.SteroidKind;
import io.pathway.model.codes.Urgency;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.model.events.AlertRaised;
import io.pathway.model.events.EnrolmentRequested;
import io.pathway.model.events.RedFlagRaised;
import io.pathway.model.events.ReferralIssued;
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
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The emergency referral, the critical alert and the coordinator's task are written in the red flag's own transaction,
 * with no job between them; when the referral or the alert cannot be written there, the red flag, its escalation and
 * the other steps commit all the same and the one that failed is done by a retried step of its own. The inputs of the referral and alert steps reach their events without being stored as
 * variables.
 */
@PathwayServiceTest
class ImmediateReferralTest extends JourneyTest {

  @Autowired ManagementService management;
  @Autowired RuntimeService runtime;

  private String enrolled() {
    LocalDate date = LocalDate.now().minusDays(30);
    Hospital.send(Topics.PATHWAY_ENROLMENTS, new EnrolmentRequested("REF-" + patient, patient,
        new SteroidTreatment(SteroidKind.EPIDURAL_STEROID_INJECTION, date, true, true), PainPattern.RADICULAR, 7, false,
        List.of(ImagingFinding.DISC_DEGENERATION), 2, List.of(), date.minusMonths(3)));
    return await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForList(
        "select pathway_id from pathway.pathway_ref where patient_ref = ?", String.class, patient),
        l -> l.size() == 1).get(0);
  }

  /**
   * Makes the database refuse this pathway's outbox rows for {@code topic} (as a full disk or a broken constraint
   * would); returns the name to give {@link #allowOutbox}.
   */
  private String refuseOutbox(String topic, String pathwayId) {
    String name = "pathway_test_refuse_" + topic.replace('.', '_') + "_" + patient.substring(3).toLowerCase();
    jdbc.execute("create function pathway." + name + "() returns trigger language plpgsql as $$ begin"
        + " if new.topic = '" + topic + "' and position(convert_to('" + pathwayId + "', 'UTF8') in new.payload) > 0"
        + " then raise exception 'refused by the test'; end if; return new; end $$");
    jdbc.execute("create trigger " + name + " before insert on pathway.outbox for each row execute function pathway." + name + "()");
    return name;
  }

  /** Takes the refusal of {@link #refuseOutbox} away again. */
  private void allowOutbox(String name) {
    jdbc.execute("drop trigger if exists " + name + " on pathway.outbox");
    jdbc.execute("drop function if exists pathway." + name + "()");
  }

  @Test
  void shouldWriteTheEmergencyReferralInTheTransactionThatReceivedTheRedFlag() {
    // given
    String pathwayId = enrolled();

    // when
    EventEnvelope redFlag = Hospital.send(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised(patient, RedFlag.BLADDER_DYSFUNCTION,
        Instant.now()));

    // then: one emergency referral
    ReferralIssued referral = await().atMost(Duration.ofSeconds(30)).until(
        () -> Outbound.events(Topics.REFERRALS, ReferralIssued.class, patient), l -> !l.isEmpty()).get(0);
    assertThat(referral.urgency()).isEqualTo(Urgency.EMERGENCY);
    // written by the referral step that ran, start to end, in the (sub)transaction that journaled the red flag's receipt
    // (rows never updated afterwards, so their xmin is their writer's), and no job was ever made for it
    String escalation = runtime.createProcessInstanceQuery().superProcessInstanceId(pathwayId).singleResult().getId();
    String receivedIn = jdbc.queryForObject("select xmin::text from pathway.journal where ce_id = ? and direction = 'IN'",
        String.class, redFlag.id());
    String referralStepIn = jdbc.queryForObject("select xmin::text from act_hi_actinst where proc_inst_id_ = ?"
        + " and act_id_ = 'Task_IssueRedFlagReferral' and end_time_ is not null", String.class, escalation);
    assertThat(referralStepIn).isEqualTo(receivedIn);
    assertThat(jdbc.queryForObject("select count(*) from act_hi_job_log where process_instance_id_ = ?"
        + " and act_id_ in ('Task_IssueRedFlagReferral', 'Task_RetryRedFlagReferral')", Integer.class, escalation)).isZero();
  }

  @Test
  void shouldRaiseTheAlertAndOpenTheTaskInTheTransactionThatReceivedTheRedFlag() {
    // given
    String pathwayId = enrolled();

    // when
    EventEnvelope redFlag = Hospital.send(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised(patient, RedFlag.SADDLE_ANESTHESIA,
        Instant.now()));

    // then: the critical alert and the coordinator's task
    await().atMost(Duration.ofSeconds(30)).until(() -> Outbound.events(Topics.ALERTS, AlertRaised.class, patient).stream()
        .anyMatch(a -> a.type() == AlertType.RED_FLAG));
    tasklist.await(Tasklist.COORDINATOR, Tasks.CONFIRM_EMERGENCY_TRANSFER, patient);
    // written in the transaction that journaled the red flag's receipt, beside the referral, with no job for either
    String escalation = runtime.createProcessInstanceQuery().superProcessInstanceId(pathwayId).singleResult().getId();
    String receivedIn = jdbc.queryForObject("select xmin::text from pathway.journal where ce_id = ? and direction = 'IN'",
        String.class, redFlag.id());
    assertThat(jdbc.queryForList("select xmin::text from act_hi_actinst where proc_inst_id_ = ? and act_id_ in"
        + " ('Task_RaiseRedFlagAlert', 'Task_IssueRedFlagReferral') and end_time_ is not null", String.class, escalation))
        .hasSize(2).containsOnly(receivedIn);
    assertThat(jdbc.queryForObject("select xmin::text from act_ru_task where proc_inst_id_ = ? and task_def_key_ = ?", String.class,
        escalation, Tasks.CONFIRM_EMERGENCY_TRANSFER)).isEqualTo(receivedIn);
    assertThat(jdbc.queryForObject("select count(*) from act_hi_job_log where process_instance_id_ = ? and job_def_type_ = 'async-continuation'",
        Integer.class, escalation)).isZero();
  }

  @Test
  void shouldGiveTheReferralAndTheAlertTheirStepsInputsWithoutStoringThemAsVariables() {
    // given
    String pathwayId = enrolled();

    // when
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised(patient, RedFlag.BLADDER_DYSFUNCTION, Instant.now()));

    // then: the referral carries what its step's inputs say, and the alert its message
    ReferralIssued referral = await().atMost(Duration.ofSeconds(30)).until(
        () -> Outbound.events(Topics.REFERRALS, ReferralIssued.class, patient), l -> !l.isEmpty()).get(0);
    assertThat(referral.suggestedProcedure()).isEqualTo("EMERGENCY_DECOMPRESSION");
    assertThat(referral.evidence()).hasSize(2).first().asString().isEqualTo("Red flag(s) reported: BLADDER_DYSFUNCTION");
    assertThat(referral.evidence().get(1)).startsWith("observed at ");
    AlertRaised alert = await().atMost(Duration.ofSeconds(30)).until(() -> Outbound.events(Topics.ALERTS, AlertRaised.class, patient)
        .stream().filter(a -> a.type() == AlertType.RED_FLAG).toList(), l -> !l.isEmpty()).get(0);
    assertThat(alert.message()).endsWith(": BLADDER_DYSFUNCTION");
    // and neither step stored its inputs (transient variables), while the escalation's own variables are kept
    String escalation = runtime.createProcessInstanceQuery().superProcessInstanceId(pathwayId).singleResult().getId();
    assertThat(jdbc.queryForList("select name_ from act_hi_varinst where proc_inst_id_ = ?", String.class, escalation))
        .contains("redFlags", "referralUrgency", "alertSeverity", "referralReason", "confirmationDeadline")
        .doesNotContain("suggestedProcedure", "referralEvidence", "alertType", "alertMessage");
    assertThat(jdbc.queryForList("select name_ from act_hi_detail where proc_inst_id_ = ?", String.class, escalation))
        .doesNotContain("suggestedProcedure", "referralEvidence", "alertType", "alertMessage");
  }

  @Test
  void shouldCommitTheRedFlagWithItsReferralAndTaskAndRetryTheAlertWhenItCannotBeWrittenAtOnce() {
    // given: the database refuses this pathway's alerts
    String pathwayId = enrolled();
    String name = refuseOutbox(Topics.ALERTS, pathwayId);
    try {
      // when
      Hospital.send(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised(patient, RedFlag.SADDLE_ANESTHESIA, Instant.now()));

      // then: the red flag was applied, its emergency referral went out and a coordinator has the task, without an alert
      await().atMost(Duration.ofSeconds(30)).until(() -> Outbound.events(Topics.REFERRALS, ReferralIssued.class, patient),
          l -> !l.isEmpty());
      tasklist.await(Tasklist.COORDINATOR, Tasks.CONFIRM_EMERGENCY_TRANSFER, patient);
      String escalation = runtime.createProcessInstanceQuery().superProcessInstanceId(pathwayId).singleResult().getId();
      // the job executor tries the alert until its retries run out (an incident), each time refused
      Job retried = await().atMost(Duration.ofSeconds(30)).until(() -> management.createJobQuery().processInstanceId(escalation)
          .activityId("Task_RetryRedFlagAlert").singleResult(), j -> j != null && j.getExceptionMessage() != null && j.getRetries() == 0);
      assertThat(retried.getPriority()).isEqualTo(110L);
      assertThat(Outbound.events(Topics.ALERTS, AlertRaised.class, patient)).noneMatch(a -> a.type() == AlertType.RED_FLAG);

      // when: the database takes alerts again and the step is retried
      allowOutbox(name);
      management.setJobRetries(retried.getId(), 1);
      management.setJobDuedate(retried.getId(), null);

      // then: one critical red-flag alert
      await().atMost(Duration.ofSeconds(30)).until(() -> Outbound.events(Topics.ALERTS, AlertRaised.class, patient).stream()
          .filter(a -> a.type() == AlertType.RED_FLAG).toList(), l -> !l.isEmpty());
      assertThat(Outbound.events(Topics.ALERTS, AlertRaised.class, patient)).filteredOn(a -> a.type() == AlertType.RED_FLAG)
          .singleElement().satisfies(a -> assertThat(a.severity()).isEqualTo(io.pathway.model.codes.Severity.CRITICAL));
    } finally {
      allowOutbox(name);
    }
  }

  @Test
  void shouldCommitTheRedFlagWithItsAlertAndTaskAndRetryTheReferralWhenItCannotBeWrittenAtOnce() {
    // given: the database refuses this pathway's referral (as a full disk or a broken constraint would)
    String pathwayId = enrolled();
    String name = refuseOutbox(Topics.REFERRALS, pathwayId);
    try {
      // when
      Hospital.send(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised(patient, RedFlag.SADDLE_ANESTHESIA, Instant.now()));

      // then: the red flag was applied, its critical alert went out and a coordinator has the task, without a referral
      await().atMost(Duration.ofSeconds(30)).until(() -> Outbound.events(Topics.ALERTS, AlertRaised.class, patient).stream()
          .anyMatch(a -> a.type() == AlertType.RED_FLAG));
      tasklist.await(Tasklist.COORDINATOR, Tasks.CONFIRM_EMERGENCY_TRANSFER, patient);
      String escalation = runtime.createProcessInstanceQuery().superProcessInstanceId(pathwayId).singleResult().getId();
      // the job executor tries it until its retries run out (an incident), each time refused
      Job retried = await().atMost(Duration.ofSeconds(30)).until(() -> management.createJobQuery().processInstanceId(escalation)
          .activityId("Task_RetryRedFlagReferral").singleResult(), j -> j != null && j.getExceptionMessage() != null && j.getRetries() == 0);
      assertThat(retried.getPriority()).isEqualTo(110L);
      assertThat(Outbound.events(Topics.REFERRALS, ReferralIssued.class, patient)).isEmpty();

      // when: the database takes referrals again and the step is retried (as the job executor, or an operator, does)
      allowOutbox(name);
      management.setJobRetries(retried.getId(), 1);
      management.setJobDuedate(retried.getId(), null);

      // then: one emergency referral
      await().atMost(Duration.ofSeconds(30)).until(() -> Outbound.events(Topics.REFERRALS, ReferralIssued.class, patient),
          l -> !l.isEmpty());
      assertThat(Outbound.events(Topics.REFERRALS, ReferralIssued.class, patient)).singleElement()
          .satisfies(r -> assertThat(r.urgency()).isEqualTo(Urgency.EMERGENCY));
    } finally {
      allowOutbox(name);
    }
  }
}
