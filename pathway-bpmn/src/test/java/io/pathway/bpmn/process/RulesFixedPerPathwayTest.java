package io.pathway.bpmn.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathway.bpmn.PathwayModel;
import io.pathway.bpmn.PathwayModel.Tasks;
import io.pathway.bpmn.support.ProcessTestCase;
import io.pathway.bpmn.support.TestEngine;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.camunda.bpm.engine.repository.Deployment;
import org.camunda.bpm.engine.repository.DeploymentBuilder;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;

/**
 * A redeploy with a changed decision table does not change the rules of a pathway already running:
 * decisions and called processes bind to the deployment the pathway started from.
 */
class RulesFixedPerPathwayTest extends ProcessTestCase {

  private static final String FALLBACK = "No specific pathway for this diagnosis: targeted physical therapy";
  private static final String CHANGED = "Changed table of a later deployment";

  @Test
  void shouldKeepTheRulesAPathwayStartedWithWhenAChangedTableIsDeployed() {
    // given: a pathway running under the first deployment
    ProcessInstance running = enrolAndFailSteroid(enrolment());

    // when: the whole model set is deployed again with a changed treatment table
    Deployment changed = deployWithChangedTreatmentTable();
    try {
      acceptHypothesesAndWorkup();
      complete(Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS);

      // then: the running pathway still proposes from its own table
      assertThat(variable(running, "treatmentRationale")).isEqualTo(FALLBACK);

      // and a pathway started now uses the new one (so the change itself did take effect)
      ProcessInstance later = enrolAndFailSteroid(enrolment());
      taskService.createTaskQuery().processInstanceId(later.getId()).list()
          .forEach(t -> taskService.complete(t.getId()));
      runAsyncJobs();
      taskService.createTaskQuery().processInstanceId(later.getId()).list()
          .forEach(t -> taskService.complete(t.getId()));
      runAsyncJobs();
      taskService.createTaskQuery().processInstanceId(later.getId()).list()
          .forEach(t -> taskService.complete(t.getId()));
      runAsyncJobs();
      assertThat(variable(later, "treatmentRationale")).isEqualTo(CHANGED);
    } finally {
      engine.getRepositoryService().deleteDeployment(changed.getId(), true);
    }
  }

  private Deployment deployWithChangedTreatmentTable() {
    DeploymentBuilder deployment = engine.getRepositoryService().createDeployment().name("pathway-bpmn-tests-changed");
    for (String folder : List.of(PathwayModel.BPMN_FOLDER, PathwayModel.DMN_FOLDER, PathwayModel.FORMS_FOLDER)) {
      for (String resource : TestEngine.resources(folder)) {
        if (resource.endsWith("treatment-selection.dmn")) {
          String table = read(resource);
          assertThat(table).contains(FALLBACK);
          deployment.addString(resource, table.replace(FALLBACK, CHANGED));
        } else {
          deployment.addClasspathResource(resource);
        }
      }
    }
    return deployment.deploy();
  }

  private static String read(String resource) {
    try (InputStream in = RulesFixedPerPathwayTest.class.getClassLoader().getResourceAsStream(resource)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
