package io.pathway.service.engine;

import io.pathway.messaging.config.AdvisoryLocks;
import javax.sql.DataSource;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An index on the job table's due date, which Camunda's schema does not have. The job executor's
 * acquisition ({@code selectNextJobsToExecute}: due now or without a due date, by priority) and the
 * FHIR projection's "red-flag work waiting" check then read the due jobs only, instead of scanning
 * every timer of every open pathway and escalation: with 3,800 timers the acquisition took 1.3 ms per
 * poll (a sequential scan), its share of the red-flag path's database time 13%, and it grows with the
 * number of open pathways. Created once, under an advisory lock, by the first replica that starts
 * after the upgrade; {@code if not exists} makes every later start a no-op.
 */
@Component
class JobAcquisitionIndex extends AbstractProcessEnginePlugin {

  private static final Logger log = LoggerFactory.getLogger(JobAcquisitionIndex.class);

  /** The index's name (also what {@code docs/operations.md} names). */
  static final String NAME = "pathway_job_due";

  private DataSource dataSource;
  private String table;

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    this.dataSource = configuration.getDataSource();
    String prefix = configuration.getDatabaseTablePrefix() == null ? "" : configuration.getDatabaseTablePrefix();
    this.table = prefix + "ACT_RU_JOB";
  }

  @Override
  public void postProcessEngineBuild(ProcessEngine engine) {
    if (dataSource == null) {
      return;
    }
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    new TransactionTemplate(new DataSourceTransactionManager(dataSource)).executeWithoutResult(s -> {
      jdbc.queryForList("select pg_advisory_xact_lock(?)", AdvisoryLocks.key("job-acquisition-index", table));
      Boolean present = jdbc.queryForObject("select exists (select 1 from pg_indexes where indexname = ? and tablename = 'act_ru_job')",
          Boolean.class, NAME);
      if (!Boolean.TRUE.equals(present)) {
        jdbc.execute("create index if not exists " + NAME + " on " + table + " (DUEDATE_)");
        jdbc.execute("analyze " + table);
        log.info("Created index {} on {} (DUEDATE_) for the job executor's acquisition", NAME, table);
      }
    });
  }
}
