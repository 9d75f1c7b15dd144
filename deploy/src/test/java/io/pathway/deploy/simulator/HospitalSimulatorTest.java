package io.pathway.deploy.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathway.model.Topics;
import io.pathway.model.codes.CancelReason;
import io.pathway.model.codes.OrderKind;
import io.pathway.model.envelope.EventCodec;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.model.events.DiagnosticResult;
import io.pathway.model.events.OrderCancelled;
import io.pathway.model.events.OrderPlaced;
import io.pathway.model.events.PathwayEvent;
import io.pathway.model.events.TreatmentOutcome;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The simulated hospital on a real (embedded KRaft) broker: it answers the platform's orders and
 * stops those the platform cancels. Absence is shown without waiting for a time: a control order
 * placed after the cancelled ones, for the same patient, is answered after them on the same
 * partition, so once its answer is there, an answer to a cancelled order would be there too.
 */
class HospitalSimulatorTest {

  private static final URI PLATFORM = URI.create("urn:pathway:pathway-service");
  private static final EventCodec CODEC = EventCodec.create();

  private static EmbeddedKafkaKraftBroker broker;
  private static KafkaProducer<String, byte[]> platform;
  private static HospitalSimulator simulator;

  @BeforeAll
  static void start() {
    broker = new EmbeddedKafkaKraftBroker(1, 1, Topics.ORDERS, Topics.DIAGNOSTIC_RESULTS, Topics.TREATMENT_OUTCOMES);
    broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
    broker.afterPropertiesSet();
    platform = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
        ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    simulator = new HospitalSimulator(broker.getBrokersAsString(), Duration.ofMillis(300));
    simulator.respondToOrders();
  }

  @AfterAll
  static void stop() {
    simulator.close();
    platform.close(Duration.ofSeconds(2));
    broker.destroy();
  }

  @Test
  void shouldNeverAnswerAnOrderThePlatformCancelled() throws Exception {
    // given a diagnostic and a procedure order, both cancelled before their answer is due
    String patientRef = "SIM-" + UUID.randomUUID().toString().substring(0, 8);
    OrderPlaced test = order(patientRef, OrderKind.DIAGNOSTIC, "SELECTIVE_NERVE_ROOT_BLOCK");
    OrderPlaced procedure = order(patientRef, OrderKind.PROCEDURE, "RADIOFREQUENCY_ABLATION");
    publish(test);
    publish(procedure);
    publish(new OrderCancelled(test.orderId(), test.pathwayId(), patientRef, CancelReason.RED_FLAG, Instant.now()));
    publish(new OrderCancelled(procedure.orderId(), procedure.pathwayId(), patientRef, CancelReason.WITHDRAWN, Instant.now()));

    // when two more orders for the same patient follow, not cancelled
    OrderPlaced controlTest = order(patientRef, OrderKind.DIAGNOSTIC, "CONTRAST_MRI");
    OrderPlaced controlProcedure = order(patientRef, OrderKind.PROCEDURE, "TARGETED_PHYSICAL_THERAPY");
    publish(controlTest);
    publish(controlProcedure);

    // then the control orders are answered, the cancelled ones never
    List<String> results = answeredOrders(Topics.DIAGNOSTIC_RESULTS, patientRef, controlTest.orderId());
    List<String> outcomes = answeredOrders(Topics.TREATMENT_OUTCOMES, patientRef, controlProcedure.orderId());
    assertThat(results).containsExactly(controlTest.orderId());
    assertThat(outcomes).containsExactly(controlProcedure.orderId());
  }

  @Test
  void shouldStillAnswerAnOrderWhenAnotherOrderIsCancelled() throws Exception {
    // given
    String patientRef = "SIM-" + UUID.randomUUID().toString().substring(0, 8);
    OrderPlaced kept = order(patientRef, OrderKind.DIAGNOSTIC, "MEDIAL_BRANCH_BLOCK");
    OrderPlaced dropped = order(patientRef, OrderKind.DIAGNOSTIC, "DISCOGRAPHY");

    // when
    publish(kept);
    publish(dropped);
    publish(new OrderCancelled(dropped.orderId(), dropped.pathwayId(), patientRef, CancelReason.SUPERSEDED, Instant.now()));
    OrderPlaced control = order(patientRef, OrderKind.DIAGNOSTIC, "CONTRAST_MRI");
    publish(control);

    // then
    assertThat(answeredOrders(Topics.DIAGNOSTIC_RESULTS, patientRef, control.orderId()))
        .containsExactly(kept.orderId(), control.orderId());
  }

  @Test
  void shouldLeaveTheOrdersOfAPatientAUserEnrolledUnanswered() throws Exception {
    // given a patient a user enrolled to try the platform, and a demo patient on the same partition key space
    String users = "PT-" + UUID.randomUUID().toString().substring(0, 8);
    OrderPlaced mri = order(users, OrderKind.DIAGNOSTIC, "CONTRAST_MRI");
    OrderPlaced ablation = order(users, OrderKind.PROCEDURE, "RADIOFREQUENCY_ABLATION");
    String demo = "DEMO-" + UUID.randomUUID().toString().substring(0, 8);
    OrderPlaced demoMri = order(demo, OrderKind.DIAGNOSTIC, "CONTRAST_MRI");

    // when
    publish(mri);
    publish(ablation);
    publish(demoMri);

    // then the demo patient's order is answered and the user's are not (the topic is read in order: once the
    // demo answer is there, the simulator has read the user's orders; their answers would be due first)
    assertThat(answeredOrders(Topics.DIAGNOSTIC_RESULTS, demo, demoMri.orderId())).containsExactly(demoMri.orderId());
    assertThat(HospitalSimulator.plays(users)).isFalse();
    assertThat(answered(Topics.DIAGNOSTIC_RESULTS, users) + answered(Topics.TREATMENT_OUTCOMES, users)).isZero();
  }

  /** How many answers for the patient are on the topic now. */
  private static int answered(String topic, String patientRef) {
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
        ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
      var partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(partitions);
      int count = 0;
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (patientRef.equals(r.key())) {
            count++;
          }
        }
      }
      return count;
    }
  }

  private static OrderPlaced order(String patientRef, OrderKind kind, String code) {
    return new OrderPlaced("ORD-" + UUID.randomUUID().toString().substring(0, 8), "PW-" + patientRef, patientRef, kind, code,
        "Simulator test order", Instant.now());
  }

  private static void publish(PathwayEvent event) throws Exception {
    platform.send(CODEC.toRecord(Topics.ORDERS, EventEnvelope.of(PLATFORM, event))).get(10, TimeUnit.SECONDS);
  }

  /** The orderIds the simulator answered on {@code topic} for the patient, in order, up to and including {@code last}. */
  private static List<String> answeredOrders(String topic, String patientRef, String last) throws Exception {
    List<String> answered = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
        ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (!patientRef.equals(r.key())) {
            continue;
          }
          PathwayEvent data = CODEC.decode(r).data();
          String orderId = data instanceof DiagnosticResult d ? d.orderId() : ((TreatmentOutcome) data).orderId();
          answered.add(orderId);
          if (orderId.equals(last)) {
            return answered;
          }
        }
      }
    }
    throw new AssertionError("No answer to order " + last + " on " + topic + "; answered so far: " + answered);
  }
}
