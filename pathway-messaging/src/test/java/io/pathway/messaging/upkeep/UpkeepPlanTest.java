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

  private static TableStats stats(String table, long live, long dead, long modified, boolean analysed) {
    return new TableStats("public", table, live, dead, modified, analysed);
  }
}
