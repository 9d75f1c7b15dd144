package io.pathway.service.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pathway.model.envelope.EventCodec;
import io.pathway.service.config.PathwayProperties;
import java.net.URI;
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
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Relays outbox rows to Kafka in id order: one relay at a time across all replicas (a PostgreSQL
 * advisory lock), an idempotent producer, rows marked published only after the broker acknowledged
 * them. At-least-once: consumers drop repeats by {@code ce_id}. When Kafka is down the rows wait and
 * the engine carries on.
 */
@Component
class OutboxRelay implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
  private static final long RELAY_LOCK = 0x7061_7468_0001L;

  private final JdbcTemplate jdbc;
  private final TransactionTemplate tx;
  private final KafkaTemplate<String, byte[]> kafka;
  private final EventCodec codec;
  private final OutboxSignal signal;
  private final PathwayProperties.OutboxSettings settings;
  private final URI source;
  private volatile Thread worker;
  private volatile boolean running;

  private record Row(long id, String topic, String key, String ceId, String type, String subject, Timestamp time, byte[] payload) {}

  OutboxRelay(JdbcTemplate jdbc, TransactionTemplate tx, KafkaTemplate<String, byte[]> kafka, EventCodec codec,
      OutboxSignal signal, PathwayProperties properties, MeterRegistry meters) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.kafka = kafka;
    this.codec = codec;
    this.signal = signal;
    this.settings = properties.outbox();
    this.source = properties.serviceUri();
    Gauge.builder("pathway_outbox_pending", this, r -> r.count("select count(*) from pathway.outbox where published_at is null"))
        .description("Outbox rows not yet published to Kafka").register(meters);
    Gauge.builder("pathway_outbox_lag_seconds", this,
            r -> r.count("select coalesce(extract(epoch from now() - min(created_at)), 0) from pathway.outbox where published_at is null"))
        .description("Age of the oldest unpublished outbox row").register(meters);
  }

  private double count(String sql) {
    try {
      Number n = jdbc.queryForObject(sql, Number.class);
      return n == null ? 0 : n.doubleValue();
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }

  /** Publishes one batch; returns how many rows were published. */
  int relayOnce() {
    Integer published = tx.execute(status -> {
      Boolean locked = jdbc.queryForObject("select pg_try_advisory_xact_lock(?)", Boolean.class, RELAY_LOCK);
      if (!Boolean.TRUE.equals(locked)) {
        return 0;
      }
      List<Row> rows = jdbc.query(
          "select id, topic, record_key, ce_id, ce_type, ce_subject, ce_time, payload from pathway.outbox "
              + "where published_at is null order by id limit ?",
          (rs, i) -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
              rs.getString(6), rs.getTimestamp(7), rs.getBytes(8)),
          settings.batchSize());
      if (rows.isEmpty()) {
        return 0;
      }
      List<CompletableFuture<?>> sends = new ArrayList<>(rows.size());
      for (Row r : rows) {
        ProducerRecord<String, byte[]> record = codec.toRecord(r.topic(), r.key(), r.ceId(), r.type(), source, r.subject(),
            r.time().toInstant().atOffset(ZoneOffset.UTC), r.payload());
        try {
          sends.add(kafka.send(record));
        } catch (RuntimeException unreachable) {
          // the producer could not even take the record (no metadata: Kafka unreachable): stop here, keep the order
          log.warn("Kafka not reachable; {} outbox rows wait: {}", rows.size() - sends.size(), unreachable.getClass().getSimpleName());
          break;
        }
      }
      List<Long> done = new ArrayList<>(rows.size());
      for (int i = 0; i < sends.size(); i++) {
        try {
          sends.get(i).get(60, TimeUnit.SECONDS);
          done.add(rows.get(i).id());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        } catch (Exception e) {
          log.warn("Outbox row {} ({}) not published yet: {}", rows.get(i).id(), rows.get(i).type(), e.getClass().getSimpleName());
        }
      }
      if (!done.isEmpty()) {
        jdbc.batchUpdate("update pathway.outbox set published_at = now() where id = ?", done, done.size(),
            (ps, id) -> ps.setLong(1, id));
      }
      return done.size();
    });
    return published == null ? 0 : published;
  }

  private void loop() {
    while (running) {
      try {
        int n = relayOnce();
        if (n < settings.batchSize()) {
          signal.await(settings.idleWait());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.warn("Outbox relay failed, retrying: {}", e.getClass().getSimpleName());
        try {
          Thread.sleep(Math.max(1000, settings.idleWait().toMillis()));
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
    worker = new Thread(this::loop, "outbox-relay");
    worker.setDaemon(true);
    worker.start();
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
