package io.pathway.bpmn.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;

import io.pathway.bpmn.PathwayModel.Processes;
import io.pathway.bpmn.PathwayModel.Vars;
import io.pathway.model.EventTypes;
import io.pathway.bpmn.PathwayModel.Tasks;
import io.pathway.bpmn.support.ProcessTestCase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Test;

class RedFlagTest extends ProcessTestCase {

  @Test
  void shouldSendCaudaEquinaAtEnrolmentStraightToEmergencySurgery() {
    // given
    long now = ClockUtil.getCurrentTime().getTime();

    // when
    ProcessInstance pi = enrol(with(enrolment(), "redFlags", "SADDLE_ANESTHESIA"));

    // then
    assertThat(beans.stages).containsExactly("ENROLMENT", "RED_FLAG_ESCALATION");
    assertThat(beans.referrals).singleElement().satisfies(r -> {
      assertThat(r.urgency()).isEqualTo("EMERGENCY");
      assertThat(r.reason()).isEqualTo("CAUDA_EQUINA_SYNDROME");
      assertThat(r.suggestedProcedure()).isEqualTo("EMERGENCY_DECOMPRESSION");
      assertThat(r.evidence()).contains("SADDLE_ANESTHESIA");
    });
    assertThat(beans.alerts).singleElement().satisfies(a -> {
      assertThat(a.type()).isEqualTo("RED_FLAG");
      assertThat(a.severity()).isEqualTo("CRITICAL");
    });
    Task transfer = task(Tasks.CONFIRM_EMERGENCY_TRANSFER);
    assertThat(transfer.getPriority()).isEqualTo(100);
    assertThat(transfer.getDueDate().getTime() - now).isEqualTo(Duration.ofMinutes(30).toMillis());
    assertThat(taskService.getIdentityLinksForTask(transfer.getId()))
        .anySatisfy(l -> assertThat(l.getGroupId()).isEqualTo("care-coordinators"));

    complete(Tasks.CONFIRM_EMERGENCY_TRANSFER, vars("emergencyTransferConfirmed", true, "transferNote", "Neurosurgery, 10:15"));
    BpmnAwareTests.assertThat(pi).isEnded().hasPassed("CallActivity_RedFlagEscalationAtEnrolment", "End_RedFlagReferralAtEnrolment")
        .hasNotPassed("SubProcess_ResponseAssessment");
    assertThat(historicVariable(pi, "pathwayOutcome")).isEqualTo("REFERRED_EMERGENCY_SURGERY");
    assertThat(beans.completions).containsExactly("REFERRED_EMERGENCY_SURGERY");
  }

  @Test
  void shouldSendProgressiveDeficitToUrgentSurgery() {
    ProcessInstance pi = enrol(with(enrolment(), "redFlags", "FOOT_DROP"));

    assertThat(beans.referrals).singleElement().satisfies(r -> {
      assertThat(r.urgency()).isEqualTo("URGENT");
      assertThat(r.reason()).isEqualTo("PROGRESSIVE_NEUROLOGICAL_DEFICIT");
      assertThat(r.suggestedProcedure()).isEqualTo("URGENT_DECOMPRESSION");
    });
    assertThat(beans.alerts).singleElement().satisfies(a -> assertThat(a.severity()).isEqualTo("HIGH"));
    assertThat(task(Tasks.CONFIRM_URGENT_SURGICAL_REFERRAL).getPriority()).isEqualTo(90);
    complete(Tasks.CONFIRM_URGENT_SURGICAL_REFERRAL, vars("urgentReferralConfirmed", true, "referralNote", "Mr X, tomorrow"));
    assertThat(historicVariable(pi, "pathwayOutcome")).isEqualTo("REFERRED_URGENT_SURGERY");
  }

