package io.pathway.bpmn.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathway.bpmn.PathwayModel;
import io.pathway.bpmn.PathwayModel.Processes;
import io.pathway.bpmn.PathwayModel.Tasks;
import io.pathway.bpmn.support.ProcessTestCase;
import io.pathway.bpmn.support.TestEngine;
import java.util.List;
import org.camunda.bpm.engine.repository.Deployment;
import org.camunda.bpm.engine.repository.DeploymentBuilder;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;

/**
 * A redeploy while escalations run: an escalation started under the earlier red-flag model (`b604e4f`, where the alert
 * and the confirmation task were a job of priority 100 after the referral) keeps that model and still raises its alert
 * and opens its task after the current model is deployed; an escalation started after the redeploy has neither job.
 */
class RedFlagRedeployTest extends ProcessTestCase {

  private static final String EARLIER_ESCALATION = "earlier/red-flag-escalation-b604e4f.bpmn";

  @Test
  void shouldRaiseTheAlertAndOpenTheTaskOfAnEscalationStartedUnderTheEarlierModelAfterARedeploy() {
    // given: a pathway of the earlier deployment escalates; its referral is out, its alert and task wait as a job
    Deployment earlier = deploy("pathway-bpmn-tests-earlier", true);
    Deployment current = null;
    try {
      String earlierPathway = engine.getRepositoryService().createProcessDefinitionQuery().deploymentId(earlier.getId())
          .processDefinitionKey(Processes.PATHWAY).singleResult().getId();
      runtimeService.startProcessInstanceById(earlierPathway, "REF-EARLIER",
          with(enrolment(), "referralId", "REF-EARLIER", "redFlags", "SADDLE_ANESTHESIA"));
      ProcessInstance escalation = escalation();
      assertThat(beans.referrals).singleElement().satisfies(r -> assertThat(r.urgency()).isEqualTo("EMERGENCY"));
      assertThat(beans.alerts).isEmpty();
      assertThat(hasTask(Tasks.CONFIRM_EMERGENCY_TRANSFER)).isFalse();
      Job alertJob = managementService.createJobQuery().processInstanceId(escalation.getId()).messages().singleResult();
      assertThat(alertJob.getPriority()).isEqualTo(100L);

      // when: the current model is deployed again, then the job executor runs the waiting job
      current = deploy("pathway-bpmn-tests-current", false);
      runAsyncJobs();

      // then: the earlier escalation raised its critical alert and opened its task, on its own model
      assertThat(beans.alerts).extracting(a -> a.type() + "/" + a.severity()).containsExactly("RED_FLAG/CRITICAL");
      assertThat(hasTask(Tasks.CONFIRM_EMERGENCY_TRANSFER)).isTrue();
      assertThat(runtimeService.createProcessInstanceQuery().processInstanceId(escalation.getId()).singleResult()
          .getProcessDefinitionId()).isIn(engine.getRepositoryService().createProcessDefinitionQuery().deploymentId(earlier.getId())
          .list().stream().map(d -> d.getId()).toList());

      // and a pathway that escalates now does it on the current model: alert and task at once, no job
      complete(Tasks.CONFIRM_EMERGENCY_TRANSFER, vars("emergencyTransferConfirmed", true, "transferNote", "Theatre 3, 10:40"));
      runtimeService.startProcessInstanceByKey(Processes.PATHWAY, "REF-CURRENT",
          with(enrolment(), "referralId", "REF-CURRENT", "redFlags", "SADDLE_ANESTHESIA"));
      assertThat(beans.alerts).hasSize(2);
      assertThat(hasTask(Tasks.CONFIRM_EMERGENCY_TRANSFER)).isTrue();
      assertThat(managementService.createJobQuery().processInstanceId(escalation().getId()).messages().count()).isZero();
    } finally {
      engine.getRepositoryService().deleteDeployment(earlier.getId(), true);
      if (current != null) {
        engine.getRepositoryService().deleteDeployment(current.getId(), true);
      }
    }
  }

  /** Every model, decision and form; with {@code earlierEscalation} the red-flag escalation of `b604e4f`. */
  private Deployment deploy(String name, boolean earlierEscalation) {
    DeploymentBuilder deployment = engine.getRepositoryService().createDeployment().name(name);
    for (String folder : List.of(PathwayModel.BPMN_FOLDER, PathwayModel.DMN_FOLDER, PathwayModel.FORMS_FOLDER)) {
      for (String resource : TestEngine.resources(folder)) {
        if (earlierEscalation && resource.endsWith(Processes.RED_FLAG_ESCALATION + ".bpmn")) {
          deployment.addInputStream(resource, getClass().getClassLoader().getResourceAsStream(EARLIER_ESCALATION));
        } else {
          deployment.addClasspathResource(resource);
        }
      }
    }
    return deployment.deploy();
  }
}
