package io.pathway.messaging.upkeep;

import java.util.ArrayList;
import java.util.List;

/**
 * What one upkeep round does to which table, decided from the table's counters alone (no database
 * access, so it is tested on its own). The thresholds are autovacuum's defaults: a table is analysed
 * once more than {@code 50 + 10%} of its rows changed since its last analysis (or it was never
 * analysed and has rows), and vacuumed (and analysed) once more than {@code 50 + 20%} of its rows are
 * dead.
 */
public final class UpkeepPlan {

  static final long BASE_THRESHOLD = 50;
  static final double ANALYZE_SCALE = 0.1;
  static final double VACUUM_SCALE = 0.2;

  /** One table's counters, as {@code pg_stat_user_tables} gives them. */
  public record TableStats(String schema, String table, long liveRows, long deadRows, long modifiedSinceAnalyze,
      boolean everAnalyzed) {

    String qualified() {
      return quote(schema) + "." + quote(table);
    }

    private static String quote(String identifier) {
      return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
  }

  /** The statement a round runs for a table: {@code ANALYZE} or {@code VACUUM (ANALYZE)}. */
  public enum Action {
    ANALYZE, VACUUM_ANALYZE;

    String sql(TableStats table) {
      return (this == ANALYZE ? "analyze " : "vacuum (analyze) ") + table.qualified();
    }
  }

  /** A table and what to do to it. */
  public record Step(TableStats table, Action action) {

    public String sql() {
      return action.sql(table);
    }
  }

  private UpkeepPlan() {}

  /** The steps for these tables, most changed first: vacuum where dead rows pile up, analyse where statistics are stale. */
  public static List<Step> decide(List<TableStats> tables) {
    List<Step> steps = new ArrayList<>();
    for (TableStats t : tables) {
      if (t.deadRows() > BASE_THRESHOLD + VACUUM_SCALE * t.liveRows()) {
        steps.add(new Step(t, Action.VACUUM_ANALYZE));
      } else if (t.modifiedSinceAnalyze() > BASE_THRESHOLD + ANALYZE_SCALE * t.liveRows()
          || (!t.everAnalyzed() && t.liveRows() > 0)) {
        steps.add(new Step(t, Action.ANALYZE));
      }
    }
    steps.sort((a, b) -> Long.compare(b.table().deadRows() + b.table().modifiedSinceAnalyze(),
        a.table().deadRows() + a.table().modifiedSinceAnalyze()));
    return steps;
  }
}