  @Test
  void shouldInterruptDiagnosticsForARedFlag() {
    // given: an MRI is awaited
    ProcessInstance pi = enrolAndFailSteroid(with(enrolment(), "priorSpineSurgery", true));
    acceptHypothesesAndWorkup();
    assertThat(runningChildren(pi)).isEqualTo(1);

    // when
    redFlag(pi, "BLADDER_DYSFUNCTION");

    // then: the order is cancelled towards the hospital and the emergency route taken
    assertThat(runtimeService.createProcessInstanceQuery().processDefinitionKey("order-and-await-result").count()).isZero();
    assertThat(beans.cancelledOrders).containsExactly(beans.order("CONTRAST_MRI").orderId() + ":RED_FLAG");
    assertThat(beans.referrals).singleElement().satisfies(r -> assertThat(r.urgency()).isEqualTo("EMERGENCY"));
    assertThat(variable(pi, "currentStage")).isEqualTo("RED_FLAG_ESCALATION");
    complete(Tasks.CONFIRM_EMERGENCY_TRANSFER, vars("emergencyTransferConfirmed", true));
    assertThat(historicVariable(pi, "pathwayOutcome")).isEqualTo("REFERRED_EMERGENCY_SURGERY");
    BpmnAwareTests.assertThat(pi).isEnded().hasPassed("Event_RedFlagRaised", "CallActivity_RedFlagEscalation", "End_RedFlagReferral");
    assertThat(runningInstances()).isZero();
  }

  @Test
  void shouldInterruptTreatmentForARedFlag() {
    // given: a therapy is under way
    ProcessInstance pi = enrolAndFailSteroid(enrolment());
    acceptHypothesesAndWorkup();
    complete(Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS);
    complete(Tasks.CONFIRM_TREATMENT);
    assertThat(variable(pi, "currentStage")).isEqualTo("TREATMENT_DELIVERY");

    // when
    redFlag(pi, "PROGRESSIVE_WEAKNESS");

    // then
    assertThat(hasTask(Tasks.SCHEDULE_PROCEDURE)).isFalse();
    assertThat(beans.referrals).singleElement().satisfies(r -> assertThat(r.urgency()).isEqualTo("URGENT"));
    complete(Tasks.CONFIRM_URGENT_SURGICAL_REFERRAL, vars("urgentReferralConfirmed", true));
    assertThat(historicVariable(pi, "pathwayOutcome")).isEqualTo("REFERRED_URGENT_SURGERY");
    assertThat(beans.completions).containsExactly("REFERRED_URGENT_SURGERY");
  }

  @Test
  void shouldInterruptTheWaitForTheFollowUpForARedFlag() {
    ProcessInstance pi = enrol(enrolment());

    redFlag(pi, "BOWEL_DYSFUNCTION");

    assertThat(hasTask(Tasks.CONFIRM_EMERGENCY_TRANSFER)).isTrue();
    assertThat(runtimeService.createEventSubscriptionQuery().processInstanceId(pi.getId())
        .eventName("pathway.followup.recorded.v1").count()).isZero();
  }

  @Test
  void shouldEscalateAgainAndAgainWhileTheEmergencyTransferIsUnconfirmed() {
    // given
    enrol(with(enrolment(), "redFlags", "BOWEL_DYSFUNCTION"));
    advance(Duration.ofMinutes(29));
    assertThat(fireDueTimers()).isZero();

    // when
    advance(Duration.ofMinutes(1));
    fireDueTimers();

    // then
    assertThat(beans.alerts).extracting(a -> a.type() + "/" + a.severity())
        .containsExactly("RED_FLAG/CRITICAL", "ESCALATION/CRITICAL");
    assertThat(hasTask(Tasks.CONFIRM_EMERGENCY_TRANSFER)).isTrue();

    advance(Duration.ofMinutes(30));
    fireDueTimers();
    assertThat(beans.alerts).extracting(a -> a.type()).containsExactly("RED_FLAG", "ESCALATION", "ESCALATION");

    complete(Tasks.CONFIRM_EMERGENCY_TRANSFER, vars("emergencyTransferConfirmed", true));
    assertThat(managementService.createJobQuery().timers().count()).isZero();
  }

