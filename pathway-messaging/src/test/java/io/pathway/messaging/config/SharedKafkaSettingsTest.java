package io.pathway.messaging.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.kafka.listener.ContainerProperties.AckMode;

/** The Kafka client settings both services import carry the delivery guarantees, and nothing a service sets itself. */
class SharedKafkaSettingsTest {

  @Test
  void shouldCarryTheSettingsTheGuaranteesRestOn() throws IOException {
    // when the shared file is bound as Spring Boot binds it
    KafkaProperties kafka = bind();

    // then: committed offsets only after each record, durable and idempotent sends, no aborted records read
    assertThat(kafka.getConsumer().getEnableAutoCommit()).isFalse();
    assertThat(kafka.getListener().getAckMode()).isEqualTo(AckMode.RECORD);
    assertThat(kafka.getConsumer().getIsolationLevel()).isEqualTo(KafkaProperties.IsolationLevel.READ_COMMITTED);
    assertThat(kafka.getConsumer().getAutoOffsetReset()).isEqualTo("earliest");
    assertThat(kafka.getConsumer().getValueDeserializer()).isEqualTo(ByteArrayDeserializer.class);
    assertThat(kafka.getProducer().getAcks()).isEqualTo("all");
    assertThat(kafka.getProducer().getProperties()).containsEntry("enable.idempotence", "true")
        .containsEntry("max.in.flight.requests.per.connection", "5");
  }

  @Test
  void shouldLeaveToEachServiceWhatItSetsItself() throws IOException {
    // an imported file overrides the file that imports it: a service's own value here would be lost
    List<String> keys = load().stream().flatMap(ps -> Arrays.stream(((EnumerablePropertySource<?>) ps).getPropertyNames()))
        .toList();

    assertThat(keys).isNotEmpty().allMatch(k -> k.startsWith("spring.kafka."))
        .doesNotContain("spring.kafka.consumer.group-id", "spring.kafka.consumer.key-deserializer",
            "spring.kafka.consumer.max-poll-records", "spring.kafka.listener.concurrency")
        .noneMatch(k -> k.startsWith("spring.kafka.consumer.properties."));
  }

  private static List<PropertySource<?>> load() throws IOException {
    return new YamlPropertySourceLoader().load("shared", new ClassPathResource("pathway-messaging-kafka.yaml"));
  }

  private static KafkaProperties bind() throws IOException {
    List<PropertySource<?>> yaml = load();
    StandardEnvironment env = new StandardEnvironment();
    yaml.forEach(env.getPropertySources()::addLast);
    return new Binder(ConfigurationPropertySources.get(env)).bind("spring.kafka", KafkaProperties.class)
        .orElseThrow(() -> new AssertionError("no spring.kafka settings in pathway-messaging-kafka.yaml"));
  }
}
