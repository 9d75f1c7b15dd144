package io.pathway.service.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pathway.model.Topics;
import io.pathway.model.codes.Stage;
import io.pathway.model.envelope.EventCodec;
import io.pathway.model.events.StageChanged;
import io.pathway.service.PathwayServiceTest;
import io.pathway.service.config.PathwayProperties;
import io.pathway.service.support.Outbound;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** R2 in small: while Kafka cannot be reached the outbox holds the events; they leave in order once it can. */
@PathwayServiceTest
class OutboxWhileKafkaIsDownTest {

  @Autowired
  OutboxRelay relay;
  @Autowired
  OutboxWriter writer;
  @Autowired
  OutboxSignal signal;
  @Autowired
  JdbcTemplate jdbc;
  @Autowired
  TransactionTemplate tx;
  @Autowired
  EventCodec codec;
  @Autowired
  PathwayProperties properties;

  @BeforeAll
  static void listen() {
    Outbound.start();
  }

  @Test
  void shouldHoldEventsWhileKafkaIsUnreachableAndPublishThemInOrderAfter() {
    String patient = "PT-" + UUID.randomUUID().toString().substring(0, 8);
    String pathway = UUID.randomUUID().toString();
    DefaultKafkaProducerFactory<String, byte[]> unreachable = new DefaultKafkaProducerFactory<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1",
        ProducerConfig.MAX_BLOCK_MS_CONFIG, 300,
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 1000,
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 500), new StringSerializer(), new ByteArraySerializer());
    OutboxRelay relayWithoutKafka = new OutboxRelay(jdbc, tx, new KafkaTemplate<>(unreachable), codec, signal, properties,
        new SimpleMeterRegistry());
    relay.stop();
    try {
      List<Stage> stages = List.of(Stage.ENROLMENT, Stage.RESPONSE_ASSESSMENT, Stage.FAILURE_ANALYSIS);
      tx.executeWithoutResult(s -> stages.forEach(stage ->
          writer.append(Topics.STATUS, pathway, new StageChanged(pathway, patient, stage, Instant.now()))));

      assertThat(relayWithoutKafka.relayOnce()).isZero();
      assertThat(jdbc.queryForObject("select count(*) from pathway.outbox where record_key = ? and published_at is null",
          Integer.class, patient)).isEqualTo(3);
    } finally {
      unreachable.destroy();
      relay.start();
    }

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(Outbound.events(Topics.STATUS, StageChanged.class, patient)).extracting(StageChanged::stage)
            .containsExactly(Stage.ENROLMENT, Stage.RESPONSE_ASSESSMENT, Stage.FAILURE_ANALYSIS));
    assertThat(jdbc.queryForObject("select count(*) from pathway.outbox where record_key = ? and published_at is null",
        Integer.class, patient)).isZero();
  }
}
