package io.pathway.messaging.upkeep;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pathway.messaging.config.AdvisoryLocks;
import io.pathway.messaging.config.PeriodicWork;
import java.time.Duration;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Keeps the planner statistics and the dead rows of this service's tables in hand when the database
 * does not. PostgreSQL's autovacuum normally does both; on a server where it is off, nothing ever
 * analyses a table, and the planner plans the engine's most frequent statement (an execution's
 * variables: {@code execution_id_ = $1 and task_id_ is null}) as if every table held a few rows. It
 * then reads the whole {@code task_id_} index at every variable load, and the queue tables
 * ({@code act_ru_job}, the outbox) fill with dead rows that every acquisition scans. Measured in
 * docs/benchmarks.md.
 *
 * <p>Every {@code interval}, in {@code AUTO} mode only while the server's {@code autovacuum} or
 * {@code track_counts} is off, a round reads {@code pg_stat_user_tables} for the connection's schemas
 * and the messaging schema and runs what {@link UpkeepPlan} decides, with autovacuum's own thresholds: the server's
 * settings, and a table's own storage parameters where it has them.
 * One replica at a time (a session advisory lock); a lock another session holds makes the step give
 * up after a second ({@code lock_timeout}) rather than queue a migration behind it, and a vacuum goes at
 * autovacuum's pace ({@code vacuum_cost_delay} 2 ms per 200 cost units) so as not to take the cores from the service.
 */
public class TableUpkeep extends PeriodicWork {

  private static final Logger log = LoggerFactory.getLogger(TableUpkeep.class);

  private final JdbcTemplate jdbc;
  private final UpkeepProperties settings;
  private final String messagingSchema;
  private final long lockKey;
  private final MeterRegistry meters;
  private volatile Boolean lastNeeded;

  /** What a round did. */
  public record Round(boolean ran, List<UpkeepPlan.Step> steps) {}

  public TableUpkeep(JdbcTemplate jdbc, UpkeepProperties settings, String messagingSchema, MeterRegistry meters) {
    super("table-upkeep");
    this.jdbc = jdbc;
    this.settings = settings;
    this.messagingSchema = messagingSchema;
    this.lockKey = AdvisoryLocks.key("table-upkeep", messagingSchema);
    this.meters = meters;
  }

  /** Whether a round should act now: never when off, always when asked, else while the server's autovacuum is off. */
  public boolean needed() {
    if (settings.mode() == UpkeepProperties.Mode.OFF) {
      return false;
    }
    if (settings.mode() == UpkeepProperties.Mode.ALWAYS) {
      return true;
    }
    Boolean serverKeeps = jdbc.queryForObject(
        "select current_setting('autovacuum')::boolean and current_setting('track_counts')::boolean", Boolean.class);
    boolean needed = !Boolean.TRUE.equals(serverKeeps);
    if (!Boolean.valueOf(needed).equals(lastNeeded)) {
      if (needed) {
        log.warn("PostgreSQL's autovacuum is off: this service analyses and vacuums its own tables every {} "
            + "(pathway.messaging.upkeep). Turn autovacuum on for a production server.", settings.interval());
      } else {
        log.info("PostgreSQL's autovacuum keeps the tables; the service's own table upkeep stands by");
      }
      lastNeeded = needed;
    }
    return needed;
  }

  /** Runs one round now (when needed and no other replica is running one); returns what it did. */
  public Round runOnce() {
    if (!needed()) {
      return new Round(false, List.of());
    }
    return jdbc.execute((ConnectionCallback<Round>) this::roundOn);
  }

