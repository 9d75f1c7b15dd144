package io.pathway.service.intake;

import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.stereotype.Component;

/**
 * Start-up waits, after the Kafka listener containers have started, until each of their consumers has
 * had its first partition assignment (at most {@code pathway.warmup.assignment-wait}, 30 s): readiness
 * reports UP only when the service consumes, so the first red flags after a start do not sit in the
 * topic while the group forms (measured at up to 2.5 s after readiness before, docs/benchmarks.md).
 * An assignment may be empty (more consumers than partitions); what counts is that the group has formed.
 * A broker that is away at start delays readiness by the wait, not longer. Spring Boot sets this bean
 * as the rebalance listener of every container it builds.
 */
@Component
class ConsumersAssigned implements ConsumerAwareRebalanceListener, SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(ConsumersAssigned.class);
  /** After the listener containers ({@code Integer.MAX_VALUE - 100}), before the web server. */
  static final int PHASE = Integer.MAX_VALUE - 50;

  private final KafkaListenerEndpointRegistry registry;
  private final Duration maxWait;
  private final Set<Consumer<?, ?>> assigned = ConcurrentHashMap.newKeySet();
  private volatile boolean running;
  private volatile long waitedMillis = -1;

  ConsumersAssigned(KafkaListenerEndpointRegistry registry, @Value("${pathway.warmup.assignment-wait:PT30S}") Duration maxWait) {
    this.registry = registry;
    this.maxWait = maxWait;
  }

  @Override
  public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
    assigned.add(consumer);
    synchronized (this) {
      notifyAll();
    }
  }

  @Override
  public void start() {
    long t0 = System.nanoTime();
    long deadline = t0 + maxWait.toNanos();
    int expected = expectedConsumers();
    synchronized (this) {
      long left;
      while (assigned.size() < expected && (left = deadline - System.nanoTime()) > 0) {
        try {
          wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    waitedMillis = (System.nanoTime() - t0) / 1_000_000;
    if (assigned.size() < expected) {
      log.warn("Only {} of {} Kafka consumers had their partitions after {} ms; ready anyway, they join when the broker answers",
          assigned.size(), expected, waitedMillis);
    } else {
      log.info("All {} Kafka consumers had their partitions {} ms after the listeners started", expected, waitedMillis);
    }
    running = true;
  }

  /** How long start-up waited for the assignments, or -1 before it did. */
  long waitedMillis() {
    return waitedMillis;
  }

  /** Consumers that have had an assignment so far. */
  int assignedConsumers() {
    return assigned.size();
  }

  int expectedConsumers() {
    int n = 0;
    for (MessageListenerContainer c : registry.getListenerContainers()) {
      if (c.isRunning()) {
        n += c instanceof ConcurrentMessageListenerContainer<?, ?> cc ? cc.getConcurrency() : 1;
      }
    }
    return n;
  }

  @Override
  public void stop() {
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}
