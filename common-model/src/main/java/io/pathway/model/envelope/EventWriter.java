package io.pathway.model.envelope;

import static io.pathway.model.envelope.EventHeaders.JSON;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.pathway.model.EventCatalog;
import io.pathway.model.events.PathwayEvent;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes events: their data as JSON checked against the schema of its type, and CloudEvents Kafka records in binary
 * mode. Thread-safe; create once and share.
 */
public final class EventWriter {

  private final ObjectMapper mapper;
  private final EventValidator validator;

  EventWriter(ObjectMapper mapper, EventValidator validator) {
    this.mapper = mapper;
    this.validator = validator;
  }

  /** A writer with its own {@link ObjectMapper} and the contract's schemas. */
  public static EventWriter create() {
    return new EventWriter(ContractJson.newObjectMapper(), EventValidator.create());
  }

  public ObjectMapper objectMapper() {
    return mapper;
  }

  /**
   * The JSON payload of {@code data}, checked against the schema of its type.
   *
   * @throws IllegalArgumentException if the event breaks its schema (a bug of the producer: such an
   *     event must never reach a topic); the message names the fields, not the values
   */
  public byte[] writeData(PathwayEvent data) {
    Objects.requireNonNull(data, "data");
    String type = EventCatalog.typeOf(data);
    JsonNode tree = mapper.valueToTree(data);
    List<String> violations = validator.validate(type, tree);
    if (!violations.isEmpty()) {
      throw new IllegalArgumentException("Event " + type + " breaks its schema: " + String.join("; ", violations));
    }
    try {
      return mapper.writeValueAsBytes(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot serialize event " + type, e);
    }
  }

  /**
   * Binary-mode Kafka record: {@code ce_id}, {@code ce_source}, {@code ce_type},
   * {@code ce_specversion=1.0}, {@code ce_time}, {@code ce_subject} headers, {@code content-type:
   * application/json}, key = patientRef, value = the JSON data. Built with the CloudEvents SDK.
   */
  public ProducerRecord<String, byte[]> toRecord(String topic, EventEnvelope envelope) {
    Objects.requireNonNull(envelope, "envelope");
    return toRecord(topic, envelope.key(), envelope.id(), envelope.type(), envelope.source(), envelope.subject(),
        envelope.time(), writeData(envelope.data()));
  }

  /** Same from already-serialized parts (used by the outbox relay); the data is not validated again. */
  public ProducerRecord<String, byte[]> toRecord(
      String topic, String key, String id, String type, URI source, String subject, OffsetDateTime time, byte[] data) {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(data, "data");
    CloudEventBuilder builder = CloudEventBuilder.v1()
        .withId(Objects.requireNonNull(id, "id"))
        .withType(Objects.requireNonNull(type, "type"))
        .withSource(Objects.requireNonNull(source, "source"))
        .withDataContentType(JSON)
        .withData(data);
    if (subject != null) {
      builder.withSubject(subject);
    }
    if (time != null) {
      builder.withTime(time);
    }
    CloudEvent event = builder.build();
    return KafkaMessageFactory.<String>createWriter(topic, key).writeBinary(event);
  }
}