  private Round roundOn(Connection con) throws SQLException {
    boolean autoCommit = con.getAutoCommit();
    con.setAutoCommit(true); // VACUUM cannot run inside a transaction block
    try (Statement s = con.createStatement()) {
      if (!tryLock(con)) {
        return new Round(false, List.of());
      }
      try {
        s.execute("set lock_timeout = '1s'");
        // autovacuum's own pace (autovacuum_vacuum_cost_delay, _limit): a manual VACUUM runs unthrottled and took the
        // database's share of the 2 cores from the clinical work in the benchmarks
        s.execute("set vacuum_cost_delay = '2ms'");
        s.execute("set vacuum_cost_limit = 200");
        List<UpkeepPlan.Step> steps = UpkeepPlan.decide(tables(con));
        List<UpkeepPlan.Step> done = new ArrayList<>();
        for (UpkeepPlan.Step step : steps) {
          try {
            s.execute(step.sql());
            done.add(step);
            Counter.builder("pathway_db_upkeep_total").tag("action", step.action().name().toLowerCase())
                .description("Tables the service analysed or vacuumed itself (autovacuum off)").register(meters).increment();
          } catch (SQLException busy) {
            log.debug("Table upkeep skipped {}: {}", step.table().qualified(), busy.getMessage());
          }
        }
        if (!done.isEmpty()) {
          log.debug("Table upkeep: {}", done.stream().map(UpkeepPlan.Step::sql).toList());
        }
        return new Round(true, done);
      } finally {
        s.execute("reset lock_timeout");
        s.execute("reset vacuum_cost_delay");
        s.execute("reset vacuum_cost_limit");
        try (PreparedStatement unlock = con.prepareStatement("select pg_advisory_unlock(?)")) {
          unlock.setLong(1, lockKey);
          unlock.execute();
        }
      }
    } finally {
      con.setAutoCommit(autoCommit);
    }
  }

  private boolean tryLock(Connection con) throws SQLException {
    try (PreparedStatement lock = con.prepareStatement("select pg_try_advisory_lock(?)")) {
      lock.setLong(1, lockKey);
      try (ResultSet rs = lock.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  private List<UpkeepPlan.TableStats> tables(Connection con) throws SQLException {
    Set<String> schemas = new LinkedHashSet<>();
    try (Statement s = con.createStatement(); ResultSet rs = s.executeQuery("select unnest(current_schemas(false))")) {
      while (rs.next()) {
        schemas.add(rs.getString(1));
      }
    }
    schemas.add(messagingSchema);
    UpkeepPlan.Thresholds server = serverThresholds(con);
    List<UpkeepPlan.TableStats> tables = new ArrayList<>();
    try (PreparedStatement q = con.prepareStatement("select s.schemaname, s.relname, s.n_live_tup, s.n_dead_tup, "
        + "s.n_mod_since_analyze, (s.last_analyze is not null or s.last_autoanalyze is not null), c.reloptions "
        + "from pg_stat_user_tables s join pg_class c on c.oid = s.relid where s.schemaname = any (?)")) {
      q.setArray(1, con.createArrayOf("varchar", schemas.toArray()));
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          java.sql.Array options = rs.getArray(7);
          List<String> reloptions = options == null ? List.of() : List.of((String[]) options.getArray());
          tables.add(new UpkeepPlan.TableStats(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
              rs.getBoolean(6), server.with(reloptions)));
        }
      }
    }
    return tables;
  }

  /** Autovacuum's thresholds as this server sets them ({@code autovacuum_*_threshold}, {@code _scale_factor}). */
  private static UpkeepPlan.Thresholds serverThresholds(Connection con) throws SQLException {
    try (Statement s = con.createStatement(); ResultSet rs = s.executeQuery(
        "select current_setting('autovacuum_vacuum_threshold')::bigint, current_setting('autovacuum_vacuum_scale_factor')::float8, "
            + "current_setting('autovacuum_analyze_threshold')::bigint, current_setting('autovacuum_analyze_scale_factor')::float8")) {
      rs.next();
      return new UpkeepPlan.Thresholds(true, rs.getLong(1), rs.getDouble(2), rs.getLong(3), rs.getDouble(4));
    }
  }

  @Override
  protected void round() {
    runOnce();
  }

  @Override
  protected Duration interval() {
    return settings.interval();
  }

  @Override
  protected boolean enabled() {
    return settings.mode() != UpkeepProperties.Mode.OFF;
  }
}
