package io.pathway.messaging.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pathway.messaging.MessagingTest;
import io.pathway.messaging.config.MessagingProperties;
import io.pathway.model.Topics;
import io.pathway.model.codes.AlertType;
import io.pathway.model.codes.Severity;
import io.pathway.model.envelope.EventWriter;
import io.pathway.model.envelope.EventHeaders;
import io.pathway.model.events.AlertRaised;
import io.pathway.testsupport.SharedKafkaBroker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The relay's one ordering policy: rows leave in id order, a round stops at the first row the broker
 * did not take, and no row is marked published while an earlier one failed. The service's own relay
 * is stopped in these tests; each test drives a relay of its own round by round.
 */
class OutboxRelayTest extends MessagingTest {

  @Autowired OutboxWriter writer;
  @Autowired OutboxRelay serviceRelay;
  @Autowired PlatformTransactionManager transactions;
  @Autowired KafkaTemplate<String, byte[]> kafka;
  @Autowired EventWriter codec;
  @Autowired MessagingProperties properties;

  TransactionTemplate tx;
  String patient;

  @BeforeEach
  void setUp() {
    serviceRelay.stop();
    tx = new TransactionTemplate(transactions);
    patient = "PSN-relay-" + UUID.randomUUID().toString().substring(0, 8);
    drainEverythingPending();
  }

  @AfterEach
  void restart() {
    serviceRelay.start();
  }

  @Test
  void shouldStopAtTheFirstFailedRowAndMarkOnlyTheRowsBeforeIt() {
    // given four alerts of one patient, the second one too large for the producer to send
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      int n = i;
      ids.add(tx.execute(s -> writer.append(Topics.ALERTS, alert("message " + n)).envelope().id()));
    }
    jdbc.update("update messaging_test.outbox set payload = ? where ce_id = ?", new byte[2 * 1024 * 1024], ids.get(1));
    OutboxRelay relay = relayWith(kafka);

    // when one round runs
    int published = relay.relayOnce();

    // then only the row before the failed one is marked published
    assertThat(published).isEqualTo(1);
    assertThat(publishedIds()).containsExactly(ids.get(0));

    // when the row can be sent again and the next round runs
    jdbc.update("update messaging_test.outbox set payload = (select payload from messaging_test.outbox where ce_id = ?) where ce_id = ?",
        ids.get(0), ids.get(1));
    assertThat(relay.relayOnce()).isEqualTo(3);

