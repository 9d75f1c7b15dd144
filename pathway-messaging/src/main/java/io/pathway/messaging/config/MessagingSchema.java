package io.pathway.messaging.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Checks at start, after the service's migrations ran, that its {@code outbox} and
 * {@code processed_event} tables have the shape this module reads and writes (README: "Tables"). A
 * service whose migrations lag behind stops at start with the missing columns named, rather than
 * failing on the first event.
 */
public class MessagingSchema implements SmartInitializingSingleton {

  static final Map<String, Set<String>> COLUMNS = Map.of(
      "outbox", Set.of("id", "topic", "record_key", "ce_id", "ce_type", "ce_subject", "ce_time", "payload", "created_at",
          "published_at"),
      "processed_event", Set.of("ce_id", "ce_type", "topic", "outcome", "outcome_ref", "processed_at"));

  private final JdbcTemplate jdbc;
  private final String schema;

  public MessagingSchema(JdbcTemplate jdbc, MessagingProperties properties) {
    this.jdbc = jdbc;
    this.schema = properties.schema();
  }

  @Override
  public void afterSingletonsInstantiated() {
    List<String> missing = new ArrayList<>();
    COLUMNS.forEach((table, columns) -> {
      List<String> present = jdbc.queryForList(
          "select column_name from information_schema.columns where table_schema = ? and table_name = ?", String.class, schema, table);
      columns.stream().filter(c -> !present.contains(c)).sorted().forEach(c -> missing.add(schema + "." + table + "." + c));
    });
    if (!missing.isEmpty()) {
      throw new IllegalStateException("The messaging tables lack columns (a migration to the shared shape is missing): " + missing);
    }
  }
}
