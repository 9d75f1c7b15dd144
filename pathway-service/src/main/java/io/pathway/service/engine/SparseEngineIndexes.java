package io.pathway.service.engine;

import io.pathway.messaging.config.AdvisoryLocks;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.stereotype.Component;

/**
 * The engine's indexes on columns that are empty in nearly every row here index only the rows that have a value.
 *
 * <p>Camunda's schema indexes columns this service never or seldom fills: the tenant (no tenants here), the CMMN
 * case (no cases), the removal time (the history strategy writes none), the batch, the restarted instance, and the
 * byte array, task, super execution and exception references that a few rows have. PostgreSQL indexes a null like any
 * value, so every variable, history detail and activity row paid for an entry in each of them: of the 15 index
 * entries an {@code act_hi_detail} row cost, 7 were for such columns, of {@code act_ru_variable}'s 11, 7. Each such
 * index is rebuilt here, under its own name, as a partial index of the rows whose leading column is not null. A query
 * that looks a value up ({@code TASK_ID_ = ?}, {@code REMOVAL_TIME_ <= ?}) is answered from it as before, since such a
 * condition implies the column is not null; no query answers differently, only the write of an empty column is saved.
 * It also takes from the planner an old trap: reading the whole {@code task_id_} index for {@code TASK_ID_ is null}
 * when it loads an execution's variables ({@code docs/benchmarks.md}, the night of 2026-12-06).
 *
 * <p>Done once per index by the first replica that starts, under an advisory lock, in one short transaction
 * for the small tables (all of them in a new database) and with {@code create index concurrently} and {@code drop index
 * concurrently} for a table of 64 MB or more, so that a replica already running on a large database keeps writing
 * meanwhile; every later start reads the catalogue and changes nothing. A copy left by an interrupted start
 * is finished or dropped by the next. Unique indexes and primary keys are left as they are.
 * {@code pathway.engine.sparse-indexes=false} leaves every index as Camunda made it (it does not undo a conversion:
 * {@code docs/operations.md} says how).
 */
@Component
class SparseEngineIndexes extends AbstractProcessEnginePlugin {

  private static final Logger log = LoggerFactory.getLogger(SparseEngineIndexes.class);

  /** Columns empty in every row of this service's engine, or in all but a few. */
  static final Set<String> SPARSE_COLUMNS = Set.of("tenant_id_", "case_inst_id_", "case_execution_id_", "case_def_id_",
      "removal_time_", "batch_id_", "bytearray_id_", "restarted_proc_inst_id_", "super_exec_", "exception_stack_id_",
      "job_exception_stack_id_", "error_details_id_");

  /** Columns empty in most rows of one table: only a task's own variables name the task. */
  static final Map<String, Set<String>> SPARSE_IN_TABLE = Map.of("act_ru_variable", Set.of("task_id_"),
      "act_hi_detail", Set.of("task_id_"));

  /** From this size on a table's indexes are built beside its writers (a few seconds' block of writes below it). */
  static final long CONCURRENT_FROM_BYTES = 64L * 1024 * 1024;

  /** The name of an index's partial copy while it is built. */
  static final String BUILDING = "_sparse";

  private final boolean enabled;
  private DataSource dataSource;
  private String schema;
  private String tablePattern;

