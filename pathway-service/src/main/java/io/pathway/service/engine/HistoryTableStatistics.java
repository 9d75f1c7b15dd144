package io.pathway.service.engine;

import io.pathway.messaging.config.AdvisoryLocks;
import java.math.BigDecimal;
import java.util.List;
import javax.sql.DataSource;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * How often the planner statistics of the engine's history tables ({@code ACT_HI_*}) are renewed. These tables
 * grow with every pathway and are read by key (a process instance's activities, variables and decisions), and the
 * planner scales a table's row count by its current size on disk between two analyses; with autovacuum's default
 * ({@code 50 +} 10% of the rows changed) they were analysed again every few tens of seconds under load, up to a
 * second of CPU each at 500,000 rows, beside the red-flag path. This sets their
 * {@code autovacuum_analyze_scale_factor} storage parameter to {@code pathway.engine.history-analyze-scale-factor}
 * (default 0.5: analysed again once half as many rows changed as they hold). PostgreSQL's autovacuum reads the
 * parameter, and so does the services' own table upkeep where autovacuum is off ({@code TableUpkeep}).
 *
 * <p>A table that already has the parameter keeps it: a database administrator's own value wins. Set once per table,
 * under an advisory lock, by the first replica that starts; every later start reads the catalogue and changes
 * nothing. The runtime tables ({@code ACT_RU_*}), whose rows come and go and whose plans the red-flag path depends
 * on, keep the server's thresholds.
 */
@Component
class HistoryTableStatistics extends AbstractProcessEnginePlugin {

  private static final Logger log = LoggerFactory.getLogger(HistoryTableStatistics.class);

  /** The storage parameter this sets. */
  static final String PARAMETER = "autovacuum_analyze_scale_factor";

  private final double scaleFactor;
  private DataSource dataSource;
  private String schema;
  private String tablePattern;

  HistoryTableStatistics(@Value("${pathway.engine.history-analyze-scale-factor:0.5}") double scaleFactor) {
    if (!(scaleFactor >= 0 && scaleFactor <= 100)) {
      throw new IllegalStateException("pathway.engine.history-analyze-scale-factor must lie between 0 and 100 "
          + "(PostgreSQL's range for " + PARAMETER + "), not " + scaleFactor);
    }
    this.scaleFactor = scaleFactor;
  }

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    this.dataSource = configuration.getDataSource();
    EngineTablePrefix tables = EngineTablePrefix.of(configuration);
    this.schema = tables.schema();
    this.tablePattern = tables.like("act_hi_");
  }

  @Override
  public void postProcessEngineBuild(ProcessEngine engine) {
    if (dataSource != null) {
      apply();
    }
  }

  /** Sets the parameter on every history table that has none; returns the tables it changed. */
  List<String> apply() {
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    try {
      return new TransactionTemplate(new DataSourceTransactionManager(dataSource)).execute(s -> {
        jdbc.queryForList("select pg_advisory_xact_lock(?)", AdvisoryLocks.key("history-table-statistics", tablePattern));
        // ALTER TABLE ... SET takes a lock that only waits for another ALTER, VACUUM or ANALYZE of that table
        jdbc.execute("set local lock_timeout = '5s'");
        List<String> tables = jdbc.queryForList("select quote_ident(n.nspname) || '.' || quote_ident(c.relname) from pg_class c "
            + "join pg_namespace n on n.oid = c.relnamespace where c.relkind in ('r', 'p') and c.relname like ? "
            + "and " + EngineTablePrefix.schemaCondition("n.nspname") + " "
            + "and not exists (select 1 from unnest(coalesce(c.reloptions, '{}')) o where o like ?) order by 1",
            String.class, tablePattern, schema, schema, PARAMETER + "=%");
        for (String table : tables) {
          jdbc.execute("alter table " + table + " set (" + PARAMETER + " = " + BigDecimal.valueOf(scaleFactor).toPlainString() + ")");
        }
        if (!tables.isEmpty()) {
          log.info("Set {} = {} on the engine's history tables {}", PARAMETER, scaleFactor, tables);
        }
        return tables;
      });
    } catch (DataAccessException busy) {
      // statistics only: the service runs as well without it, and the next start tries again
      log.warn("Could not set {} on the engine's history tables, they keep the server's thresholds: {}", PARAMETER,
          busy.getMessage());
      return List.of();
    }
  }
}
