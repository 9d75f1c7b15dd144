package io.pathway.messaging.config;

import io.pathway.model.Topics;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the messaging module, {@code pathway.messaging.*}. Durations are ISO-8601
 * ({@code PT0.5S}, {@code P7D}). The service's database schema and its {@code ce_source} have no
 * default: each service names its own.
 *
 * @param schema the PostgreSQL schema that holds this service's {@code outbox} and {@code processed_event}
 * @param sourceUri {@code ce_source} of the events this service publishes
 */
@ConfigurationProperties("pathway.messaging")
public record MessagingProperties(
    String schema,
    URI sourceUri,
    @DefaultValue Outbox outbox,
    @DefaultValue DeadLetter deadLetter,
    @DefaultValue TopicSettings topics,
    @DefaultValue Retention retention) {

  private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  public MessagingProperties {
    if (schema == null || !SCHEMA.matcher(schema).matches()) {
      throw new IllegalStateException("pathway.messaging.schema must name the service's schema (lower case), not '" + schema + "'");
    }
    if (sourceUri == null) {
      throw new IllegalStateException("pathway.messaging.source-uri must be set (the ce_source of this service's events)");
    }
    if (retention != null && retention.processedEvents().compareTo(retention.duplicateWindow()) < 0) {
      throw new IllegalStateException("pathway.messaging.retention.processed-events (" + retention.processedEvents()
          + ") must be at least pathway.messaging.retention.duplicate-window (" + retention.duplicateWindow()
          + "): a duplicate that arrives after its processed_event row is gone would be applied twice");
    }
    if (topics != null) {
      for (String t : topics.declare()) {
        if (!Topics.all().contains(t)) {
          throw new IllegalStateException("pathway.messaging.topics.declare: " + t + " is not a topic of the contract");
        }
      }
    }
  }

  /** The table name qualified with the service's schema. */
  public String table(String name) {
    return schema + "." + name;
  }

  /**
   * @param batchSize rows read and sent per relay round
   * @param pollInterval the longest the relay sleeps when nobody woke it (a commit with outbox rows wakes it at once)
   * @param sendTimeout how long the relay waits for the broker's acknowledgement of one row
   * @param urgentTopics topics whose rows each round sends first, ahead of earlier rows of other topics (in id order
   *     among themselves, so one key's order on its topic holds): a referral or an alert then waits neither for a
   *     backlog of routine rows nor behind a routine row the broker refuses
   */
  public record Outbox(
      @DefaultValue("500") int batchSize,
      @DefaultValue("PT0.5S") Duration pollInterval,
      @DefaultValue("PT30S") Duration sendTimeout,
      @DefaultValue List<String> urgentTopics) {

    public Outbox {
      urgentTopics = urgentTopics == null ? List.of() : List.copyOf(urgentTopics);
      for (String t : urgentTopics) {
        if (!Topics.all().contains(t)) {
          throw new IllegalStateException("pathway.messaging.outbox.urgent-topics: " + t + " is not a topic of the contract");
        }
      }
    }
  }

  /**
   * Retries before a record goes to its DLT. An ordinary failure (deadlock, query timeout, optimistic
   * locking, a bug) is retried {@code retries} times, waiting {@code initialInterval} doubled each time
   * up to {@code maxInterval}. While the database cannot be reached the record is retried with
   * {@code downInterval} doubled up to {@code downMaxInterval}, without limit.
   */
  public record DeadLetter(
      @DefaultValue("6") int retries,
      @DefaultValue("PT0.2S") Duration initialInterval,
      @DefaultValue("PT5S") Duration maxInterval,
      @DefaultValue("PT0.5S") Duration downInterval,
      @DefaultValue("PT30S") Duration downMaxInterval) {}

  /**
   * Topics the service declares at start ({@code create}; off where the operators own the topics).
   * Each topic in {@code declare} is created, and its {@code .DLT} when the contract gives it one.
   */
  public record TopicSettings(
      @DefaultValue("true") boolean create,
      @DefaultValue("12") int partitions,
      @DefaultValue("1") short replication,
      @DefaultValue List<String> declare) {}

  /**
   * How long rows are kept, and how often the purge runs.
   *
   * @param publishedOutbox a published outbox row is deleted this long after it was published
   * @param processedEvents a processed_event row is deleted this long after its event was received
   * @param duplicateWindow the longest a copy of an event can still arrive after the first one: the
   *     retention of the consumed topics (a consumer group reset to the earliest offset reads that far
   *     back) plus the senders' resend window. processed-events must not be shorter.
   * @param purgeInterval time between two purge rounds
   * @param purgeBatch rows deleted per statement (each its own short transaction)
   */
  public record Retention(
      @DefaultValue("P7D") Duration publishedOutbox,
      @DefaultValue("P30D") Duration processedEvents,
      @DefaultValue("P7D") Duration duplicateWindow,
      @DefaultValue("PT1H") Duration purgeInterval,
      @DefaultValue("5000") int purgeBatch) {}
}
