package io.pathway.service.records;

import io.pathway.messaging.outbox.OutboxWriter;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.model.events.PathwayEvent;
import java.nio.charset.StandardCharsets;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * How the service publishes: the event goes to the outbox (pathway-messaging) and a journal line
 * records it for the pathway's timeline, both in the caller's transaction (the engine's, for delegates).
 */
@Component
public class JournaledOutbox {

  private final OutboxWriter outbox;
  private final Journal journal;

  JournaledOutbox(OutboxWriter outbox, Journal journal) {
    this.outbox = outbox;
    this.journal = journal;
  }

  /** Appends an event for {@code topic}; it is published once the surrounding transaction commits. */
  @Transactional(propagation = Propagation.MANDATORY)
  public EventEnvelope append(String topic, String pathwayId, PathwayEvent event) {
    OutboxWriter.Appended appended = outbox.append(topic, event);
    EventEnvelope envelope = appended.envelope();
    journal.record(new Journal.Entry(pathwayId, event.patientRef(), Journal.Direction.OUT, envelope.type(), envelope.id(),
        new String(appended.payload(), StandardCharsets.UTF_8), envelope.time().toInstant()));
    return envelope;
  }
}
