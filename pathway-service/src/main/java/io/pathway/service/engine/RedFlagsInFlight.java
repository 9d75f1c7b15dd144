package io.pathway.service.engine;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Counts the red-flag work running in this service now (a red-flag report's inbound transaction, a batch of the
 * escalation's jobs on the red-flag lane), so that routine jobs can stand aside for it: a routine job about to
 * start waits while red-flag work runs, at most {@code pathway.jobs.routine-yield} (default 200 ms), then runs
 * anyway. Routine work is delayed, never stopped; with no red flag in flight nothing waits. On two cores, after a
 * restart with a backlog to catch up, up to ten routine jobs beside a red flag's inbound transaction doubled its
 * time (docs/benchmarks.md). The consumers' transactions of routine records stand aside the same way. Each wait
 * is recorded in the timer {@code pathway_routine_yield_seconds}, tagged with the work that waited.
 */
@Component
public class RedFlagsInFlight {

  private final long maxYieldNanos;
  private final MeterRegistry meters;
  private int running;

  @Autowired
  public RedFlagsInFlight(@Value("${pathway.jobs.routine-yield:PT0.2S}") Duration maxYield, ObjectProvider<MeterRegistry> meters) {
    this.maxYieldNanos = Math.max(0, maxYield.toNanos());
    this.meters = meters == null ? null : meters.getIfAvailable();
  }

  /** Without metrics (tests). */
  public RedFlagsInFlight(Duration maxYield) {
    this(maxYield, null);
  }

  /** Red-flag work begins; every {@code begin} is followed by one {@link #end()}. */
  public synchronized void begin() {
    running++;
  }

  /** Red-flag work ended. */
  public synchronized void end() {
    if (running > 0) {
      running--;
    }
    if (running == 0) {
      notifyAll();
    }
  }

  /** Whether red-flag work is running now. */
  public synchronized boolean any() {
    return running > 0;
  }

  /**
   * Waits while red-flag work runs, at most the configured yield; returns how long it waited (nanoseconds).
   * Called by routine work before it starts, never inside a transaction.
   *
   * @param work what waits ({@code job}, {@code inbound}): the tag of the wait in the timer
   */
  public long yieldToRedFlags(String work) {
    if (!any()) {
      return 0; // the common case: no lock held while waiting, no timer
    }
    long waited = yieldToRedFlags();
    if (meters != null) {
      Timer.builder("pathway_routine_yield_seconds").description("Routine work held back while red-flag work ran")
          .tag("work", work).register(meters).record(waited, TimeUnit.NANOSECONDS);
    }
    return waited;
  }

  /** {@link #yieldToRedFlags(String)} without recording the wait. */
  public long yieldToRedFlags() {
    long start = System.nanoTime();
    synchronized (this) {
      long left = maxYieldNanos;
      while (running > 0 && left > 0) {
        try {
          wait(Math.max(1, left / 1_000_000), 0);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
        left = maxYieldNanos - (System.nanoTime() - start);
      }
    }
    return System.nanoTime() - start;
  }
}
