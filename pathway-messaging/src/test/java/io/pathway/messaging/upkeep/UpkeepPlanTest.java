package io.pathway.messaging.upkeep;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathway.messaging.upkeep.UpkeepPlan.Action;
import io.pathway.messaging.upkeep.UpkeepPlan.TableStats;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Autovacuum's thresholds, table by table: vacuum where dead rows pile up, analyse where statistics are stale or missing. */
class UpkeepPlanTest {

  @Test
  void shouldVacuumATableWhoseDeadRowsPassFiftyPlusAFifthOfItsRows() {
    // 1,000 live rows: the threshold is 250 dead rows
    assertThat(UpkeepPlan.decide(List.of(stats("act_ru_job", 1000, 251, 0, true))))
        .singleElement().satisfies(s -> {
          assertThat(s.action()).isEqualTo(Action.VACUUM_ANALYZE);
          assertThat(s.sql()).isEqualTo("vacuum (analyze) \"public\".\"act_ru_job\"");
        });
    assertThat(UpkeepPlan.decide(List.of(stats("act_ru_job", 1000, 250, 0, true)))).isEmpty();
  }

  @Test
  void shouldAnalyseATableWhoseChangesSinceItsLastAnalysisPassFiftyPlusATenthOfItsRows() {
    // 1,000 live rows: the threshold is 150 changed rows
    assertThat(UpkeepPlan.decide(List.of(stats("act_ru_variable", 1000, 0, 151, true))))
        .singleElement().satisfies(s -> assertThat(s.action()).isEqualTo(Action.ANALYZE));
    assertThat(UpkeepPlan.decide(List.of(stats("act_ru_variable", 1000, 0, 150, true)))).isEmpty();
  }

  @Test
  void shouldAnalyseATableThatWasNeverAnalysedOnceItHoldsARow() {
    // the case that made the planner read a whole index at every variable load: rows, no statistics
    assertThat(UpkeepPlan.decide(List.of(stats("act_ru_execution", 1, 0, 1, false))))
        .singleElement().satisfies(s -> assertThat(s.action()).isEqualTo(Action.ANALYZE));
    assertThat(UpkeepPlan.decide(List.of(stats("act_ru_execution", 0, 0, 0, false)))).isEmpty();
  }

  @Test
  void shouldTakeTheMostChangedTableFirstAndQuoteNames() {
    List<UpkeepPlan.Step> steps = UpkeepPlan.decide(List.of(stats("small", 0, 60, 0, true),
        new TableStats("pathway", "odd\"name", 100, 0, 5000, true), stats("big", 100, 900, 900, true)));
    assertThat(steps).extracting(UpkeepPlan.Step::sql).containsExactly(
        "analyze \"pathway\".\"odd\"\"name\"", "vacuum (analyze) \"public\".\"big\"", "vacuum (analyze) \"public\".\"small\"");
  }

  @Test
  void shouldAnalyseATableWithItsOwnScaleFactorOnlyOnceThatShareOfItsRowsChanged() {
    // the engine's history tables: 100,000 rows, analysed again once half of them changed, not a tenth
    UpkeepPlan.Thresholds halved = UpkeepPlan.Thresholds.DEFAULTS.with(List.of("fillfactor=90", "autovacuum_analyze_scale_factor=0.5"));
    assertThat(UpkeepPlan.decide(List.of(new TableStats("public", "act_hi_detail", 100_000, 0, 30_000, true, halved)))).isEmpty();
    assertThat(UpkeepPlan.decide(List.of(new TableStats("public", "act_hi_detail", 100_000, 0, 50_051, true, halved))))
        .singleElement().satisfies(s -> assertThat(s.action()).isEqualTo(Action.ANALYZE));
    // the same table without the parameter: analysed at a tenth
    assertThat(UpkeepPlan.decide(List.of(stats("act_hi_detail", 100_000, 0, 30_000, true))))
        .singleElement().satisfies(s -> assertThat(s.action()).isEqualTo(Action.ANALYZE));
  }

  @Test
  void shouldStillAnalyseATableWithItsOwnScaleFactorThatWasNeverAnalysed() {
    UpkeepPlan.Thresholds halved = UpkeepPlan.Thresholds.DEFAULTS.with(List.of("autovacuum_analyze_scale_factor=0.5"));
    assertThat(UpkeepPlan.decide(List.of(new TableStats("public", "act_hi_detail", 10, 0, 10, false, halved))))
        .singleElement().satisfies(s -> assertThat(s.action()).isEqualTo(Action.ANALYZE));
  }

  @Test
  void shouldTakeEveryThresholdFromTheServerAndTheTable() {
    UpkeepPlan.Thresholds server = new UpkeepPlan.Thresholds(true, 1000, 0.05, 500, 0.02);
    // the server's own settings: 1,000 + 5% of 10,000 = 1,500 dead rows; 500 + 2% = 700 changed rows
    assertThat(UpkeepPlan.decide(List.of(new TableStats("public", "t", 10_000, 1_500, 700, true, server)))).isEmpty();
    assertThat(UpkeepPlan.decide(List.of(new TableStats("public", "t", 10_000, 1_501, 0, true, server))))
        .singleElement().satisfies(s -> assertThat(s.action()).isEqualTo(Action.VACUUM_ANALYZE));
    assertThat(UpkeepPlan.decide(List.of(new TableStats("public", "t", 10_000, 0, 701, true, server))))
        .singleElement().satisfies(s -> assertThat(s.action()).isEqualTo(Action.ANALYZE));
    // the table's parameters override them, one by one
    UpkeepPlan.Thresholds table = server.with(List.of("autovacuum_vacuum_threshold=0", "autovacuum_vacuum_scale_factor=0.01",
        "autovacuum_analyze_threshold=10"));
    assertThat(table).isEqualTo(new UpkeepPlan.Thresholds(true, 0, 0.01, 10, 0.02));
    assertThat(UpkeepPlan.decide(List.of(new TableStats("public", "t", 10_000, 101, 0, true, table))))
        .singleElement().satisfies(s -> assertThat(s.action()).isEqualTo(Action.VACUUM_ANALYZE));
  }

  @Test
  void shouldLeaveATableWhoseAutovacuumIsSwitchedOffAlone() {
    for (String off : List.of("autovacuum_enabled=false", "autovacuum_enabled=off", "autovacuum_enabled=0")) {
      UpkeepPlan.Thresholds t = UpkeepPlan.Thresholds.DEFAULTS.with(List.of(off));
      assertThat(UpkeepPlan.decide(List.of(new TableStats("public", "archive", 1000, 900, 900, false, t)))).as(off).isEmpty();
    }
    UpkeepPlan.Thresholds on = UpkeepPlan.Thresholds.DEFAULTS.with(List.of("autovacuum_enabled=true"));
    assertThat(UpkeepPlan.decide(List.of(new TableStats("public", "archive", 1000, 900, 900, false, on)))).hasSize(1);
  }

  @Test
  void shouldKeepAThresholdWhoseParameterDoesNotParse() {
    assertThat(UpkeepPlan.Thresholds.DEFAULTS.with(List.of("autovacuum_analyze_scale_factor=lots", "no-equals-sign")))
        .isEqualTo(UpkeepPlan.Thresholds.DEFAULTS);
  }

  private static TableStats stats(String table, long live, long dead, long modified, boolean analysed) {
    return new TableStats("public", table, live, dead, modified, analysed);
  }
}
