package io.pathway.service.intake;

import io.pathway.model.Topics;
import java.util.List;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.ProducerFactory;

/** The shared producer's connection and the metadata of the outbound topics; nothing is sent. */
final class ProducerWarmUp implements WarmUpStep {

  private static final Logger log = LoggerFactory.getLogger(ProducerWarmUp.class);
  static final List<String> OUTBOUND = List.of(Topics.REFERRALS, Topics.ALERTS, Topics.STATUS, Topics.ORDERS);

  private final ProducerFactory<String, byte[]> kafka;

  ProducerWarmUp(ProducerFactory<String, byte[]> kafka) {
    this.kafka = kafka;
  }

  @Override
  public String counts() {
    return "outbound topics' metadata fetched";
  }

  @Override
  public int run() {
    int n = 0;
    // the factory's shared producer, the one the outbox relay sends with; asking for metadata sends nothing
    try (Producer<String, byte[]> producer = kafka.createProducer()) {
      for (String topic : OUTBOUND) {
        producer.partitionsFor(topic);
        n++;
      }
    } catch (RuntimeException e) {
      log.warn("Warm-up: no topic metadata ({}); the relay will fetch it on first send", e.getClass().getSimpleName());
    }
    return n;
  }
}