  @Test
  void shouldEscalateAnUnconfirmedUrgentReferralAfterFourHours() {
    enrol(with(enrolment(), "redFlags", "PROGRESSIVE_WEAKNESS"));

    advance(Duration.ofHours(4));
    fireDueTimers();

    assertThat(beans.alerts).extracting(a -> a.type() + "/" + a.severity()).containsExactly("RED_FLAG/HIGH", "ESCALATION/HIGH");
  }


  @Test
  void shouldKeepTheEscalationAliveWhenTheTransferIsNotConfirmed() {
    // given
    ProcessInstance pi = enrol(with(enrolment(), "redFlags", "BLADDER_DYSFUNCTION"));
    Task first = task(Tasks.CONFIRM_EMERGENCY_TRANSFER);
    advance(Duration.ofMinutes(10));

    // when: the coordinator answers "not confirmed", with a reason
    complete(Tasks.CONFIRM_EMERGENCY_TRANSFER, vars("emergencyTransferConfirmed", false, "transferNote", "no bed available"));

    // then: an escalation at once, the task back with the first deadline, the ladder still running
    assertThat(ended(pi)).isFalse();
    assertThat(beans.alerts).extracting(a -> a.type() + "/" + a.severity()).containsExactly("RED_FLAG/CRITICAL", "ESCALATION/CRITICAL");
    Task again = task(Tasks.CONFIRM_EMERGENCY_TRANSFER);
    assertThat(again.getDueDate()).isEqualTo(first.getDueDate());
    advance(Duration.ofMinutes(20));
    assertThat(fireDueTimers()).isEqualTo(1);
    assertThat(beans.alerts).extracting(a -> a.type()).containsExactly("RED_FLAG", "ESCALATION", "ESCALATION");

    // only a confirmation ends it
    complete(Tasks.CONFIRM_EMERGENCY_TRANSFER, vars("emergencyTransferConfirmed", true, "transferNote", "Neurosurgery, 10:15"));
    assertThat(historicVariable(pi, "pathwayOutcome")).isEqualTo("REFERRED_EMERGENCY_SURGERY");
    assertThat(managementService.createJobQuery().timers().count()).isZero();
  }

  @Test
  void shouldSendANotConfirmedAnswerWithoutAReasonBackToTheCoordinator() {
    enrol(with(enrolment(), "redFlags", "SADDLE_ANESTHESIA"));

    complete(Tasks.CONFIRM_EMERGENCY_TRANSFER, vars("emergencyTransferConfirmed", false, "transferNote", "."));

    assertThat(hasTask(Tasks.CONFIRM_EMERGENCY_TRANSFER)).isTrue();
    assertThat(beans.alerts).extracting(a -> a.type()).containsExactly("RED_FLAG");
  }

  @Test
  void shouldKeepTheUrgentEscalationAliveWhenTheReferralIsNotConfirmed() {
    ProcessInstance pi = enrol(with(enrolment(), "redFlags", "FOOT_DROP"));
    Task first = task(Tasks.CONFIRM_URGENT_SURGICAL_REFERRAL);

    complete(Tasks.CONFIRM_URGENT_SURGICAL_REFERRAL, vars("urgentReferralConfirmed", false, "referralNote", "surgeon on leave today"));

    assertThat(ended(pi)).isFalse();
    assertThat(beans.alerts).extracting(a -> a.type() + "/" + a.severity()).containsExactly("RED_FLAG/HIGH", "ESCALATION/HIGH");
    assertThat(task(Tasks.CONFIRM_URGENT_SURGICAL_REFERRAL).getDueDate()).isEqualTo(first.getDueDate());
    complete(Tasks.CONFIRM_URGENT_SURGICAL_REFERRAL, vars("urgentReferralConfirmed", true, "referralNote", "Mr X, tomorrow 9:00"));
    assertThat(historicVariable(pi, "pathwayOutcome")).isEqualTo("REFERRED_URGENT_SURGERY");
  }

