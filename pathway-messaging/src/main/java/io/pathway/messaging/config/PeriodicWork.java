package io.pathway.messaging.config;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Work a service does in the background on one named daemon thread, with a fixed delay between rounds, started
 * and stopped with the application (the retention purge, the table upkeep). A round that fails is logged by its
 * exception's class only (never its message, which may hold data) and the next one runs as planned. Stopping
 * interrupts a round in progress.
 */
public abstract class PeriodicWork implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(PeriodicWork.class);

  private final String name;
  private volatile ScheduledExecutorService scheduler;

  protected PeriodicWork(String name) {
    this.name = name;
  }

  /** One round. */
  protected abstract void round();

  /** Time between the end of a round and the start of the next. */
  protected abstract Duration interval();

  /** Time before the first round (the interval unless a subclass says otherwise). */
  protected Duration firstDelay() {
    return interval();
  }

  /** Whether the work runs at all. */
  protected boolean enabled() {
    return true;
  }

  private void runRound() {
    try {
      round();
    } catch (RuntimeException e) {
      log.warn("{} round failed, next round in {}: {}", name, interval(), e.getClass().getSimpleName());
    }
  }

  @Override
  public void start() {
    if (!enabled()) {
      return;
    }
    ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
    s.scheduleWithFixedDelay(this::runRound, firstDelay().toMillis(), interval().toMillis(), TimeUnit.MILLISECONDS);
    scheduler = s;
  }

  @Override
  public void stop() {
    ScheduledExecutorService s = scheduler;
    scheduler = null;
    if (s != null) {
      s.shutdownNow();
    }
  }

  @Override
  public boolean isRunning() {
    return scheduler != null;
  }
}
