package io.pathway.model.envelope;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pathway.model.events.PathwayEvent;
import java.net.URI;
import java.time.OffsetDateTime;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * An {@link EventReader} and an {@link EventWriter} sharing one mapper and one set of schemas, for the code that both
 * reads and writes events (tests, the simulator, the warm-up). Code that only reads or only writes takes the reader
 * or the writer. Thread-safe; create once and share.
 */
public final class EventCodec {

  private final EventReader reader;
  private final EventWriter writer;
  private final EventValidator validator;

  private EventCodec(ObjectMapper mapper, EventValidator validator) {
    this.reader = new EventReader(mapper, validator);
    this.writer = new EventWriter(mapper, validator);
    this.validator = validator;
  }

  /** A codec with its own {@link ObjectMapper} and the contract's schemas. */
  public static EventCodec create() {
    return new EventCodec(ContractJson.newObjectMapper(), EventValidator.create());
  }

  public EventReader reader() {
    return reader;
  }

  public EventWriter writer() {
    return writer;
  }

  public ObjectMapper objectMapper() {
    return writer.objectMapper();
  }

  public EventValidator validator() {
    return validator;
  }

  /** See {@link EventWriter#writeData}. */
  public byte[] writeData(PathwayEvent data) {
    return writer.writeData(data);
  }

  /** See {@link EventWriter#toRecord(String, EventEnvelope)}. */
  public ProducerRecord<String, byte[]> toRecord(String topic, EventEnvelope envelope) {
    return writer.toRecord(topic, envelope);
  }

  /** See {@link EventWriter#toRecord(String, String, String, String, URI, String, OffsetDateTime, byte[])}. */
  public ProducerRecord<String, byte[]> toRecord(
      String topic, String key, String id, String type, URI source, String subject, OffsetDateTime time, byte[] data) {
    return writer.toRecord(topic, key, id, type, source, subject, time, data);
  }

  /** See {@link EventReader#decode(ConsumerRecord)}. */
  public EventEnvelope decode(ConsumerRecord<?, byte[]> record) throws InvalidEventException {
    return reader.decode(record);
  }

  /** See {@link EventReader#decode(Headers, byte[])}. */
  public EventEnvelope decode(Headers headers, byte[] value) throws InvalidEventException {
    return reader.decode(headers, value);
  }
}
