package io.pathway.service.engine;

import java.util.Locale;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;

/**
 * Where the engine's tables are, as its {@code databaseTablePrefix} says: a schema ({@code "pathway_engine."}, null for
 * the connection's search path) and a prefix of the table names after it, both as PostgreSQL's catalogue spells them.
 */
record EngineTablePrefix(String schema, String tablePrefix) {

  /**
   * The catalogue condition on a schema-name column ({@code nspname}) that matches the engine's schema: two parameters,
   * both {@link #schema()}.
   */
  static final String SCHEMA_CONDITION = "(%1$s::text = ?::text or (?::text is null and %1$s = any (current_schemas(false))))";

  static EngineTablePrefix of(ProcessEngineConfigurationImpl configuration) {
    String prefix = configuration.getDatabaseTablePrefix() == null ? "" : configuration.getDatabaseTablePrefix();
    int dot = prefix.lastIndexOf('.');
    return new EngineTablePrefix(dot < 0 ? null : prefix.substring(0, dot).toLowerCase(Locale.ROOT),
        prefix.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  /** {@link #SCHEMA_CONDITION} on the given column. */
  static String schemaCondition(String column) {
    return String.format(SCHEMA_CONDITION, column);
  }

  /** A {@code like} pattern of the engine's tables whose names (after the prefix) begin with {@code start}. */
  String like(String start) {
    return escapeLike(tablePrefix) + escapeLike(start) + "%";
  }

  /** A regular expression ({@code ~}) of the engine's tables whose names (after the prefix) match {@code start}. */
  String regex(String start) {
    return "^" + tablePrefix.replaceAll("[^a-z0-9_]", "\\\\$0") + start;
  }

  private static String escapeLike(String s) {
    return s.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%");
  }
}
