package io.pathway.service.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathway.service.PathwayServiceTest;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.kafka.listener.ContainerProperties.AckMode;

/** The service runs with the shared Kafka client settings of pathway-messaging and with its own. */
@PathwayServiceTest
class KafkaClientSettingsTest {

  @Autowired KafkaProperties kafka;

  @Test
  void shouldUseTheSharedDeliverySettingsAndItsOwnGroup() {
    // given the started service

    // then: the shared settings (pathway-messaging-kafka.yaml) apply
    assertThat(kafka.buildProducerProperties(null)).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
        .containsEntry("enable.idempotence", "true");
    assertThat(kafka.buildConsumerProperties(null)).containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
        .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    assertThat(kafka.getListener().getAckMode()).isEqualTo(AckMode.RECORD);
    // and so do the service's own
    assertThat(kafka.getConsumer().getGroupId()).isEqualTo("pathway-service");
    assertThat(kafka.getConsumer().getKeyDeserializer()).isEqualTo(StringDeserializer.class);
    assertThat(kafka.getConsumer().getMaxPollRecords()).isEqualTo(200);
  }
}
