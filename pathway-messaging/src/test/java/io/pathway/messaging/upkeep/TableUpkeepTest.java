package io.pathway.messaging.upkeep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pathway.messaging.MessagingTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The upkeep on the real server: a table full of dead rows and without statistics is vacuumed and analysed. */
class TableUpkeepTest extends MessagingTest {

  @Test
  void shouldVacuumAndAnalyseATableFullOfDeadRows() {
    // given: a table of the messaging schema, never analysed, with 900 of its 1,000 rows deleted
    jdbc.execute("drop table if exists messaging_test.upkeep_probe");
    jdbc.execute("create table messaging_test.upkeep_probe (id int primary key, note text)");
    reported("insert into messaging_test.upkeep_probe select g, 'row ' || g from generate_series(1, 1000) g",
        "delete from messaging_test.upkeep_probe where id > 100");
    await().atMost(Duration.ofSeconds(30)).until(() -> deadRows() >= 900);

    // when: a round runs (ALWAYS: whatever the server's autovacuum setting)
    TableUpkeep upkeep = new TableUpkeep(jdbc, new UpkeepProperties(UpkeepProperties.Mode.ALWAYS, Duration.ofSeconds(15)),
        "messaging_test", new SimpleMeterRegistry());
    TableUpkeep.Round round = upkeep.runOnce();

    // then: it vacuumed that table, and the server says so
    assertThat(round.ran()).isTrue();
    assertThat(round.steps()).filteredOn(s -> s.table().table().equals("upkeep_probe"))
        .singleElement().satisfies(s -> assertThat(s.action()).isEqualTo(UpkeepPlan.Action.VACUUM_ANALYZE));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(jdbc.queryForObject(
        "select last_vacuum is not null and last_analyze is not null from pg_stat_user_tables "
            + "where schemaname = 'messaging_test' and relname = 'upkeep_probe'", Boolean.class)).isTrue());
    assertThat(jdbc.queryForObject("select reltuples from pg_class where oid = 'messaging_test.upkeep_probe'::regclass", Float.class))
        .isEqualTo(100f);
    jdbc.execute("drop table messaging_test.upkeep_probe");
  }

  @Test
  void shouldHonourATablesOwnAnalyzeScaleFactorAndLeaveATableWhoseAutovacuumIsOff() {
    // given: two tables analysed at 1,000 rows, then given 300 rows more each (30%, over autovacuum's default 10%)
    jdbc.execute("drop table if exists messaging_test.upkeep_grows, messaging_test.upkeep_kept");
    jdbc.execute("create table messaging_test.upkeep_grows (id int primary key) with (autovacuum_analyze_scale_factor = 0.5)");
    jdbc.execute("create table messaging_test.upkeep_kept (id int primary key) with (autovacuum_enabled = false)");
    for (String t : List.of("upkeep_grows", "upkeep_kept")) {
      reported("insert into messaging_test." + t + " select g from generate_series(1, 1000) g", "analyze messaging_test." + t,
          "insert into messaging_test." + t + " select g from generate_series(1001, 1300) g");
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject("select count(*) from pg_stat_user_tables "
        + "where schemaname = 'messaging_test' and relname like 'upkeep_%' and n_mod_since_analyze >= 300", Long.class) == 2);
    TableUpkeep upkeep = new TableUpkeep(jdbc, new UpkeepProperties(UpkeepProperties.Mode.ALWAYS, Duration.ofSeconds(15)),
        "messaging_test", new SimpleMeterRegistry());

    // when: a round runs, then (after 1,000 rows more: 1,300 of 2,300 changed, over 50 + 50%) another
    TableUpkeep.Round first = upkeep.runOnce();
    reported("insert into messaging_test.upkeep_grows select g from generate_series(1301, 2300) g");
    await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject("select n_mod_since_analyze from pg_stat_user_tables "
        + "where schemaname = 'messaging_test' and relname = 'upkeep_grows'", Long.class) >= 1300);
    TableUpkeep.Round second = upkeep.runOnce();

    // then: neither table in the first round; the one with its own scale factor in the second, the other never
    assertThat(first.ran()).isTrue();
    assertThat(first.steps()).noneMatch(s -> s.table().table().startsWith("upkeep_"));
    assertThat(second.steps()).filteredOn(s -> s.table().table().startsWith("upkeep_"))
        .singleElement().satisfies(s -> {
          assertThat(s.table().table()).isEqualTo("upkeep_grows");
          assertThat(s.action()).isEqualTo(UpkeepPlan.Action.ANALYZE);
          assertThat(s.table().thresholds().analyzeScale()).isEqualTo(0.5);
        });
    jdbc.execute("drop table messaging_test.upkeep_grows, messaging_test.upkeep_kept");
  }

  @Test
  void shouldDoNothingWhenSwitchedOff() {
    TableUpkeep upkeep = new TableUpkeep(jdbc, new UpkeepProperties(UpkeepProperties.Mode.OFF, Duration.ofSeconds(15)),
        "messaging_test", new SimpleMeterRegistry());
    assertThat(upkeep.needed()).isFalse();
    assertThat(upkeep.runOnce().ran()).isFalse();
  }

  @Test
  void shouldStandByInAutoModeExactlyWhenTheServerKeepsItsOwnTables() {
    boolean serverKeeps = jdbc.queryForObject("select setting = 'on' from pg_settings where name = 'autovacuum'", Boolean.class)
        && jdbc.queryForObject("select setting = 'on' from pg_settings where name = 'track_counts'", Boolean.class);
    TableUpkeep upkeep = new TableUpkeep(jdbc, new UpkeepProperties(UpkeepProperties.Mode.AUTO, Duration.ofSeconds(15)),
        "messaging_test", new SimpleMeterRegistry());
    assertThat(upkeep.needed()).isEqualTo(!serverKeeps);
  }

  @Test
  void shouldLeaveTheRoundToTheReplicaThatHoldsTheLock() {
    TableUpkeep upkeep = new TableUpkeep(jdbc, new UpkeepProperties(UpkeepProperties.Mode.ALWAYS, Duration.ofSeconds(15)),
        "messaging_test", new SimpleMeterRegistry());
    long key = io.pathway.messaging.config.AdvisoryLocks.key("table-upkeep", "messaging_test");
    // another session (another replica) holds the round's lock
    jdbc.execute((org.springframework.jdbc.core.ConnectionCallback<Void>) other -> {
      try (var s = other.createStatement()) {
        s.execute("select pg_advisory_lock(" + key + ")");
        try {
          assertThat(upkeep.runOnce().ran()).isFalse();
        } finally {
          s.execute("select pg_advisory_unlock(" + key + ")");
        }
      }
      return null;
    });
    assertThat(upkeep.runOnce().ran()).isTrue();
  }

  /**
   * Runs each statement on one session and hands its counters to the server after each: an idle session of
   * PostgreSQL 15 may otherwise keep them for up to 10 s (PGSTAT_IDLE_INTERVAL), longer than a busy CI machine's
   * wait, and an analysis would then count rows inserted before it as changed after it.
   */
  private void reported(String... statements) {
    jdbc.execute((org.springframework.jdbc.core.ConnectionCallback<Void>) session -> {
      try (var s = session.createStatement()) {
        for (String sql : statements) {
          s.execute(sql);
          if (session.getMetaData().getDatabaseMajorVersion() >= 15) {
            s.execute("select pg_stat_force_next_flush()");
          }
          s.execute("select 1");
        }
      }
      return null;
    });
  }

  private long deadRows() {
    Long n = jdbc.queryForObject("select coalesce(max(n_dead_tup), 0) from pg_stat_user_tables "
        + "where schemaname = 'messaging_test' and relname = 'upkeep_probe'", Long.class);
    return n == null ? 0 : n;
  }
}