  @Test
  void shouldKeepTheFirstDeadlineWhenAFurtherRedFlagOfTheSameOrLowerSeverityArrives() {
    // given: cauda equina signs, the transfer being arranged
    ProcessInstance pi = enrol(with(enrolment(), "redFlags", "SADDLE_ANESTHESIA"));
    Task first = task(Tasks.CONFIRM_EMERGENCY_TRANSFER);
    taskService.setVariableLocal(first.getId(), "transferNote", "calling neurosurgery");

    // when: two more reports 25 minutes later (a second system, and a lesser flag)
    advance(Duration.ofMinutes(25));
    furtherRedFlag("BOWEL_DYSFUNCTION", ClockUtil.getCurrentTime().toInstant());
    furtherRedFlag("FOOT_DROP", ClockUtil.getCurrentTime().toInstant());

    // then: the same task, its deadline and the half-typed note stay; the flags join the evidence
    Task now = task(Tasks.CONFIRM_EMERGENCY_TRANSFER);
    assertThat(now.getId()).isEqualTo(first.getId());
    assertThat(now.getDueDate()).isEqualTo(first.getDueDate());
    assertThat(taskService.getVariableLocal(now.getId(), "transferNote")).isEqualTo("calling neurosurgery");
    assertThat(runtimeService.getVariable(escalation().getId(), "redFlags")).isEqualTo("SADDLE_ANESTHESIA,BOWEL_DYSFUNCTION,FOOT_DROP");
    assertThat(beans.referrals).extracting(r -> r.urgency()).containsExactly("EMERGENCY");

    // and the escalation comes 30 minutes after the first observation, not after the last report
    advance(Duration.ofMinutes(5));
    assertThat(fireDueTimers()).isEqualTo(1);
    assertThat(beans.alerts).extracting(a -> a.type()).containsExactly("RED_FLAG", "ESCALATION");
    assertThat(ended(pi)).isFalse();
  }

  @Test
  void shouldUpgradeAnUrgentEscalationToAnEmergencyWithItsOwnReferralAlertAndDeadline() {
    // given: a foot drop, urgent referral awaiting confirmation
    ProcessInstance pi = enrol(with(enrolment(), "redFlags", "FOOT_DROP"));
    advance(Duration.ofHours(1));
    Instant upgradeObserved = ClockUtil.getCurrentTime().toInstant();

    // when: cauda equina signs follow
    furtherRedFlag("BOWEL_DYSFUNCTION", upgradeObserved);

    // then
    assertThat(hasTask(Tasks.CONFIRM_URGENT_SURGICAL_REFERRAL)).isFalse();
    Task transfer = task(Tasks.CONFIRM_EMERGENCY_TRANSFER);
    assertThat(transfer.getDueDate().toInstant()).isEqualTo(upgradeObserved.plus(Duration.ofMinutes(30)));
    assertThat(beans.referrals).extracting(r -> r.urgency() + "/" + r.reason())
        .containsExactly("URGENT/PROGRESSIVE_NEUROLOGICAL_DEFICIT", "EMERGENCY/CAUDA_EQUINA_SYNDROME");
    assertThat(beans.superseded).containsExactly("URGENT");
    assertThat(beans.alerts).extracting(a -> a.type() + "/" + a.severity()).containsExactly("RED_FLAG/HIGH", "RED_FLAG/CRITICAL");
    complete(Tasks.CONFIRM_EMERGENCY_TRANSFER, vars("emergencyTransferConfirmed", true, "transferNote", "Neurosurgery, 11:00"));
    assertThat(historicVariable(pi, "pathwayOutcome")).isEqualTo("REFERRED_EMERGENCY_SURGERY");
    assertThat(runningInstances()).isZero();
  }

