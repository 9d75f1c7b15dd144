package io.pathway.messaging.outbox;

import io.pathway.messaging.config.MessagingProperties;
import io.pathway.model.envelope.EventWriter;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.model.events.PathwayEvent;
import java.sql.Timestamp;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Writes an event to the {@code outbox} table in the caller's transaction: the event exists if and
 * only if the change that caused it commits. Nothing here talks to Kafka; the {@link OutboxRelay}
 * does, woken as soon as the transaction commits.
 */
public class OutboxWriter {

  private final JdbcTemplate jdbc;
  private final EventWriter codec;
  private final MessagingProperties properties;
  private final OutboxSignal signal;
  private final String insert;

  public OutboxWriter(JdbcTemplate jdbc, EventWriter codec, MessagingProperties properties, OutboxSignal signal) {
    this.jdbc = jdbc;
    this.codec = codec;
    this.properties = properties;
    this.signal = signal;
    this.insert = "insert into " + properties.table("outbox")
        + " (topic, record_key, ce_id, ce_type, ce_subject, ce_time, payload) values (?,?,?,?,?,?,?)";
  }

  /** An outbox row written: the envelope sent and the validated payload bytes. */
  public record Appended(EventEnvelope envelope, byte[] payload) {}

  /** Queues {@code event} for {@code topic}; it is published after the surrounding transaction commits. */
  @Transactional(propagation = Propagation.MANDATORY)
  public Appended append(String topic, PathwayEvent event) {
    if (!TransactionSynchronizationManager.isActualTransactionActive()) {
      throw new IllegalStateException("the outbox is written inside the transaction of the change it announces");
    }
    EventEnvelope envelope = EventEnvelope.of(properties.sourceUri(), event);
    byte[] payload = codec.writeData(event);
    jdbc.update(insert, topic, envelope.key(), envelope.id(), envelope.type(), envelope.subject(),
        Timestamp.from(envelope.time().toInstant()), payload);
    TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
      @Override
      public void afterCommit() {
        signal.wake();
      }
    });
    return new Appended(envelope, payload);
  }
}
