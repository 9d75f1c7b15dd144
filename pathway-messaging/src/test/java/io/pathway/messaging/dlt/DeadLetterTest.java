package io.pathway.messaging.dlt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.pathway.messaging.MessagingTest;
import io.pathway.messaging.MessagingTestApplication;
import io.pathway.messaging.MessagingTestApplication.FailingListener;
import io.pathway.messaging.MessagingTestApplication.RecordingHook;
import io.pathway.model.Topics;
import io.pathway.model.envelope.DeadLetterHeaders;
import io.pathway.testsupport.SharedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * What the error handler does with a failing record: refused and rejected records go to
 * {@code <topic>.DLT} at once, same partition, with the reason and detail and without exception
 * message or stack trace; a deadlock is retried a bounded number of times; a database outage is
 * waited out. The hook runs first, the counter after.
 */
class DeadLetterTest extends MessagingTest {

  static final String DLT = Topics.dlt(MessagingTestApplication.TOPIC);

  @Autowired KafkaTemplate<String, byte[]> kafka;
  @Autowired FailingListener listener;
  @Autowired RecordingHook hook;
  @Autowired MeterRegistry meters;

  @Test
  void shouldDeadLetterARefusedRecordAtOnceWithItsReasonAndNoExceptionText() throws Exception {
    // given a record the codec refuses, sent to partition 2
    String key = key();

    // when it is consumed
    kafka.send(new ProducerRecord<>(MessagingTestApplication.TOPIC, 2, key, bytes("invalid"))).get();

    // then it is on the DLT's partition 2, unchanged, with the reason and detail only
    ConsumerRecord<byte[], byte[]> dead = deadLetter(key);
    assertThat(dead.partition()).isEqualTo(2);
    assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("invalid");
    assertThat(header(dead, DeadLetterHeaders.REASON)).isEqualTo("SCHEMA_VIOLATION");
    assertThat(header(dead, DeadLetterHeaders.DETAIL)).isEqualTo("$.urgency: is not in the enumeration");
    assertThat(header(dead, "kafka_dlt-original-topic")).isEqualTo(MessagingTestApplication.TOPIC);
    assertThat(headerNames(dead)).doesNotContain("kafka_dlt-exception-message", "kafka_dlt-exception-stacktrace");
    assertThat(listener.attempts.get(key).get()).as("not retried").isEqualTo(1);
    assertThat(hook.seen).contains(key + ":SCHEMA_VIOLATION");
    assertThat(meters.get("pathway_dlt_records_total").tag("topic", MessagingTestApplication.TOPIC)
        .tag("reason", "SCHEMA_VIOLATION").counter().count()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void shouldDeadLetterARejectedRecordWithTheReasonTheServiceGave() throws Exception {
    String key = key();
    kafka.send(new ProducerRecord<>(MessagingTestApplication.TOPIC, 0, key, bytes("mismatch"))).get();

    ConsumerRecord<byte[], byte[]> dead = deadLetter(key);
    assertThat(header(dead, DeadLetterHeaders.REASON)).isEqualTo("ORDER_MISMATCH");
    assertThat(header(dead, DeadLetterHeaders.DETAIL)).isEqualTo("patientRef does not match the patient of orderId");
    assertThat(listener.attempts.get(key).get()).isEqualTo(1);
    assertThat(hook.seen).contains(key + ":ORDER_MISMATCH");
  }

  @Test
  void shouldRetryADeadlockABoundedNumberOfTimesThenDeadLetterItWithoutTheDatabaseMessage() throws Exception {
    // given a record whose processing deadlocks every time
    String key = key();
    kafka.send(new ProducerRecord<>(MessagingTestApplication.TOPIC, 1, key, bytes("deadlock"))).get();

    // then after the first attempt and 2 retries it is dead-lettered as a processing failure
    ConsumerRecord<byte[], byte[]> dead = deadLetter(key);
    assertThat(listener.attempts.get(key).get()).isEqualTo(3);
    assertThat(header(dead, DeadLetterHeaders.REASON)).isEqualTo("PROCESSING_FAILED");
    assertThat(header(dead, DeadLetterHeaders.DETAIL)).isEqualTo("processing failed with "
        + org.springframework.dao.CannotAcquireLockException.class.getName()).doesNotContain("PSN-secret-value");
    assertThat(dead.headers().toArray()).noneMatch(h -> new String(h.value(), StandardCharsets.UTF_8).contains("PSN-secret-value"));
  }

  @Test
  void shouldWaitOutAnUnreachableDatabaseBeyondTheBoundedRetries() throws Exception {
    // given a record that meets an unreachable database on its first 6 attempts (the bound is 2 retries)
    String key = key();

    // when it is consumed
    kafka.send(new ProducerRecord<>(MessagingTestApplication.TOPIC, 0, key, bytes("down:6"))).get();

    // then it is processed on the 7th attempt, and never dead-lettered
    await().atMost(Duration.ofSeconds(30)).until(() -> listener.processed.contains(key));
    assertThat(listener.attempts.get(key).get()).isEqualTo(7);
    assertThat(hook.seen).noneMatch(s -> s.startsWith(key));
  }

  private static String key() {
    return "PSN-dlt-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String header(ConsumerRecord<?, ?> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static List<String> headerNames(ConsumerRecord<?, ?> record) {
    List<String> names = new ArrayList<>();
    record.headers().forEach(h -> names.add(h.key()));
    return names;
  }

  private static ConsumerRecord<byte[], byte[]> deadLetter(String key) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      // assigned, not subscribed: no group to join, so reading starts at once
      List<TopicPartition> partitions = consumer.partitionsFor(DLT).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.key() != null && key.equals(new String(r.key(), StandardCharsets.UTF_8))) {
            found.add(r);
          }
        }
        return !found.isEmpty();
      });
      return found.get(0);
    }
  }
}
