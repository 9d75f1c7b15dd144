package io.pathway.notification;

import static org.awaitility.Awaitility.await;

import io.pathway.model.codes.AlertType;
import io.pathway.model.codes.ReferralReason;
import io.pathway.model.codes.Severity;
import io.pathway.model.codes.Urgency;
import io.pathway.model.envelope.EventCodec;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.model.events.AlertRaised;
import io.pathway.model.events.PathwayEvent;
import io.pathway.model.events.ReferralIssued;
import io.pathway.notification.delivery.Notification;
import io.pathway.notification.delivery.NotificationStore;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Tag;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of every integration test: the whole service on a real PostgreSQL and the embedded KRaft
 * broker (both from test-support), a real SMTP server ({@link TestSmtp}) and a real webhook
 * receiver ({@link TestWebhookReceiver}). All subclasses share one Spring context. Tests use their
 * own patient references, so they never count each other's notifications.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "spring.config.name=" + NotificationServiceApplication.CONFIG_NAME)
@ActiveProfiles("test")
@AutoConfigureObservability(tracing = false)
@Import(IntegrationTest.TestBeans.class)
@Tag("integration")
public abstract class IntegrationTest {

  /** Where the referrals and alerts of the tests come from. */
  protected static final URI PATHWAY_SERVICE = URI.create("urn:pathway:pathway-service");

  @DynamicPropertySource
  static void endpoints(DynamicPropertyRegistry registry) {
    registry.add("spring.mail.host", () -> "127.0.0.1");
    registry.add("spring.mail.port", TestSmtp::port);
    registry.add("notification.webhooks.oncall-pager.url", TestWebhookReceiver::url);
  }

  @TestConfiguration(proxyBeanMethods = false)
  static class TestBeans {
    @Bean
    @Primary
    Clock testClock() {
      return TestClock.INSTANCE;
    }
  }

  @Autowired protected KafkaTemplate<String, byte[]> kafka;
  @Autowired protected EventCodec codec;
  @Autowired protected NotificationStore store;
  @Autowired protected KafkaProperties kafkaProperties;
  @LocalServerPort protected int port;

  protected static TestClock clock() {
    return TestClock.INSTANCE;
  }

  // ---- fixtures

  protected static String newPatientRef() {
    return "PSN-" + UUID.randomUUID().toString().substring(0, 8);
  }

  protected static ReferralIssued referral(String patientRef, Urgency urgency) {
    ReferralReason reason = switch (urgency) {
      case EMERGENCY -> ReferralReason.CAUDA_EQUINA_SYNDROME;
      case URGENT -> ReferralReason.PROGRESSIVE_NEUROLOGICAL_DEFICIT;
      case ELECTIVE -> ReferralReason.FAILED_CONSERVATIVE_CARE;
    };
    return new ReferralIssued("REF-" + patientRef, "PW-" + patientRef, patientRef, urgency, reason,
        "DECOMPRESSION", List.of("Red flag SADDLE_ANESTHESIA observed", "Contrast MRI POSITIVE"),
        Instant.now().truncatedTo(ChronoUnit.SECONDS));
  }

  protected static AlertRaised alert(String patientRef, Severity severity, AlertType type) {
    return new AlertRaised("ALERT-" + patientRef, "PW-" + patientRef, patientRef, severity, type,
        "Red flag BLADDER_DYSFUNCTION reported at follow-up", Instant.now().truncatedTo(ChronoUnit.SECONDS));
  }

  // ---- Kafka

  /** Publishes {@code data} as the pathway service would; returns the envelope (its id is the ce_id). */
  protected EventEnvelope publish(String topic, PathwayEvent data) {
    EventEnvelope envelope = EventEnvelope.of(PATHWAY_SERVICE, data);
    publish(topic, envelope);
    return envelope;
  }

  protected void publish(String topic, EventEnvelope envelope) {
    send(codec.toRecord(topic, envelope));
  }

  protected void send(ProducerRecord<String, byte[]> record) {
    try {
      kafka.send(record).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("Could not publish a test record", e);
    }
  }

  /** Waits for a record on {@code topic} that matches, reading the topic from the start. */
  protected ConsumerRecord<String, byte[]> awaitRecord(String topic, Predicate<ConsumerRecord<String, byte[]>> matches) {
    Map<String, Object> config = kafkaProperties.buildConsumerProperties(null);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (matches.test(r)) {
            return r;
          }
        }
      }
    }
    throw new AssertionError("No matching record on " + topic);
  }

  /** Waits for an event of the contract on {@code topic} that matches. */
  protected EventEnvelope awaitEvent(String topic, Predicate<EventEnvelope> matches) {
    ConsumerRecord<String, byte[]> record = awaitRecord(topic, r -> {
      try {
        return matches.test(codec.decode(r));
      } catch (Exception e) {
        return false;
      }
    });
    try {
      return codec.decode(record);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  // ---- delivery log and mailbox

  /** Waits until the event has {@code count} first notices (round 0) and returns them. */
  protected List<Notification> awaitNotifications(String eventId, int count) {
    return await().atMost(Duration.ofSeconds(20)).until(() -> firstNotices(eventId), l -> l.size() == count);
  }

  /** Waits until every first notice of the event is delivered and returns them. */
  protected List<Notification> awaitDelivered(String eventId, int count) {
    return await().atMost(Duration.ofSeconds(20)).until(() -> firstNotices(eventId),
        l -> l.size() == count && l.stream().allMatch(n -> n.status() == Notification.Status.DELIVERED));
  }

  protected List<Notification> firstNotices(String eventId) {
    return store.forSourceEvent(eventId).stream().filter(n -> n.round() == 0 && n.escalationLevel() == 0).toList();
  }

  /** The e-mails of one notification. */
  protected static List<MimeMessage> mailsOf(UUID notificationId) {
    return TestSmtp.messages().stream()
        .filter(m -> notificationId.toString().equals(TestSmtp.header(m, "X-Pathway-Notification-Id")))
        .toList();
  }

  /** The e-mails about one source event (first notices, reminders and escalations). */
  protected static List<MimeMessage> mailsAbout(String eventId) {
    return TestSmtp.messages().stream().filter(m -> eventId.equals(TestSmtp.header(m, "X-Pathway-Event-Id"))).toList();
  }

  protected static List<TestWebhookReceiver.Received> webhooksOf(UUID notificationId) {
    return TestWebhookReceiver.received().stream().filter(r -> r.body().contains(notificationId.toString())).toList();
  }
}