  @Test
  void shouldTakeTheEmergencyDeadlineForAnUpgradeFromItsOwnObservationWithNoWindowBeforeTheEscalationsTask() {
    // given: a foot drop observed an hour ago; the escalation's first steps run in the transaction that starts it, so
    // the urgent confirmation exists at once, with no asynchronous step (once the alert's) in which an upgrade could
    // arrive before it
    Instant footDrop = ClockUtil.getCurrentTime().toInstant().minus(Duration.ofHours(1));
    runtimeService.startProcessInstanceByKey(Processes.PATHWAY, "REF-RACE",
        with(enrolment(), "referralId", "REF-RACE", "redFlags", "FOOT_DROP", "redFlagObservedAt", footDrop.toString()));
    assertThat(task(Tasks.CONFIRM_URGENT_SURGICAL_REFERRAL).getDueDate().toInstant()).isEqualTo(footDrop.plus(Duration.ofHours(4)));
    assertThat(managementService.createJobQuery().processInstanceId(escalation().getId()).messages().count()).isZero();

    // when: bladder dysfunction, observed now, reaches the escalation
    Instant bladder = ClockUtil.getCurrentTime().toInstant();
    deliver(EventTypes.RED_FLAG_RAISED, escalation().getId(), vars(Vars.FURTHER_FLAG, "BLADDER_DYSFUNCTION",
        Vars.FURTHER_FLAG_OBSERVED_AT, bladder.toString()));
    runAsyncJobs();

    // then: the emergency task and its ladder run from the bladder observation + 30 minutes, not foot drop + 4 hours
    Task transfer = task(Tasks.CONFIRM_EMERGENCY_TRANSFER);
    assertThat(transfer.getDueDate().toInstant()).isEqualTo(bladder.plus(Duration.ofMinutes(30)));
    assertThat(hasTask(Tasks.CONFIRM_URGENT_SURGICAL_REFERRAL)).isFalse();
    advance(Duration.ofMinutes(31));
    assertThat(fireDueTimers()).isEqualTo(1);
    assertThat(beans.alerts).extracting(a -> a.type() + "/" + a.severity())
        .containsExactly("RED_FLAG/HIGH", "RED_FLAG/CRITICAL", "ESCALATION/CRITICAL");
  }

  @Test
  void shouldGiveEveryJobOfARedFlagEscalationPriorityOverRoutineWork() {
    // given: a routine pathway with its follow-up continuation waiting as a job, and a red-flag escalation
    ProcessInstance routine = enrol(enrolment());
    runtimeService.startProcessInstanceByKey(Processes.PATHWAY, "REF-PRIO",
        with(enrolment(), "referralId", "REF-PRIO", "redFlags", "SADDLE_ANESTHESIA"));

    // then: the referral, the alert and the task came in the transaction that started the escalation, before any
    // job ran; the escalation's only job is its deadline timer, with the escalation's priority (100), ahead of routine
    // work (0)
    assertThat(beans.referrals).singleElement().satisfies(r -> assertThat(r.urgency()).isEqualTo("EMERGENCY"));
    assertThat(beans.alerts).extracting(a -> a.type() + "/" + a.severity()).containsExactly("RED_FLAG/CRITICAL");
    assertThat(hasTask(Tasks.CONFIRM_EMERGENCY_TRANSFER)).isTrue();
    assertThat(managementService.createJobQuery().processInstanceId(escalation().getId()).messages().count()).isZero();
    assertThat(managementService.createJobQuery().processInstanceId(escalation().getId()).list())
        .isNotEmpty().allSatisfy(j -> assertThat(j.getPriority()).isEqualTo(100L));
    assertThat(managementService.createJobQuery().processInstanceId(routine.getId()).list())
        .allSatisfy(j -> assertThat(j.getPriority()).isZero());
  }

