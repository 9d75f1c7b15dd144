package io.pathway.notification.delivery;

import io.pathway.model.codes.Channel;
import io.pathway.notification.NotificationProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Sends due notifications, keeping its {@code parallel-sends} senders busy. One dispatcher thread claims
 * as many due rows as there are free senders (a lease on the rows, taken with {@code SKIP LOCKED}, the
 * most urgent first) and hands each to a sender; it claims again as soon as a sender is free, when an
 * intake commits new notifications ({@link DeliverySignal}), and otherwise every poll interval. So a
 * new critical alert waits neither for the next poll nor for a batch of others to finish, and one slow
 * receiver holds one sender, not the rest. Each sender renews the lease of its row just before
 * sending, sends outside any transaction, then records the attempt. A crash between sending and
 * recording means one more attempt after the lease, never a lost notification; a delivered row is
 * never claimed again.
 */
@Component
class DeliveryWorker implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);
  private static final Duration ERROR_PAUSE = Duration.ofSeconds(1);
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private final NotificationStore store;
  private final DeliveryOutcomes outcomes;
  private final MessageRenderer renderer;
  private final Map<Channel, ChannelSender> senders = new EnumMap<>(Channel.class);
  private final DeliveryMetrics metrics;
  private final DeliverySignal signal;
  private final Clock clock;
  private final NotificationProperties.Delivery config;
  private final RetryPolicy policy;
  private final Semaphore freeSenders;
  private final ExecutorService sending;
  private volatile boolean running;
  private volatile Thread dispatcher;

  DeliveryWorker(NotificationStore store, DeliveryOutcomes outcomes, MessageRenderer renderer, List<ChannelSender> senders,
      DeliveryMetrics metrics, DeliverySignal signal, Clock clock, NotificationProperties properties) {
    this.store = store;
    this.outcomes = outcomes;
    this.renderer = renderer;
    senders.forEach(s -> this.senders.put(s.channel(), s));
    this.metrics = metrics;
    this.signal = signal;
    this.clock = clock;
    this.config = properties.delivery();
    this.policy = RetryPolicy.of(config);
    this.freeSenders = new Semaphore(config.parallelSends());
    AtomicInteger threads = new AtomicInteger();
    this.sending = Executors.newFixedThreadPool(config.parallelSends(), r -> {
      Thread t = new Thread(r, "notification-send-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public void start() {
    running = true;
    Thread t = new Thread(this::dispatch, "notification-dispatch");
    t.setDaemon(true);
    dispatcher = t;
    t.start();
  }

  /** Stops claiming, and lets the sends under way finish and be recorded (for a while) before the pool closes. */
  @Override
  public void stop() {
    running = false;
    Thread t = dispatcher;
    if (t != null) {
      t.interrupt();
      try {
        t.join(STOP_GRACE.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    sending.shutdown();
    try {
      if (!sending.awaitTermination(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        sending.shutdownNow(); // what is left comes back after its lease
      }
    } catch (InterruptedException e) {
      sending.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  private void dispatch() {
    while (running) {
      try {
        int free = freeSenders.availablePermits();
        if (free == 0) {
          signal.await(config.pollInterval()); // a sender that finishes wakes us
          continue;
        }
        int wanted = Math.min(free, config.batchSize());
        int claimed = claimAndHandOut(wanted);
        if (claimed < wanted) {
          signal.await(config.pollInterval()); // nothing more due: wait for an intake, a free sender or the poll
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.warn("Could not claim due notifications: {}", e.getClass().getName());
        try {
          signal.await(ERROR_PAUSE.compareTo(config.pollInterval()) > 0 ? ERROR_PAUSE : config.pollInterval());
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Claims up to {@code limit} due rows and gives each to a free sender; returns the number claimed. */
  int claimAndHandOut(int limit) {
    Instant now = clock.instant();
    UUID token = UUID.randomUUID();
    List<Notification> due = store.claimDue(now, now.plus(config.claimTimeout()), token, limit);
    for (Notification n : due) {
      freeSenders.acquireUninterruptibly(); // only this thread takes permits: free ones are there
      try {
        sending.execute(() -> {
          try {
            deliver(n, token);
          } catch (RuntimeException e) {
            // e.g. the database away while recording: the lease brings the row back
            log.warn("Notification {} not recorded: {}", n.id(), e.getClass().getName());
          } finally {
            freeSenders.release();
            signal.wake();
          }
        });
      } catch (RejectedExecutionException e) {
        freeSenders.release(); // stopping: the row comes back after its lease
      }
    }
    return due.size();
  }

  private void deliver(Notification n, UUID token) {
    Instant started = clock.instant();
    if (n.attempts() == 0) {
      metrics.waited(n, Duration.between(n.createdAt(), started));
    }
    if (!store.renewClaim(n.id(), token, started.plus(config.claimTimeout()))) {
      return; // cancelled by an acknowledgement meanwhile, or taken over by another worker after the lease
    }
    try {
      ChannelSender sender = senders.get(n.channel());
      sender.send(n, renderer.render(n));
    } catch (Exception e) {
      DeliveryOutcomes.Status status = outcomes.failed(n, token, started, clock.instant(), e, policy);
      metrics.attempt(n.channel(), status == DeliveryOutcomes.Status.FAILED ? "failed" : "retry");
      if (status == DeliveryOutcomes.Status.FAILED) {
        log.error("Notification {} ({} to {}) FAILED after {} attempts: {}", n.id(), n.channel(), n.recipient(),
            n.attempts() + 1, ErrorText.className(e));
      } else {
        log.warn("Notification {} ({} to {}) attempt {} failed, will retry: {}", n.id(), n.channel(), n.recipient(),
            n.attempts() + 1, ErrorText.className(e));
      }
      return;
    }
    if (outcomes.delivered(n, token, started, clock.instant())) {
      metrics.attempt(n.channel(), "delivered");
      log.info("Notification {} delivered ({} to {}, {} {}, patient {})", n.id(), n.channel(), n.recipient(), n.priority(),
          n.category(), n.patientRef());
    } else {
      log.warn("Notification {} was sent but was no longer claimed by this worker (lease expired or cancelled meanwhile)", n.id());
    }
  }
}