    // then the patient's events are on the topic once each, in the order they were written
    assertThat(readIds(Topics.ALERTS, ids.size())).containsExactlyElementsOf(ids);
    assertThat(publishedIds()).containsExactlyElementsOf(ids);
  }

  @Test
  void shouldSendUrgentTopicsFirstSoThatARoutineRowTheBrokerRefusesHoldsBackNoAlert() {
    // given a routine row the producer refuses (too large), then two alerts of the same patient written after it
    String routine = tx.execute(s -> writer.append(Topics.STATUS, stage()).envelope().id());
    jdbc.update("update messaging_test.outbox set payload = ? where ce_id = ?", new byte[2 * 1024 * 1024], routine);
    String first = tx.execute(s -> writer.append(Topics.ALERTS, alert("first")).envelope().id());
    String second = tx.execute(s -> writer.append(Topics.ALERTS, alert("second")).envelope().id());

    // when a round runs with the alerts' topic urgent
    int published = relayWith(kafka, List.of(Topics.ALERTS)).relayOnce();

    // then both alerts are out, in their order, and only the refused routine row waits
    assertThat(published).isEqualTo(2);
    assertThat(publishedIds()).containsExactly(first, second);
    assertThat(readIds(Topics.ALERTS, 2)).containsExactly(first, second);

    // and without urgent topics the same refused row holds back every row after it (the table's order)
    String third = tx.execute(s -> writer.append(Topics.ALERTS, alert("third")).envelope().id());
    assertThat(relayWith(kafka).relayOnce()).isZero();
    assertThat(publishedIds()).doesNotContain(routine, third);
  }

  @Test
  void shouldSendAFullBatchOfOtherRowsInPartsWhenThereAreUrgentTopics() {
    // given more routine rows than one part between two looks at the urgent topics, and one alert after them
    int routine = OutboxRelay.URGENT_CHECK_EVERY * 2 + 20;
    List<String> ids = new ArrayList<>();
    tx.executeWithoutResult(s -> {
      for (int i = 0; i < routine; i++) {
        ids.add(writer.append(Topics.STATUS, stage()).envelope().id());
      }
    });
    String alert = tx.execute(s -> writer.append(Topics.ALERTS, alert("after the backlog")).envelope().id());

    // when one round runs with the alerts' topic urgent
    int published = relayWith(kafka, List.of(Topics.ALERTS)).relayOnce();

    // then the alert and every routine row went in that round, the routine rows in their order
    assertThat(published).isEqualTo(routine + 1);
    assertThat(readIds(Topics.STATUS, routine)).containsExactlyElementsOf(ids);
    assertThat(readIds(Topics.ALERTS, 1)).containsExactly(alert);
  }

  @Test
  void shouldKeepEveryRowWhileKafkaCannotBeReachedAndSendThemInOrderOnceItCan() {
    // given two rows and a producer that reaches no broker
    String first = tx.execute(s -> writer.append(Topics.ALERTS, alert("first")).envelope().id());
    String second = tx.execute(s -> writer.append(Topics.ALERTS, alert("second")).envelope().id());
    DefaultKafkaProducerFactory<String, byte[]> nowhere = new DefaultKafkaProducerFactory<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1", ProducerConfig.MAX_BLOCK_MS_CONFIG, 300,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    try {
      // when a round runs
      int published = relayWith(new KafkaTemplate<>(nowhere)).relayOnce();

      // then nothing is marked and both rows wait
      assertThat(published).isZero();
      assertThat(publishedIds()).isEmpty();
    } finally {
      nowhere.destroy();
    }

    // when Kafka can be reached
    relayWith(kafka).relayOnce();

    // then both rows are on the topic, in order
    assertThat(readIds(Topics.ALERTS, 2)).containsExactly(first, second);
  }

  @Test
  void shouldWakeTheServiceRelayWhenATransactionWithOutboxRowsCommits() {
    // given the service's relay running with a poll interval far longer than the wait below
    serviceRelay.start();

    // when a transaction writes a row and commits
    String id = tx.execute(s -> writer.append(Topics.ALERTS, alert("woken")).envelope().id());

    // then it is published without waiting for a poll
    await().atMost(Duration.ofSeconds(10)).until(() -> publishedIds().contains(id));
  }

  @Test
  void shouldRefuseToWriteOutsideATransaction() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> writer.append(Topics.ALERTS, alert("no transaction")))
        .isInstanceOf(org.springframework.transaction.IllegalTransactionStateException.class);
  }

  private OutboxRelay relayWith(KafkaTemplate<String, byte[]> template) {
    return new OutboxRelay(jdbc, tx, template, codec, properties, new OutboxSignal());
  }

  private OutboxRelay relayWith(KafkaTemplate<String, byte[]> template, List<String> urgentTopics) {
    MessagingProperties.Outbox o = properties.outbox();
    MessagingProperties urgent = new MessagingProperties(properties.schema(), properties.sourceUri(),
        new MessagingProperties.Outbox(o.batchSize(), o.pollInterval(), o.sendTimeout(), urgentTopics), properties.deadLetter(),
        properties.topics(), properties.retention());
    return new OutboxRelay(jdbc, tx, template, codec, urgent, new OutboxSignal());
  }

  /** A routine event of this test's patient (its pathway id is the patient's, so it has the same record key). */
  private io.pathway.model.events.StageChanged stage() {
    return new io.pathway.model.events.StageChanged(patient, patient, io.pathway.model.codes.Stage.values()[0], Instant.now());
  }

  private AlertRaised alert(String message) {
    return new AlertRaised(UUID.randomUUID().toString(), null, patient, Severity.HIGH, AlertType.ESCALATION, message, Instant.now());
  }

  private List<String> publishedIds() {
    return jdbc.queryForList("select ce_id from messaging_test.outbox where record_key = ? and published_at is not null order by id",
        String.class, patient);
  }

  private void drainEverythingPending() {
    jdbc.update("update messaging_test.outbox set published_at = now() where published_at is null");
  }

  /** The ce_ids of this test's patient on {@code topic}, in the order they are on it (at least {@code count}). */
  private List<String> readIds(String topic, int count) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      // assigned, not subscribed: no group to join, so reading starts at once
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      List<String> ids = new ArrayList<>();
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (patient.equals(r.key())) {
            ids.add(new String(r.headers().lastHeader(EventHeaders.HEADER_ID).value()));
          }
        }
        return ids.size() >= count;
      });
      return ids;
    }
  }
}
