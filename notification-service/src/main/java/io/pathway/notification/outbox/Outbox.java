package io.pathway.notification.outbox;

import io.pathway.model.envelope.EventCodec;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.model.events.PathwayEvent;
import io.pathway.notification.NotificationProperties;
import java.sql.Timestamp;
import java.time.Clock;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes an event to publish into the {@code outbox} table, inside the caller's transaction: the
 * event exists if and only if the state change that caused it committed. {@link OutboxRelay} sends it.
 */
@Component
public class Outbox {

  private final JdbcClient jdbc;
  private final EventCodec codec;
  private final NotificationProperties properties;
  private final Clock clock;

  Outbox(JdbcClient jdbc, EventCodec codec, NotificationProperties properties, Clock clock) {
    this.jdbc = jdbc;
    this.codec = codec;
    this.properties = properties;
    this.clock = clock;
  }

  /** Queues {@code data} for {@code topic}; returns its {@code ce_id}. */
  @Transactional(propagation = Propagation.MANDATORY)
  public String publish(String topic, PathwayEvent data) {
    EventEnvelope envelope = EventEnvelope.of(properties.sourceUri(), data);
    byte[] payload = codec.writeData(data);
    jdbc.sql("""
            insert into outbox (event_id, topic, record_key, event_type, subject, occurred_at, payload, created_at)
            values (:id, :topic, :key, :type, :subject, :time, :payload, :created)""")
        .param("id", envelope.id())
        .param("topic", topic)
        .param("key", envelope.key())
        .param("type", envelope.type())
        .param("subject", envelope.subject())
        .param("time", Timestamp.from(envelope.time().toInstant()))
        .param("payload", payload)
        .param("created", Timestamp.from(clock.instant()))
        .update();
    return envelope.id();
  }
}
