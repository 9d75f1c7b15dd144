package io.pathway.bpmn.process;

import static org.assertj.core.api.Assertions.assertThat;

import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;

import io.pathway.bpmn.PathwayModel.Tasks;
import io.pathway.bpmn.support.ProcessTestCase;
import java.time.Duration;
import org.camunda.bpm.engine.impl.util.ClockUtil;
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

    // then: the order is abandoned and the emergency route taken
    assertThat(runtimeService.createProcessInstanceQuery().processDefinitionKey("order-and-await-result").count()).isZero();
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
  void shouldKeepTheEmergencyRouteWhenALesserRedFlagFollows() {
    // given: cauda equina signs at enrolment
    ProcessInstance pi = enrol(with(enrolment(), "redFlags", "SADDLE_ANESTHESIA"));

    // when: a foot drop is reported while the transfer is being arranged
    redFlag(pi, "FOOT_DROP");

    // then: triage sees both flags and the most severe still wins
    assertThat(hasTask(Tasks.CONFIRM_EMERGENCY_TRANSFER)).isTrue();
    assertThat(hasTask(Tasks.CONFIRM_URGENT_SURGICAL_REFERRAL)).isFalse();
    assertThat(beans.referrals).extracting(r -> r.urgency()).containsOnly("EMERGENCY");
    assertThat(variable(pi, "redFlagHistory")).isEqualTo("SADDLE_ANESTHESIA,FOOT_DROP");
  }

  @Test
  void shouldUpgradeAnUrgentEscalationToAnEmergency() {
    ProcessInstance pi = enrol(with(enrolment(), "redFlags", "PROGRESSIVE_WEAKNESS"));
    assertThat(hasTask(Tasks.CONFIRM_URGENT_SURGICAL_REFERRAL)).isTrue();

    redFlag(pi, "BOWEL_DYSFUNCTION");

    assertThat(hasTask(Tasks.CONFIRM_URGENT_SURGICAL_REFERRAL)).isFalse();
    assertThat(hasTask(Tasks.CONFIRM_EMERGENCY_TRANSFER)).isTrue();
    assertThat(beans.referrals).extracting(r -> r.urgency()).containsExactly("URGENT", "EMERGENCY");
    complete(Tasks.CONFIRM_EMERGENCY_TRANSFER, vars("emergencyTransferConfirmed", true));
    assertThat(historicVariable(pi, "pathwayOutcome")).isEqualTo("REFERRED_EMERGENCY_SURGERY");
  }
}
