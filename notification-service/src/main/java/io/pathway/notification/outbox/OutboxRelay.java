package io.pathway.notification.outbox;

import io.pathway.model.envelope.EventCodec;
import io.pathway.notification.NotificationProperties;
import java.net.URI;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends the outbox to Kafka in order, with the idempotent producer, and deletes what the broker
 * acknowledged. One relay at a time across replicas (a transaction-scoped advisory lock), so the
 * order of the table is the order on the topics. If Kafka is down the transaction rolls back and
 * the rows wait for the next round: nothing is lost, at worst an event is sent twice (consumers
 * deduplicate by {@code ce_id}).
 */
@Component
class OutboxRelay {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
  /** Advisory lock id of the relay: any constant shared by the replicas. */
  static final long LOCK_ID = 0x6e6f7469666f7574L;
  private static final long SEND_TIMEOUT_SECONDS = 30;

  private final JdbcClient jdbc;
  private final TransactionTemplate tx;
  private final KafkaTemplate<String, byte[]> kafka;
  private final EventCodec codec;
  private final NotificationProperties properties;
  private final long lockId;

  @Autowired
  OutboxRelay(JdbcClient jdbc, TransactionTemplate tx, KafkaTemplate<String, byte[]> kafka, EventCodec codec,
      NotificationProperties properties) {
    this(jdbc, tx, kafka, codec, properties, LOCK_ID);
  }

  /** With another lock id: for tests that run a second relay beside the service's own. */
  OutboxRelay(JdbcClient jdbc, TransactionTemplate tx, KafkaTemplate<String, byte[]> kafka, EventCodec codec,
      NotificationProperties properties, long lockId) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.kafka = kafka;
    this.codec = codec;
    this.properties = properties;
    this.lockId = lockId;
  }

  @Scheduled(fixedDelayString = "${notification.outbox.poll-interval}", initialDelayString = "PT1S")
  void relay() {
    try {
      int sent;
      do {
        sent = relayBatch();
      } while (sent == properties.outbox().batchSize());
    } catch (RuntimeException e) {
      log.warn("Outbox relay could not publish, will retry: {}", e.getClass().getName());
    }
  }

  /** Publishes one batch; returns how many events were published. */
  int relayBatch() {
    Integer sent = tx.execute(status -> {
      Boolean locked = jdbc.sql("select pg_try_advisory_xact_lock(:id)").param("id", lockId).query(Boolean.class).single();
      if (!Boolean.TRUE.equals(locked)) {
        return 0;
      }
      List<Row> rows = jdbc.sql("""
              select id, event_id, topic, record_key, event_type, subject, occurred_at, payload
              from outbox order by id limit :limit""")
          .param("limit", properties.outbox().batchSize())
          .query((rs, i) -> new Row(rs.getLong("id"), rs.getString("event_id"), rs.getString("topic"),
              rs.getString("record_key"), rs.getString("event_type"), rs.getString("subject"),
              rs.getTimestamp("occurred_at").toInstant().atOffset(ZoneOffset.UTC), rs.getBytes("payload")))
          .list();
      if (rows.isEmpty()) {
        return 0;
      }
      URI source = properties.sourceUri();
      List<CompletableFuture<SendResult<String, byte[]>>> futures = new ArrayList<>(rows.size());
      for (Row row : rows) {
        ProducerRecord<String, byte[]> record = codec.toRecord(row.topic(), row.key(), row.eventId(), row.type(), source,
            row.subject(), row.time(), row.payload());
        futures.add(kafka.send(record));
      }
      for (CompletableFuture<SendResult<String, byte[]>> f : futures) {
        await(f);
      }
      jdbc.sql("delete from outbox where id in (:ids)").param("ids", rows.stream().map(Row::id).toList()).update();
      log.debug("Outbox relayed {} events", rows.size());
      return rows.size();
    });
    return sent == null ? 0 : sent;
  }

  private static void await(CompletableFuture<SendResult<String, byte[]>> f) {
    try {
      f.get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while publishing the outbox", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Kafka did not acknowledge an outbox event", e);
    }
  }

  private record Row(long id, String eventId, String topic, String key, String type, String subject,
      OffsetDateTime time, byte[] payload) {}
}
