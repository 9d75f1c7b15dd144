package io.pathway.notification.intake;

import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code processed_event} table: each consumed {@code ce_id} once. */
@Repository
class ProcessedEvents {

  private final JdbcClient jdbc;

  ProcessedEvents(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Records the id; false when it was already there (a redelivery or a duplicate). */
  boolean markProcessed(String eventId, String eventType, String topic, Instant at) {
    return jdbc.sql("""
            insert into processed_event (event_id, event_type, topic, processed_at) values (:id, :type, :topic, :at)
            on conflict (event_id) do nothing""")
        .param("id", eventId).param("type", eventType).param("topic", topic).param("at", Timestamp.from(at))
        .update() == 1;
  }
}
