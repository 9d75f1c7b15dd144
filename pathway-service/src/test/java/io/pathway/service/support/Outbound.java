package io.pathway.service.support;

import io.pathway.model.Topics;
import io.pathway.model.envelope.EventCodec;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.model.events.PathwayEvent;
import io.pathway.testsupport.SharedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Everything the platform writes, as a hospital system would read it: one consumer per test JVM
 * on every outbound topic and every dead-letter topic, from the beginning. Tests pick their own
 * records by patient reference.
 */
public final class Outbound {

  /** A record read from a topic. */
  public record Received(String topic, String key, Map<String, String> headers, byte[] value, EventEnvelope event) {
    public String header(String name) {
      return headers.get(name);
    }
  }

  private static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
  private static volatile boolean started;

  private Outbound() {}

  public static synchronized void start() {
    if (started) {
      return;
    }
    started = true;
    List<String> topics = new ArrayList<>(Topics.OUTBOUND);
    Stream.concat(Topics.withDeadLetter().stream(), Topics.INBOUND.stream()).map(Topics::dlt).distinct().forEach(topics::add);
    Thread t = new Thread(() -> poll(topics), "test-outbound-consumer");
    t.setDaemon(true);
    t.start();
  }

  private static void poll(List<String> topics) {
    EventCodec codec = EventCodec.create();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, "test-outbound-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.METADATA_MAX_AGE_CONFIG, 500,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(java.util.regex.Pattern.compile(
          "(" + String.join("|", topics.stream().map(java.util.regex.Pattern::quote).toList()) + ")"));
      while (true) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          Map<String, String> headers = new java.util.HashMap<>();
          for (Header h : r.headers()) {
            headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
          }
          EventEnvelope event = null;
          if (!r.topic().endsWith(Topics.DLT_SUFFIX)) {
            try {
              event = codec.decode(r);
            } catch (Exception e) {
              event = null;
            }
          }
          RECEIVED.add(new Received(r.topic(), r.key(), headers, r.value(), event));
        }
      }
    } catch (org.apache.kafka.common.errors.InterruptException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Events of one type on one topic for one patient, in the order they arrived. */
  public static <T extends PathwayEvent> List<T> events(String topic, Class<T> type, String patientRef) {
    return RECEIVED.stream()
        .filter(r -> r.topic().equals(topic) && r.event() != null && type.isInstance(r.event().data())
            && patientRef.equals(r.event().data().patientRef()))
        .map(r -> type.cast(r.event().data()))
        .toList();
  }

  public static List<EventEnvelope> envelopes(String topic, String patientRef) {
    return RECEIVED.stream()
        .filter(r -> r.topic().equals(topic) && r.event() != null && patientRef.equals(r.event().data().patientRef()))
        .map(Received::event).toList();
  }

  /** Records on a dead-letter topic whose key is {@code key}. */
  public static List<Received> deadLetters(String sourceTopic, String key) {
    return RECEIVED.stream().filter(r -> r.topic().equals(Topics.dlt(sourceTopic)) && key.equals(r.key())).toList();
  }
}
