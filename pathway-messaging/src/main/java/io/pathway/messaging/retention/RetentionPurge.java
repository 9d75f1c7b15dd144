package io.pathway.messaging.retention;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pathway.messaging.config.MessagingProperties;
import io.pathway.messaging.config.PeriodicWork;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deletes published outbox rows and processed events older than their retention, every
 * {@code purge-interval}. Safe with many replicas: each statement deletes at most {@code purge-batch}
 * rows, chosen with {@code FOR UPDATE SKIP LOCKED}, in its own short transaction, so two replicas
 * purging at once delete different rows and neither blocks the relay or a consumer. Unpublished
 * outbox rows are never deleted, whatever their age.
 */
public class RetentionPurge extends PeriodicWork {

  private static final Logger log = LoggerFactory.getLogger(RetentionPurge.class);

  private final JdbcTemplate jdbc;
  private final TransactionTemplate tx;
  private final MessagingProperties.Retention settings;
  private final Clock clock;
  private final String purgeOutbox;
  private final String purgeProcessed;
  private final Counter outboxPurged;
  private final Counter processedPurged;

  /** What one purge deleted. */
  public record Purged(long outboxRows, long processedEvents) {}

  public RetentionPurge(JdbcTemplate jdbc, TransactionTemplate tx, MessagingProperties properties, MeterRegistry meters,
      Clock clock) {
    super("retention-purge");
    this.jdbc = jdbc;
    this.tx = tx;
    this.settings = properties.retention();
    this.clock = clock;
    String outbox = properties.table("outbox");
    String processed = properties.table("processed_event");
    this.purgeOutbox = "delete from " + outbox + " where id in (select id from " + outbox
        + " where published_at is not null and published_at < ? order by id limit ? for update skip locked)";
    this.purgeProcessed = "delete from " + processed + " where ce_id in (select ce_id from " + processed
        + " where processed_at < ? limit ? for update skip locked)";
    this.outboxPurged = Counter.builder("pathway_retention_purged_rows_total").tag("table", "outbox")
        .description("Rows deleted by the retention purge").register(meters);
    this.processedPurged = Counter.builder("pathway_retention_purged_rows_total").tag("table", "processed_event")
        .description("Rows deleted by the retention purge").register(meters);
  }

  /** Runs one purge to the end: batch after batch until a batch comes back short. */
  public Purged purgeOnce() {
    Timestamp outboxBefore = Timestamp.from(clock.instant().minus(settings.publishedOutbox()));
    Timestamp processedBefore = Timestamp.from(clock.instant().minus(settings.processedEvents()));
    long outbox = drain(purgeOutbox, outboxBefore);
    long processed = drain(purgeProcessed, processedBefore);
    outboxPurged.increment(outbox);
    processedPurged.increment(processed);
    if (outbox + processed > 0) {
      log.info("Retention purge deleted {} published outbox rows and {} processed events", outbox, processed);
    }
    return new Purged(outbox, processed);
  }

  private long drain(String sql, Timestamp before) {
    long total = 0;
    int n;
    do {
      Integer deleted = tx.execute(status -> jdbc.update(sql, before, settings.purgeBatch()));
      n = deleted == null ? 0 : deleted;
      total += n;
    } while (n >= settings.purgeBatch() && isRunningOrManual());
    return total;
  }

  private boolean isRunningOrManual() {
    return !Thread.currentThread().isInterrupted();
  }

  @Override
  protected void round() {
    purgeOnce();
  }

  @Override
  protected Duration interval() {
    return settings.purgeInterval();
  }

  @Override
  protected Duration firstDelay() {
    Duration every = settings.purgeInterval();
    return every.compareTo(Duration.ofMinutes(1)) < 0 ? every : Duration.ofMinutes(1);
  }
}
