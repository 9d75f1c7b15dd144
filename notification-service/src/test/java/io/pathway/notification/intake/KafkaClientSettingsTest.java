package io.pathway.notification.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathway.notification.IntegrationTest;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.listener.ContainerProperties.AckMode;

/** The service runs with the shared Kafka client settings of pathway-messaging and with its own. */
class KafkaClientSettingsTest extends IntegrationTest {

  @Test
  void shouldUseTheSharedDeliverySettingsAndItsOwnGroup() {
    // given the started service

    // then: the shared settings (pathway-messaging-kafka.yaml) apply
    assertThat(kafkaProperties.buildProducerProperties(null)).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
        .containsEntry("enable.idempotence", "true");
    assertThat(kafkaProperties.buildConsumerProperties(null)).containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
        .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    assertThat(kafkaProperties.getListener().getAckMode()).isEqualTo(AckMode.RECORD);
    // and so do the service's own: raw keys too, so that a bad record reaches its DLT unchanged
    assertThat(kafkaProperties.getConsumer().getGroupId()).isEqualTo("notification-service");
    assertThat(kafkaProperties.getConsumer().getKeyDeserializer()).isEqualTo(ByteArrayDeserializer.class);
    assertThat(kafkaProperties.getConsumer().getMaxPollRecords()).isEqualTo(100);
  }
}
