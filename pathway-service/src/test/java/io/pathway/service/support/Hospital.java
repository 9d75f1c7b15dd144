package io.pathway.service.support;

import io.pathway.model.EventCatalog;
import io.pathway.model.envelope.EventCodec;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.model.events.PathwayEvent;
import io.pathway.testsupport.SharedKafkaBroker;
import java.net.URI;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** A hospital system in the tests: sends events to the platform's topics the way the contract says. */
public final class Hospital {

  public static final URI SOURCE = URI.create("urn:hospital:test-ehr");
  private static KafkaProducer<String, byte[]> producer;
  private static final EventCodec CODEC = EventCodec.create();

  private Hospital() {}

  private static synchronized KafkaProducer<String, byte[]> producer() {
    if (producer == null) {
      producer = new KafkaProducer<>(Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers(),
          ProducerConfig.ACKS_CONFIG, "all",
          ProducerConfig.LINGER_MS_CONFIG, 0),
          new StringSerializer(), new ByteArraySerializer());
      Runtime.getRuntime().addShutdownHook(new Thread(() -> producer.close(Duration.ofSeconds(1))));
    }
    return producer;
  }

  /** Sends an event in binary mode; returns its envelope (its id is the {@code ce_id}). */
  public static EventEnvelope send(String topic, PathwayEvent event) {
    EventEnvelope envelope = EventEnvelope.of(SOURCE, event);
    send(CODEC.toRecord(topic, envelope));
    return envelope;
  }

  /** Sends the same envelope again (a redelivery or a duplicate). */
  public static void resend(String topic, EventEnvelope envelope) {
    send(CODEC.toRecord(topic, envelope));
  }

  /** Sends an event in structured mode (application/cloudevents+json). */
  public static EventEnvelope sendStructured(String topic, PathwayEvent event) {
    EventEnvelope e = EventEnvelope.of(SOURCE, event);
    String json = "{\"specversion\":\"1.0\",\"id\":\"" + e.id() + "\",\"source\":\"" + SOURCE + "\",\"type\":\""
        + EventCatalog.typeOf(event) + "\",\"time\":\"" + e.time() + "\",\"datacontenttype\":\"application/json\",\"data\":"
        + new String(CODEC.writeData(event), StandardCharsets.UTF_8) + "}";
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, e.key(), json.getBytes(StandardCharsets.UTF_8));
    record.headers().add(new RecordHeader("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8)));
    send(record);
    return e;
  }

  /** Sends a valid event in binary mode under another record key than its patientRef (a misbehaving sender). */
  public static EventEnvelope sendKeyed(String topic, String key, PathwayEvent event) {
    EventEnvelope envelope = EventEnvelope.of(SOURCE, event);
    send(CODEC.toRecord(topic, key, envelope.id(), envelope.type(), envelope.source(), envelope.subject(), envelope.time(),
        CODEC.writeData(event)));
    return envelope;
  }

  /** Sends raw bytes with the given headers (for bad records). */
  public static void sendRaw(String topic, String key, byte[] value, Map<String, String> headers) {
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
    headers.forEach((k, v) -> record.headers().add(new RecordHeader(k, v.getBytes(StandardCharsets.UTF_8))));
    send(record);
  }

  private static void send(ProducerRecord<String, byte[]> record) {
    try {
      producer().send(record).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("could not send test record", e);
    }
  }

  public static EventCodec codec() {
    return CODEC;
  }
}
