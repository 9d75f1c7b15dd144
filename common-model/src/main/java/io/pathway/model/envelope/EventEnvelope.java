package io.pathway.model.envelope;

import io.pathway.model.EventCatalog;
import io.pathway.model.events.PathwayEvent;
import io.pathway.model.events.PathwayScoped;
import java.net.URI;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;

/**
 * A CloudEvents 1.0 event of the contract: the context attributes the platform uses and the typed
 * payload.
 *
 * @param id the {@code ce_id}: unique per event; consumers skip an id they have already processed
 * @param type the {@code ce_type}, one of {@link io.pathway.model.EventTypes}
 * @param source the {@code ce_source}: the producing system, e.g. {@code urn:pathway:pathway-service}
 * @param subject the {@code ce_subject}: the pathway id when the event has one, else the patientRef
 * @param time the {@code ce_time}; may be {@code null} on consumed events that did not set it
 * @param data the payload
 */
public record EventEnvelope(String id, String type, URI source, String subject, OffsetDateTime time, PathwayEvent data) {

  public EventEnvelope {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(data, "data");
  }

  /**
   * A new envelope for {@code data}: a random UUID as id, the type from {@link EventCatalog}, the
   * pathway id (or, without one, the patientRef) as subject, and the current UTC time in milliseconds.
   */
  public static EventEnvelope of(URI source, PathwayEvent data) {
    Objects.requireNonNull(data, "data");
    return new EventEnvelope(
        UUID.randomUUID().toString(),
        EventCatalog.typeOf(data),
        source,
        subjectOf(data),
        OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS),
        data);
  }

  /** The Kafka record key: the pseudonymous patientRef, so that one patient's events stay in order. */
  public String key() {
    return data.patientRef();
  }

  /** The payload as the expected type. */
  public <T extends PathwayEvent> T dataAs(Class<T> payloadType) {
    return payloadType.cast(data);
  }

  static String subjectOf(PathwayEvent data) {
    if (data instanceof PathwayScoped scoped && scoped.pathwayId() != null) {
      return scoped.pathwayId();
    }
    return data.patientRef();
  }
}
