package io.pathway.service.intake;

import io.pathway.model.envelope.EventCodec;
import io.pathway.service.intake.InboundDispatcher;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Warms what the first red flags after a start would otherwise pay for, before the Kafka listeners start and so
 * before readiness reports UP (readiness follows the end of start-up, and this runs inside it, in a lifecycle phase
 * before the listener containers'). Nothing here writes: no event, no history, no row. One class per step, run in
 * this order: {@link DefinitionCacheWarmUp}, {@link DecisionWarmUp}, {@link CodecWarmUp}, {@link ProducerWarmUp},
 * {@link PoolWarmUp}, {@link RedFlagWarmUp}.
 * <p>
 * Off with {@code pathway.warmup.enabled=false}; the red-flag rounds with {@code pathway.warmup.red-flag-rounds=0}.
 */
@Component
@ConditionalOnProperty(name = "pathway.warmup.enabled", havingValue = "true", matchIfMissing = true)
class WarmUp implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(WarmUp.class);
  static final URI SOURCE = URI.create("urn:pathway:warm-up");
  /** Before the Kafka listener containers ({@code Integer.MAX_VALUE - 100}), after the engine and the pool. */
  static final int PHASE = Integer.MAX_VALUE - 200;

  private final List<WarmUpStep> steps;
  private final RedFlagWarmUp redFlags;
  private final ObjectProvider<KafkaListenerEndpointRegistry> listeners;
  private volatile boolean running;
  private volatile long tookMillis = -1;
  private volatile Boolean listenersRunningAtFirstRun;

  WarmUp(RepositoryService repository, EventCodec codec, ProducerFactory<String, byte[]> kafka, JdbcTemplate jdbc,
      TransactionTemplate tx, InboundDispatcher dispatcher, ManagementService management,
      @Value("${pathway.warmup.codec-rounds:300}") int codecRounds,
      @Value("${pathway.warmup.red-flag-rounds:30}") int redFlagRounds,
      @Value("${pathway.warmup.red-flag-budget:PT1S}") Duration redFlagBudget,
      ObjectProvider<KafkaListenerEndpointRegistry> listeners) {
    this.listeners = listeners;
    this.redFlags = new RedFlagWarmUp(jdbc, tx, dispatcher, management, redFlagRounds, redFlagBudget);
    this.steps = List.of(new DefinitionCacheWarmUp(repository), new DecisionWarmUp(repository), new CodecWarmUp(codec, codecRounds),
        new ProducerWarmUp(kafka), new PoolWarmUp(jdbc), redFlags);
  }

  @Override
  public void start() {
    long t0 = System.nanoTime();
    List<String> done = new ArrayList<>();
    for (WarmUpStep step : steps) {
      done.add(step.run() + " " + step.counts());
    }
    tookMillis = (System.nanoTime() - t0) / 1_000_000;
    log.info("Warm-up done in {} ms: {}; the red flags on {} database sessions ({} confirmation tasks opened, {} jobs run, "
        + "all rolled back)", tookMillis, String.join(", ", done), redFlags.heldConnections() + 1, redFlags.tasksOpened(),
        redFlags.jobsRun());
    if (listenersRunningAtFirstRun == null) {
      listenersRunningAtFirstRun = listeners.stream().flatMap(r -> r.getListenerContainers().stream())
          .anyMatch(MessageListenerContainer::isRunning);
    }
    running = true;
  }

  /** The steps, in the order they run. */
  List<WarmUpStep> steps() {
    return steps;
  }

  /** The red-flag step, whose rounds the tests check. */
  RedFlagWarmUp redFlags() {
    return redFlags;
  }

  /** Whether any Kafka listener was consuming when the start-up warm-up finished (null before it ran). */
  Boolean listenersRunningAtFirstRun() {
    return listenersRunningAtFirstRun;
  }

  /** How long the warm-up took, or -1 before it ran. */
  long tookMillis() {
    return tookMillis;
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
