package io.pathway.service.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathway.service.PathwayServiceTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The engine's history tables are analysed again once half their rows changed, not a tenth (the setting's default),
 * the runtime tables keep the server's thresholds, and a value a database administrator set on a table is kept.
 */
@PathwayServiceTest
class HistoryTableStatisticsTest {

  @Autowired
  HistoryTableStatistics statistics;
  @Autowired
  JdbcTemplate jdbc;

  @Test
  void shouldHaveSetTheScaleFactorOfEveryHistoryTableAtStartAndNoneOfTheRuntimeTables() {
    List<String> history = jdbc.queryForList("select relname from pg_class where relkind = 'r' and relname like 'act\\_hi\\_%' "
        + "and relnamespace = 'public'::regnamespace", String.class);
    assertThat(history).contains("act_hi_detail", "act_hi_varinst", "act_hi_actinst", "act_hi_procinst", "act_hi_job_log");
    assertThat(history).allSatisfy(table -> assertThat(options(table)).as(table).contains("autovacuum_analyze_scale_factor=0.5"));
    assertThat(options("act_ru_variable")).doesNotContain("autovacuum_analyze_scale_factor=0.5");
    assertThat(options("act_ru_job")).doesNotContain("autovacuum_analyze_scale_factor=0.5");
    // a later start changes nothing
    assertThat(statistics.apply()).isEmpty();
  }

  @Test
  void shouldSetItOnAHistoryTableThatLostItAndKeepAValueSetByHand() {
    jdbc.execute("alter table act_hi_comment reset (autovacuum_analyze_scale_factor)");
    jdbc.execute("alter table act_hi_op_log set (autovacuum_analyze_scale_factor = 0.2)");
    try {
      assertThat(statistics.apply()).containsExactly("public.act_hi_comment");
      assertThat(options("act_hi_comment")).contains("autovacuum_analyze_scale_factor=0.5");
      assertThat(options("act_hi_op_log")).contains("autovacuum_analyze_scale_factor=0.2")
          .doesNotContain("autovacuum_analyze_scale_factor=0.5");
    } finally {
      jdbc.execute("alter table act_hi_op_log set (autovacuum_analyze_scale_factor = 0.5)");
    }
  }

  private List<String> options(String table) {
    List<String> options = jdbc.queryForList("select unnest(coalesce(reloptions, '{}')) from pg_class "
        + "where relname = ? and relnamespace = 'public'::regnamespace", String.class, table);
    return options;
  }
}
