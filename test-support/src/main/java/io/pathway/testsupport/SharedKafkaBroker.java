package io.pathway.testsupport;

import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * One real Kafka broker (KRaft mode, in-process) per test JVM, shared by every test class.
 * Topics are created by the applications under test (or by the tests) as they need them.
 */
public final class SharedKafkaBroker {

  private static volatile EmbeddedKafkaBroker broker;

  private SharedKafkaBroker() {}

  public static EmbeddedKafkaBroker get() {
    EmbeddedKafkaBroker b = broker;
    if (b == null) {
      synchronized (SharedKafkaBroker.class) {
        if (broker == null) {
          EmbeddedKafkaKraftBroker started = new EmbeddedKafkaKraftBroker(1, 3);
          started.brokerProperty("auto.create.topics.enable", "true");
          started.brokerProperty("transaction.state.log.replication.factor", "1");
          started.brokerProperty("transaction.state.log.min.isr", "1");
          started.brokerProperty("group.initial.rebalance.delay.ms", "0");
          started.afterPropertiesSet();
          AfterApplicationShutdown.register("kafka-test-broker-stop", started::destroy);
          broker = started;
        }
        b = broker;
      }
    }
    return b;
  }

  public static String bootstrapServers() {
    return get().getBrokersAsString();
  }
}
