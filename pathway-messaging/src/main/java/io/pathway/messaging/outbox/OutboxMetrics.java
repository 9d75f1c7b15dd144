package io.pathway.messaging.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pathway.messaging.config.MessagingProperties;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code pathway_outbox_pending} (rows not yet published) and {@code pathway_outbox_lag_seconds}
 * (age of the oldest of them), read from the table at each scrape; NaN while the database is away.
 */
public final class OutboxMetrics {

  private OutboxMetrics() {}

  public static void register(MeterRegistry meters, JdbcTemplate jdbc, MessagingProperties properties) {
    String outbox = properties.table("outbox");
    String pending = "select count(*) from " + outbox + " where published_at is null";
    String lag = "select coalesce(extract(epoch from now() - min(created_at)), 0) from " + outbox + " where published_at is null";
    Gauge.builder("pathway_outbox_pending", jdbc, j -> scalar(j, pending))
        .description("Outbox rows not yet published to Kafka").register(meters);
    Gauge.builder("pathway_outbox_lag_seconds", jdbc, j -> scalar(j, lag))
        .description("Age of the oldest unpublished outbox row").register(meters);
  }

  private static double scalar(JdbcTemplate jdbc, String sql) {
    try {
      Number n = jdbc.queryForObject(sql, Number.class);
      return n == null ? 0 : n.doubleValue();
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }
}