  SparseEngineIndexes(@Value("${pathway.engine.sparse-indexes:true}") boolean enabled) {
    this.enabled = enabled;
  }

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    this.dataSource = configuration.getDataSource();
    EngineTablePrefix tables = EngineTablePrefix.of(configuration);
    this.schema = tables.schema();
    this.tablePattern = tables.regex("act_(ru|hi|ge)_");
  }

  @Override
  public void postProcessEngineBuild(ProcessEngine engine) {
    if (enabled && dataSource != null) {
      apply();
    }
  }

  /** An index of the engine's and its leading column. */
  record Candidate(String schema, String table, String index, String column, String definition, long bytes) {

    String qualified(String name) {
      return quote(schema) + "." + quote(name);
    }

    String building() {
      return index + BUILDING;
    }

    /**
     * Camunda's definition for the rows whose column has a value: under its own name, or built concurrently under the
     * copy's name.
     */
    String partialDefinition(boolean concurrently) {
      String head = "CREATE INDEX " + quoteIfNeeded(index) + " ON ";
      if (!definition.startsWith(head)) {
        throw new IllegalStateException("Unexpected definition of index " + index + ": " + definition);
      }
      return (concurrently ? "CREATE INDEX CONCURRENTLY " + quote(building()) : "CREATE INDEX " + quote(index)) + " ON "
          + definition.substring(head.length()) + " WHERE " + quote(column) + " IS NOT NULL";
    }
  }

  /**
   * Makes every sparse index of the engine partial; returns the indexes it changed (empty when there was nothing to do or
   * the database was busy: the service runs as well with Camunda's indexes, and the next start tries again).
   */
  List<String> apply() {
    return apply(CONCURRENT_FROM_BYTES);
  }

  /** {@link #apply()}, building the indexes of tables from {@code concurrentFrom} bytes on concurrently. */
  List<String> apply(long concurrentFrom) {
    try (Connection connection = dataSource.getConnection()) {
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(true); // a concurrent build runs outside a transaction
      JdbcTemplate jdbc = new JdbcTemplate(new SingleConnectionDataSource(connection, true));
      long key = AdvisoryLocks.key("sparse-engine-indexes", tablePattern + "@" + schema);
      jdbc.queryForList("select pg_advisory_lock(?)", key);
      try {
        // a concurrent build waits for the transactions under way; a start does not wait behind a long one
        jdbc.execute("set lock_timeout = '10s'");
        return convert(jdbc, concurrentFrom);
      } finally {
        jdbc.execute("reset lock_timeout");
        jdbc.queryForList("select pg_advisory_unlock(?)", key);
        connection.setAutoCommit(autoCommit);
      }
    } catch (SQLException | DataAccessException busy) {
      log.warn("Could not make the engine's sparse indexes partial, Camunda's full indexes stay until the next start: {}",
          busy.getMessage());
      return List.of();
    }
  }

  private List<String> convert(JdbcTemplate jdbc, long concurrentFrom) {
    long started = System.nanoTime();
    finishInterrupted(jdbc);
    List<Candidate> candidates = candidates(jdbc);
    List<String> changed = new ArrayList<>();
    // small tables (every table of a new database) in one short transaction; a large one without blocking its writers
    List<Candidate> small = candidates.stream().filter(c -> c.bytes() < concurrentFrom).toList();
    if (!small.isEmpty()) {
      jdbc.execute("BEGIN");
      try {
        for (Candidate c : small) {
          jdbc.execute("DROP INDEX " + c.qualified(c.index()));
          jdbc.execute(c.partialDefinition(false));
        }
        jdbc.execute("COMMIT");
      } catch (RuntimeException e) {
        jdbc.execute("ROLLBACK");
        throw e;
      }
      small.forEach(c -> changed.add(c.table() + "." + c.index()));
    }
    for (Candidate c : candidates) {
      if (c.bytes() >= concurrentFrom) {
        jdbc.execute(c.partialDefinition(true));
        jdbc.execute("DROP INDEX CONCURRENTLY " + c.qualified(c.index()));
        jdbc.execute("ALTER INDEX " + c.qualified(c.building()) + " RENAME TO " + quote(c.index()));
        changed.add(c.table() + "." + c.index());
      }
    }
    if (!changed.isEmpty()) {
      log.info("Made {} of the engine's indexes on sparse columns partial (the rows with a value only) in {} ms: {}",
          changed.size(), (System.nanoTime() - started) / 1_000_000, changed);
    }
    return changed;
  }

  /** Full, non-unique btree indexes of the engine's tables whose leading column is a sparse one. */
  List<Candidate> candidates(JdbcTemplate jdbc) {
    return jdbc.query("""
        select n.nspname, t.relname, i.relname, a.attname, pg_get_indexdef(i.oid), pg_total_relation_size(t.oid)
        from pg_index x
        join pg_class i on i.oid = x.indexrelid
        join pg_class t on t.oid = x.indrelid
        join pg_namespace n on n.oid = t.relnamespace
        join pg_am m on m.oid = i.relam
        join pg_attribute a on a.attrelid = t.oid and a.attnum = x.indkey[0]
        where t.relname ~ ? and m.amname = 'btree' and not x.indisunique and not x.indisprimary and x.indisvalid
          and x.indpred is null and x.indexprs is null
          and %s
        order by 2, 3""".formatted(EngineTablePrefix.schemaCondition("n.nspname")),
        (rs, row) -> new Candidate(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getLong(6)),
        tablePattern, schema, schema).stream()
        .filter(c -> !c.index().endsWith(BUILDING) && c.building().length() <= 63) // PostgreSQL's longest name
        .filter(c -> SPARSE_COLUMNS.contains(c.column()) || SPARSE_IN_TABLE.getOrDefault(c.table(), Set.of()).contains(c.column()))
        .toList();
  }

  /**
   * A start cut off between the steps leaves a copy: complete and without its original (cut off after the drop), it
   * takes the original's name; otherwise (invalid, or the original still there) it goes, and is built again.
   */
  private void finishInterrupted(JdbcTemplate jdbc) {
    List<Map<String, Object>> copies = jdbc.queryForList("""
        select n.nspname as schema, i.relname as copy, x.indisvalid as valid, t.relname as table_name
        from pg_index x
        join pg_class i on i.oid = x.indexrelid
        join pg_class t on t.oid = x.indrelid
        join pg_namespace n on n.oid = t.relnamespace
        where t.relname ~ ? and i.relname like ?
          and %s""".formatted(EngineTablePrefix.schemaCondition("n.nspname")),
        tablePattern, "%" + BUILDING, schema, schema);
    for (Map<String, Object> copy : copies) {
      String schemaName = (String) copy.get("schema");
      String name = (String) copy.get("copy");
      String original = name.substring(0, name.length() - BUILDING.length());
      Boolean originalThere = jdbc.queryForObject("select exists (select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace "
          + "where n.nspname = ? and c.relname = ? and c.relkind = 'i')", Boolean.class, schemaName, original);
      if (Boolean.TRUE.equals(copy.get("valid")) && !Boolean.TRUE.equals(originalThere)) {
        jdbc.execute("ALTER INDEX " + quote(schemaName) + "." + quote(name) + " RENAME TO " + quote(original));
        log.info("Finished making index {} on {} partial (a start was cut off before)", original, copy.get("table_name"));
      } else {
        jdbc.execute("DROP INDEX CONCURRENTLY IF EXISTS " + quote(schemaName) + "." + quote(name));
      }
    }
  }

  private static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  /** How {@code pg_get_indexdef} writes a name: quoted only where it must be. */
  private static String quoteIfNeeded(String identifier) {
    return identifier.matches("[a-z_][a-z0-9_$]*") ? identifier : quote(identifier);
  }
}
