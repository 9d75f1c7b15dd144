package io.pathway.messaging.outbox;

import io.pathway.messaging.config.AdvisoryLocks;
import io.pathway.messaging.config.MessagingProperties;
import io.pathway.model.envelope.EventWriter;
import java.sql.Timestamp;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends outbox rows to Kafka in id order and marks them published once the broker acknowledged them.
 *
 * <ul>
 *   <li>One relay at a time across all replicas: each round holds a transaction-scoped advisory lock
 *       whose key is derived from the schema, so the table's order is the order on the topics.</li>
 *   <li>Stop at the first failure: the rows of a round are sent in order (no row is sent after one the
 *       producer refused at once) and awaited in order; at the first one the broker did not take, the
 *       round ends. Only the rows before it are marked, so a row is never marked published while an
 *       earlier row failed. Rows sent after the failed one are sent again with it in the next round;
 *       on one partition the idempotent producer does not let a later record overtake a failed one,
 *       so per-key order holds (at-least-once: consumers drop a copy by {@code ce_id}).</li>
 *   <li>Urgent topics first ({@code outbox.urgent-topics}: the referrals and alerts of pathway-service): each round
 *       sends their unpublished rows, in id order, before the others, and marks them. Order on each topic, and so
 *       per key, is still the table's: an urgent topic's rows all go in the first pass, in id order, and only rows
 *       written after it are left to the second. A routine backlog or a routine row the broker refuses no longer
 *       holds back an emergency referral; when an urgent row fails, the round ends there. The other rows then go
 *       {@value #URGENT_CHECK_EVERY} at a time, with the urgent topics looked at again before each part, so that a
 *       referral committed during a round waits for one part of it, not for all of its rows.</li>
 *   <li>Published rows keep their {@code published_at} and are deleted later by the retention purge.</li>
 *   <li>Woken after each commit that wrote outbox rows, and polls every {@code poll-interval} as a
 *       fallback (another replica's commit, a round that stopped at a failure).</li>
 * </ul>
 */
public class OutboxRelay implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

  /** Rows of other topics sent between two looks at the urgent topics, when there are urgent topics. */
  static final int URGENT_CHECK_EVERY = 50;

  private final JdbcTemplate jdbc;
  private final TransactionTemplate tx;
  private final KafkaTemplate<String, byte[]> kafka;
  private final EventWriter codec;
  private final MessagingProperties properties;
  private final OutboxSignal signal;
  private final long lockKey;
  private final String select;
  private final String markPublished;
  private final String selectUrgent;
  private volatile Thread worker;
  private volatile boolean running;

  private record Row(long id, String topic, String key, String ceId, String type, String subject, Timestamp time, byte[] payload) {}

  public OutboxRelay(JdbcTemplate jdbc, TransactionTemplate tx, KafkaTemplate<String, byte[]> kafka, EventWriter codec,
      MessagingProperties properties, OutboxSignal signal) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.kafka = kafka;
    this.codec = codec;
    this.properties = properties;
    this.signal = signal;
    this.lockKey = AdvisoryLocks.key("outbox-relay", properties.schema());
    String outbox = properties.table("outbox");
    this.select = "select id, topic, record_key, ce_id, ce_type, ce_subject, ce_time, payload from " + outbox
        + " where published_at is null order by id limit ?";
    this.markPublished = "update " + outbox + " set published_at = now() where id = ?";
    List<String> urgent = properties.outbox().urgentTopics(); // contract topic names (MessagingProperties checks them)
    this.selectUrgent = urgent.isEmpty() ? null : "select id, topic, record_key, ce_id, ce_type, ce_subject, ce_time, payload from "
        + outbox + " where published_at is null and topic in ('" + String.join("', '", urgent) + "') order by id limit ?";
  }

  private List<Row> rows(String sql, int limit) {
    return jdbc.query(sql, (rs, i) -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
        rs.getString(5), rs.getString(6), rs.getTimestamp(7), rs.getBytes(8)), limit);
  }

  private void mark(List<Long> done) {
    if (!done.isEmpty()) {
      jdbc.batchUpdate(markPublished, done, done.size(), (ps, id) -> ps.setLong(1, id));
    }
  }

  /** One round: publishes up to a batch; returns how many rows were marked published. */
  public int relayOnce() {
    Integer published = tx.execute(status -> {
      if (!Boolean.TRUE.equals(jdbc.queryForObject("select pg_try_advisory_xact_lock(?)", Boolean.class, lockKey))) {
        return 0;
      }
      int batch = properties.outbox().batchSize();
      int part = selectUrgent == null ? batch : Math.min(batch, URGENT_CHECK_EVERY);
      int sent = 0;
      int others = 0;
      while (true) {
        if (selectUrgent != null) {
          List<Row> urgent = rows(selectUrgent, batch);
          List<Long> done = urgent.isEmpty() ? List.of() : sendInOrder(urgent);
          mark(done); // before the other rows are read: they must not be sent again
          sent += done.size();
          if (done.size() < urgent.size()) {
            return sent; // an urgent row failed: the rest waits for the next round
          }
        }
        List<Row> rows = rows(select, part);
        List<Long> done = rows.isEmpty() ? List.of() : sendInOrder(rows);
        mark(done);
        sent += done.size();
        others += rows.size();
        if (done.size() < rows.size() || rows.size() < part || others >= batch) {
          return sent; // a row failed, none are left, or the round has sent its batch
        }
      }
    });
    return published == null ? 0 : published;
  }

  /** The ids of the leading rows the broker acknowledged, up to (not including) the first that failed. */
  private List<Long> sendInOrder(List<Row> rows) {
    List<CompletableFuture<?>> sends = new ArrayList<>(rows.size());
    for (Row r : rows) {
      ProducerRecord<String, byte[]> record = codec.toRecord(r.topic(), r.key(), r.ceId(), r.type(), properties.sourceUri(),
          r.subject(), r.time().toInstant().atOffset(ZoneOffset.UTC), r.payload());
      try {
        CompletableFuture<?> send = kafka.send(record);
        sends.add(send);
        if (send.isCompletedExceptionally()) {
          break; // refused at once (too large, not serializable): later rows must not overtake it
        }
      } catch (RuntimeException refused) {
        // the producer did not take the record (no metadata: Kafka unreachable); later rows are not sent
        log.warn("Outbox row {} ({}) not sent, {} rows wait: {}", r.id(), r.type(), rows.size() - sends.size(),
            refused.getClass().getSimpleName());
        break;
      }
    }
    List<Long> done = new ArrayList<>(sends.size());
    long timeout = properties.outbox().sendTimeout().toMillis();
    for (int i = 0; i < sends.size(); i++) {
      try {
        sends.get(i).get(timeout, TimeUnit.MILLISECONDS);
        done.add(rows.get(i).id());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (Exception e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        log.warn("Outbox row {} ({}) not acknowledged, it and the {} rows after it wait: {}", rows.get(i).id(),
            rows.get(i).type(), rows.size() - i - 1, cause.getClass().getSimpleName());
        break;
      }
    }
    return done;
  }

  private void loop() {
    while (running) {
      try {
        int n = relayOnce();
        if (n < properties.outbox().batchSize()) {
          signal.await(properties.outbox().pollInterval());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.warn("Outbox relay round failed, retrying: {}", e.getClass().getSimpleName());
        try {
          Thread.sleep(Math.max(1000, properties.outbox().pollInterval().toMillis()));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  @Override
  public void start() {
    running = true;
    Thread t = new Thread(this::loop, "outbox-relay");
    t.setDaemon(true);
    worker = t;
    t.start();
  }

  @Override
  public void stop() {
    running = false;
    Thread t = worker;
    if (t != null) {
      signal.wake();
      try {
        t.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