  @Test
  void shouldRaiseTheAlertAndOpenTheTaskEvenWhenTheReferralFails() {
    // given: the referral cannot be written
    beans.failReferrals = true;

    // when: the escalation starts; its referral, tried at once, fails
    ProcessInstance pathway = runtimeService.startProcessInstanceByKey(Processes.PATHWAY, "REF-FAIL",
        with(enrolment(), "redFlags", "SADDLE_ANESTHESIA"));

    // then: the start committed all the same, with the referral handed to its retried step (a job of priority 110)
    assertThat(runtimeService.createProcessInstanceQuery().processInstanceId(pathway.getId()).count()).isOne();
    assertThat(managementService.createJobQuery().processInstanceId(escalation().getId()).messages().list())
        .extracting(j -> managementService.createJobDefinitionQuery().jobDefinitionId(j.getJobDefinitionId())
            .singleResult().getActivityId() + "/" + j.getPriority())
        .containsExactly("Task_RetryRedFlagReferral/110");

    // when: the jobs run, the retried referral failing again
    for (int round = 0; round < 2; round++) {
      for (Job job : managementService.createJobQuery().messages().executable().list()) {
        try {
          managementService.executeJob(job.getId());
        } catch (RuntimeException referralFailed) {
          // the retried referral fails and keeps its retries for the job executor; an incident after the last
        }
      }
    }

    // then: the critical alert went out in its own step, and a person has the task
    assertThat(beans.alerts).extracting(a -> a.type() + "/" + a.severity()).containsExactly("RED_FLAG/CRITICAL");
    assertThat(hasTask(Tasks.CONFIRM_EMERGENCY_TRANSFER)).isTrue();
    assertThat(beans.referrals).isEmpty();
    Job retried = managementService.createJobQuery().withException().singleResult();
    assertThat(retried).isNotNull();

    // when: the referral can be written again, the retried step issues it, once
    beans.failReferrals = false;
    managementService.executeJob(retried.getId());
    assertThat(beans.referrals).singleElement().satisfies(r -> assertThat(r.urgency()).isEqualTo("EMERGENCY"));
    assertThat(managementService.createJobQuery().withException().count()).isZero();
  }

  @Test
  void shouldIssueTheReferralAndOpenTheTaskEvenWhenTheAlertFails() {
    // given: the alert cannot be written
    beans.failAlerts = true;

    // when: the escalation starts; its alert, tried at once, fails
    runtimeService.startProcessInstanceByKey(Processes.PATHWAY, "REF-ALERT", with(enrolment(), "redFlags", "SADDLE_ANESTHESIA"));

    // then: the referral went out and a person has the task all the same, the alert handed to its retried step (110)
    assertThat(beans.referrals).singleElement().satisfies(r -> assertThat(r.urgency()).isEqualTo("EMERGENCY"));
    assertThat(hasTask(Tasks.CONFIRM_EMERGENCY_TRANSFER)).isTrue();
    assertThat(beans.alerts).isEmpty();
    Job retried = managementService.createJobQuery().processInstanceId(escalation().getId()).messages().singleResult();
    assertThat(managementService.createJobDefinitionQuery().jobDefinitionId(retried.getJobDefinitionId()).singleResult().getActivityId())
        .isEqualTo("Task_RetryRedFlagAlert");
    assertThat(retried.getPriority()).isEqualTo(110L);
    assertThatThrownBy(() -> managementService.executeJob(retried.getId())).isInstanceOf(IllegalStateException.class);
    assertThat(beans.alerts).isEmpty();

    // when: the alert can be written again, the retried step raises it, once
    beans.failAlerts = false;
    managementService.executeJob(retried.getId());
    assertThat(beans.alerts).extracting(a -> a.type() + "/" + a.severity()).containsExactly("RED_FLAG/CRITICAL");
    assertThat(managementService.createJobQuery().processInstanceId(escalation().getId()).messages().count()).isZero();
    assertThat(hasTask(Tasks.CONFIRM_EMERGENCY_TRANSFER)).isTrue();
  }

  @Test
  void shouldRunAStandAloneEscalationForAPatientWithoutAPathway() {
    // given: no pathway; the service starts the escalation on its own
    ProcessInstance esc = runtimeService.startProcessInstanceByKey("red-flag-escalation", "PSN-9",
        vars("patientRef", "PSN-9", "redFlags", "BLADDER_DYSFUNCTION", "emergencyTransferSla", "PT30M",
            "urgentReferralSla", "PT4H", "clinicalTaskDue", "P3D"));
    runAsyncJobs();

    // then: the same escalation as inside a pathway
    assertThat(beans.alerts).extracting(a -> a.type() + "/" + a.severity()).containsExactly("RED_FLAG/CRITICAL");
    assertThat(beans.referrals).singleElement().satisfies(r -> assertThat(r.urgency()).isEqualTo("EMERGENCY"));
    assertThat(runtimeService.getVariable(esc.getId(), "pathwayId")).isEqualTo(esc.getId());
    advance(Duration.ofMinutes(30));
    assertThat(fireDueTimers()).isEqualTo(1);
    complete(Tasks.CONFIRM_EMERGENCY_TRANSFER, vars("emergencyTransferConfirmed", true, "transferNote", "A&E to theatre 14:00"));
    BpmnAwareTests.assertThat(esc).isEnded();
    assertThat(beans.escalationsClosed).containsExactly("REFERRED_EMERGENCY_SURGERY");
  }

