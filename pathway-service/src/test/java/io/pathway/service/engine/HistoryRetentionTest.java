package io.pathway.service.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pathway.service.PathwayServiceTest;
import java.time.Duration;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.repository.Deployment;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A pathway's history is kept its time to live from its end, without a removal time written into every history row
 * when the instance ends (Camunda's default strategy, an update of each row through all its indexes): the instance
 * ends with no history row changed for it, and history cleanup, when an operator runs it, still removes an ended
 * instance whose time to live has passed and keeps one whose time to live has not.
 */
@PathwayServiceTest
class HistoryRetentionTest {

  @Autowired ProcessEngineConfigurationImpl configuration;
  @Autowired RepositoryService repository;
  @Autowired RuntimeService runtime;
  @Autowired HistoryService history;
  @Autowired JdbcTemplate jdbc;

  @Test
  void shouldEndAnInstanceWithoutARemovalTimeAndStillCleanItUpByItsEndTime() {
    assertThat(configuration.getHistoryRemovalTimeStrategy()).isEqualTo(ProcessEngineConfiguration.HISTORY_REMOVAL_TIME_STRATEGY_NONE);
    assertThat(configuration.getHistoryCleanupStrategy()).isEqualTo(ProcessEngineConfiguration.HISTORY_CLEANUP_STRATEGY_END_TIME_BASED);
    Deployment deployment = repository.createDeployment().name("history-retention-test")
        .addModelInstance("expired.bpmn", Bpmn.createExecutableProcess("history-retention-expired").camundaHistoryTimeToLive(0)
            .startEvent().userTask("wait").endEvent().done())
        .addModelInstance("kept.bpmn", Bpmn.createExecutableProcess("history-retention-kept").camundaHistoryTimeToLive(3650)
            .startEvent().userTask("wait").endEvent().done())
        .deploy();
    try {
      // given: two instances that wait, then end
      String expired = runtime.startProcessInstanceByKey("history-retention-expired").getId();
      String kept = runtime.startProcessInstanceByKey("history-retention-kept").getId();
      for (String instance : new String[] {expired, kept}) {
        configuration.getTaskService().complete(configuration.getTaskService().createTaskQuery().processInstanceId(instance)
            .singleResult().getId());
      }

      // then: they ended without a removal time on any of their history rows
      for (String instance : new String[] {expired, kept}) {
        assertThat(history.createHistoricProcessInstanceQuery().processInstanceId(instance).singleResult().getEndTime()).isNotNull();
        assertThat(jdbc.queryForObject("select count(*) from act_hi_actinst where root_proc_inst_id_ = ?", Integer.class, instance))
            .isEqualTo(3);
        assertThat(jdbc.queryForObject("select count(*) from act_hi_actinst where root_proc_inst_id_ = ? and removal_time_ is not null",
            Integer.class, instance)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from act_hi_procinst where id_ = ? and removal_time_ is null", Integer.class,
            instance)).isOne();
      }

      // when an operator runs history cleanup (a job, which the job executor runs at once)
      Job cleanup = history.cleanUpHistoryAsync(true);
      assertThat(cleanup).isNotNull();

      // then the instance whose time to live has passed since its end is gone, the other kept
      await().atMost(Duration.ofSeconds(30)).until(() -> history.createHistoricProcessInstanceQuery().processInstanceId(expired).count() == 0);
      assertThat(history.createHistoricActivityInstanceQuery().processInstanceId(expired).count()).isZero();
      assertThat(history.createHistoricProcessInstanceQuery().processInstanceId(kept).count()).isOne();
    } finally {
      repository.deleteDeployment(deployment.getId(), true);
    }
  }
}
