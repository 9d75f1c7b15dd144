package io.pathway.messaging.upkeep;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one upkeep round does to which table, decided from the table's counters alone (no database
 * access, so it is tested on its own). The thresholds are autovacuum's, as the server and the table
 * set them: a table is analysed once more than {@code analyze_threshold + analyze_scale_factor} of its
 * rows changed since its last analysis (by default {@code 50 + 10%}; or it was never analysed and has
 * rows), and vacuumed (and analysed) once more than {@code vacuum_threshold + vacuum_scale_factor} of
 * its rows are dead (by default {@code 50 + 20%}). A table's own storage parameters
 * ({@code alter table ... set (autovacuum_analyze_scale_factor = 0.5)}) override the server's settings,
 * and a table with {@code autovacuum_enabled = false} is left alone, as autovacuum would.
 */
public final class UpkeepPlan {

  /**
   * Autovacuum's thresholds for one table.
   *
   * @param enabled false for a table whose {@code autovacuum_enabled} storage parameter is off
   * @param vacuumBase {@code autovacuum_vacuum_threshold}
   * @param vacuumScale {@code autovacuum_vacuum_scale_factor}
   * @param analyzeBase {@code autovacuum_analyze_threshold}
   * @param analyzeScale {@code autovacuum_analyze_scale_factor}
   */
  public record Thresholds(boolean enabled, long vacuumBase, double vacuumScale, long analyzeBase, double analyzeScale) {

    /** PostgreSQL's defaults. */
    public static final Thresholds DEFAULTS = new Thresholds(true, 50, 0.2, 50, 0.1);

    /**
     * These thresholds with a table's storage parameters applied, as {@code pg_class.reloptions} lists them
     * ({@code autovacuum_analyze_scale_factor=0.5}); parameters of other kinds are ignored, and so is a value
     * that does not parse (the server would not have stored it).
     */
    public Thresholds with(List<String> reloptions) {
      Thresholds t = this;
      for (String option : reloptions == null ? List.<String>of() : reloptions) {
        int eq = option.indexOf('=');
        if (eq < 0) {
          continue;
        }
        String name = option.substring(0, eq).trim().toLowerCase(Locale.ROOT);
        String value = option.substring(eq + 1).trim();
        try {
          t = switch (name) {
            case "autovacuum_enabled" -> new Thresholds(isOn(value), t.vacuumBase, t.vacuumScale, t.analyzeBase, t.analyzeScale);
            case "autovacuum_vacuum_threshold" -> new Thresholds(t.enabled, Long.parseLong(value), t.vacuumScale, t.analyzeBase, t.analyzeScale);
            case "autovacuum_vacuum_scale_factor" -> new Thresholds(t.enabled, t.vacuumBase, Double.parseDouble(value), t.analyzeBase, t.analyzeScale);
            case "autovacuum_analyze_threshold" -> new Thresholds(t.enabled, t.vacuumBase, t.vacuumScale, Long.parseLong(value), t.analyzeScale);
            case "autovacuum_analyze_scale_factor" -> new Thresholds(t.enabled, t.vacuumBase, t.vacuumScale, t.analyzeBase, Double.parseDouble(value));
            default -> t;
          };
        } catch (NumberFormatException notANumber) {
          // keep the threshold as it was
        }
      }
      return t;
    }

    /** PostgreSQL's spellings of a boolean parameter that is on (anything else it accepts is off). */
    private static boolean isOn(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "on", "true", "yes", "1", "t", "y" -> true;
        default -> false;
      };
    }
  }

  /** One table's counters, as {@code pg_stat_user_tables} gives them, and the thresholds that apply to it. */
  public record TableStats(String schema, String table, long liveRows, long deadRows, long modifiedSinceAnalyze,
      boolean everAnalyzed, Thresholds thresholds) {

    /** A table under PostgreSQL's default thresholds. */
    public TableStats(String schema, String table, long liveRows, long deadRows, long modifiedSinceAnalyze,
        boolean everAnalyzed) {
      this(schema, table, liveRows, deadRows, modifiedSinceAnalyze, everAnalyzed, Thresholds.DEFAULTS);
    }

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
      Thresholds at = t.thresholds();
      if (!at.enabled()) {
        continue;
      }
      if (t.deadRows() > at.vacuumBase() + at.vacuumScale() * t.liveRows()) {
        steps.add(new Step(t, Action.VACUUM_ANALYZE));
      } else if (t.modifiedSinceAnalyze() > at.analyzeBase() + at.analyzeScale() * t.liveRows()
          || (!t.everAnalyzed() && t.liveRows() > 0)) {
        steps.add(new Step(t, Action.ANALYZE));
      }
    }
    steps.sort((a, b) -> Long.compare(b.table().deadRows() + b.table().modifiedSinceAnalyze(),
        a.table().deadRows() + a.table().modifiedSinceAnalyze()));
    return steps;
  }
}