  @Test
  void shouldWaitForAnEscalationUnderWayWhenThePatientIsEnrolledMeanwhile() {
    // given: a stand-alone escalation for the patient
    ProcessInstance esc = runtimeService.startProcessInstanceByKey("red-flag-escalation", "PSN-10",
        vars("patientRef", "PSN-10", "redFlags", "SADDLE_ANESTHESIA", "emergencyTransferSla", "PT30M",
            "urgentReferralSla", "PT4H", "clinicalTaskDue", "P3D"));
    runAsyncJobs();

    // when: the enrolment arrives; the service's carry-over names the escalation under way
    ProcessInstance pi = enrol(with(enrolment(), "adoptedEscalationId", esc.getId(), "redFlagHistory", "SADDLE_ANESTHESIA"));

    // then: the pathway waits on the red-flag route, with no second escalation
    assertThat(variable(pi, "currentStage")).isEqualTo("RED_FLAG_ESCALATION");
    assertThat(runtimeService.createProcessInstanceQuery().processDefinitionKey("red-flag-escalation").count()).isEqualTo(1);
    assertThat(hasTask(Tasks.RECORD_FOLLOW_UP_ASSESSMENT)).isFalse();
    complete(Tasks.CONFIRM_EMERGENCY_TRANSFER, vars("emergencyTransferConfirmed", true, "transferNote", "Neurosurgery, 10:15"));
    runtimeService.setVariable(pi.getId(), "redFlagEscalationOutcome", "REFERRED_EMERGENCY_SURGERY"); // what escalationCloser does
    assertThat(historicVariable(pi, "pathwayOutcome")).isEqualTo("REFERRED_EMERGENCY_SURGERY");
    BpmnAwareTests.assertThat(pi).isEnded().hasPassed("Event_AdoptedEscalationConcluded").hasNotPassed("SubProcess_ResponseAssessment");
  }

  @Test
  void shouldNeverRestartTheEscalationWhenAFurtherRedFlagIsDeliveredToThePathwayItself() {
    // given: cauda equina signs at enrolment, the coordinator half-way through the task
    ProcessInstance pi = enrol(with(enrolment(), "redFlags", "SADDLE_ANESTHESIA"));
    Task first = task(Tasks.CONFIRM_EMERGENCY_TRANSFER);
    taskService.setVariableLocal(first.getId(), "transferNote", "calling neurosurgery");
    advance(Duration.ofMinutes(25));

    // when: a further report is correlated to the pathway (as a direct engine call would)
    redFlag(pi, "FOOT_DROP");

    // then: it joins the escalation under way; the task, the note and the deadline stay
    Task now = task(Tasks.CONFIRM_EMERGENCY_TRANSFER);
    assertThat(now.getId()).isEqualTo(first.getId());
    assertThat(now.getDueDate()).isEqualTo(first.getDueDate());
    assertThat(taskService.getVariableLocal(now.getId(), "transferNote")).isEqualTo("calling neurosurgery");
    assertThat(runtimeService.getVariable(escalation().getId(), "redFlags")).isEqualTo("SADDLE_ANESTHESIA,FOOT_DROP");
    assertThat(beans.referrals).extracting(r -> r.urgency()).containsExactly("EMERGENCY");
    advance(Duration.ofMinutes(5));
    assertThat(fireDueTimers()).isEqualTo(1);
    BpmnAwareTests.assertThat(pi).hasPassed("Task_PassRedFlagToEscalation");
  }
}
