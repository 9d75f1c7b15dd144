package io.pathway.notification.delivery;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * Wakes the delivery worker: when an intake (or an escalation) has committed new notifications, and
 * when a sender has become free. A wake-up that comes while the worker is busy is kept and makes its
 * next wait return at once, so none is lost; the worker also looks on its own every poll interval
 * (rows of other replicas, retries that became due).
 */
@Component
class DeliverySignal {

  private final Object lock = new Object();
  private boolean pending;
  private final AtomicLong committedIntakes = new AtomicLong();

  /** Something may be due now. */
  void wake() {
    synchronized (lock) {
      pending = true;
      lock.notifyAll();
    }
  }

  /** New notifications were committed. */
  void intakeCommitted() {
    committedIntakes.incrementAndGet();
    wake();
  }

  /** How many commits with new notifications woke the worker so far. */
  long committedIntakes() {
    return committedIntakes.get();
  }

  /** Waits until woken or {@code max} has passed; a wake-up since the last wait returns at once. */
  void await(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    synchronized (lock) {
      long left;
      while (!pending && (left = deadline - System.nanoTime()) > 0) {
        TimeUnit.NANOSECONDS.timedWait(lock, left);
      }
      pending = false;
    }
  }
}
