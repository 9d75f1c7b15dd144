package io.pathway.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pathway.messaging.dlt.DeadLetterHook;
import io.pathway.messaging.dlt.RejectedEventException;
import io.pathway.model.envelope.DeadLetterReason;
import io.pathway.model.envelope.InvalidEventException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import io.pathway.model.Topics;
import org.springframework.stereotype.Component;

/**
 * The module in a minimal service: its auto-configuration, a meter registry, a dead-letter hook that
 * records what it saw, and one listener whose record value says how it fails.
 */
@SpringBootApplication
public class MessagingTestApplication {

  public static final String TOPIC = "messaging-test.in";

  @Bean
  KafkaAdmin.NewTopics testTopics() {
    return new KafkaAdmin.NewTopics(TopicBuilder.name(TOPIC).partitions(3).build(),
        TopicBuilder.name(Topics.dlt(TOPIC)).partitions(3).build());
  }

  @Bean
  MeterRegistry meterRegistry() {
    return new SimpleMeterRegistry();
  }

  /** Records each record it is called for (topic, offset and reason). */
  @Component
  public static class RecordingHook implements DeadLetterHook {
    public final List<String> seen = new CopyOnWriteArrayList<>();

    @Override
    public void beforeDeadLetter(ConsumerRecord<?, ?> record, DeadLetterReason reason) {
      seen.add(record.key() + ":" + reason);
    }
  }

  /**
   * Fails as the value says: {@code invalid}, {@code mismatch}, {@code deadlock} (always), {@code down:n}
   * (database unreachable the first n attempts, then fine), {@code ok}. Counts attempts per key.
   */
  @Component
  public static class FailingListener {
    public final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    public final List<String> processed = new CopyOnWriteArrayList<>();

    @KafkaListener(id = "messaging-test", topics = TOPIC)
    void on(ConsumerRecord<String, byte[]> record) throws InvalidEventException {
      int attempt = attempts.computeIfAbsent(record.key(), k -> new AtomicInteger()).incrementAndGet();
      String value = new String(record.value(), StandardCharsets.UTF_8);
      if (value.equals("invalid")) {
        throw new InvalidEventException(InvalidEventException.Reason.SCHEMA_VIOLATION, "$.urgency: is not in the enumeration");
      }
      if (value.equals("mismatch")) {
        throw new RejectedEventException(DeadLetterReason.ORDER_MISMATCH, "patientRef does not match the patient of orderId");
      }
      if (value.equals("deadlock")) {
        throw new CannotAcquireLockException("deadlock detected on PSN-secret-value");
      }
      if (value.startsWith("down:") && attempt <= Integer.parseInt(value.substring(5))) {
        throw new CannotGetJdbcConnectionException("Connection to db:5432 refused for PSN-secret-value");
      }
      processed.add(record.key());
    }
  }
}
