package io.pathway.notification.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pathway.model.Topics;
import io.pathway.model.codes.Urgency;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.notification.IntegrationTest;
import io.pathway.notification.delivery.Notification;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

/** A redelivered event sends nothing twice: by {@code ce_id}, in the database, so across restarts too. */
class IdempotencyTest extends IntegrationTest {

  @Autowired KafkaListenerEndpointRegistry listeners;

  @Test
  void shouldDeliverOnceWhenTheSameEventArrivesTwice() {
    // given
    String patientRef = newPatientRef();
    EventEnvelope event = publish(Topics.REFERRALS, referral(patientRef, Urgency.URGENT));

    // when
    publish(Topics.REFERRALS, event);
    EventEnvelope later = publish(Topics.REFERRALS, referral(patientRef, Urgency.ELECTIVE)); // same key: read after the duplicate

    // then
    awaitDelivered(later.id(), 1);
    awaitDelivered(event.id(), 2);
    assertDeliveredOnce(event.id(), 2);
  }

  @Test
  void shouldDeliverOnceWhenTheTopicIsReplayedAfterARestart() throws Exception {
    // given an event delivered, then the consumers stopped (a restart) and the offsets rewound, as after
    // a crash between the database commit and the offset commit
    String patientRef = newPatientRef();
    EventEnvelope event = publish(Topics.REFERRALS, referral(patientRef, Urgency.URGENT));
    awaitDelivered(event.id(), 2);
    stopListeners();
    rewind(Topics.REFERRALS);

    // when the consumers start again and read the whole topic a second time
    startListeners();
    EventEnvelope marker = publish(Topics.REFERRALS, referral(patientRef, Urgency.ELECTIVE));

    // then
    awaitDelivered(marker.id(), 1);
    awaitDelivered(event.id(), 2);
    assertDeliveredOnce(event.id(), 2);
  }

  private void assertDeliveredOnce(String eventId, int notifications) {
    List<Notification> all = store.forSourceEvent(eventId);
    assertThat(all).hasSize(notifications).allSatisfy(n -> {
      assertThat(n.status()).isEqualTo(Notification.Status.DELIVERED);
      assertThat(n.attempts()).isEqualTo(1);
    });
    assertThat(mailsAbout(eventId)).hasSize(notifications);
  }

  private void stopListeners() {
    listeners.getListenerContainers().forEach(MessageListenerContainer::stop);
    await().atMost(Duration.ofSeconds(15)).until(() -> listeners.getListenerContainers().stream().noneMatch(MessageListenerContainer::isRunning));
  }

  private void startListeners() {
    listeners.getListenerContainers().forEach(MessageListenerContainer::start);
  }

  private void rewind(String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        String.join(",", kafkaProperties.getBootstrapServers())))) {
      List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
          .stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      Map<TopicPartition, OffsetAndMetadata> start = admin
          .listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.earliest()))).all().get()
          .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> new OffsetAndMetadata(e.getValue().offset())));
      // The group is empty once both listeners have left it; the broker may take a moment to notice.
      await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
          .until(() -> admin.alterConsumerGroupOffsets("notification-service", start).all().get() == null);
    }
  }
}
