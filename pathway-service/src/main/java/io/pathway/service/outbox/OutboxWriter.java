package io.pathway.service.outbox;

import io.pathway.model.envelope.EventCodec;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.model.events.PathwayEvent;
import io.pathway.service.config.PathwayProperties;
import io.pathway.service.journal.Journal;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Writes outbound events to the outbox table in the caller's transaction (the engine's, for
 * delegates). Nothing here talks to Kafka: the {@link OutboxRelay} does, after commit.
 */
@Component
public class OutboxWriter {

  private final JdbcTemplate jdbc;
  private final EventCodec codec;
  private final Journal journal;
  private final OutboxSignal signal;
  private final PathwayProperties properties;

  OutboxWriter(JdbcTemplate jdbc, EventCodec codec, Journal journal, OutboxSignal signal, PathwayProperties properties) {
    this.jdbc = jdbc;
    this.codec = codec;
    this.journal = journal;
    this.signal = signal;
    this.properties = properties;
  }

  /** Appends an event for {@code topic}; it is published once the surrounding transaction commits. */
  @Transactional(propagation = Propagation.MANDATORY)
  public EventEnvelope append(String topic, String pathwayId, PathwayEvent event) {
    EventEnvelope envelope = EventEnvelope.of(properties.serviceUri(), event);
    byte[] data = codec.writeData(event);
    jdbc.update("insert into pathway.outbox (topic, record_key, ce_id, ce_type, ce_subject, ce_time, payload) values (?,?,?,?,?,?,?)",
        topic, envelope.key(), envelope.id(), envelope.type(), envelope.subject(),
        Timestamp.from(envelope.time().toInstant()), data);
    journal.record(new Journal.Entry(pathwayId, event.patientRef(), Journal.Direction.OUT, envelope.type(), envelope.id(),
        new String(data, StandardCharsets.UTF_8), envelope.time().toInstant()));
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
        @Override
        public void afterCommit() {
          signal.wake();
        }
      });
    }
    return envelope;
  }
}
