package io.pathway.notification.delivery;

import io.pathway.model.codes.Channel;
import io.pathway.notification.NotificationProperties;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.DisposableBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Sends due notifications. It claims a batch (a lease on the rows, taken with {@code SKIP LOCKED}),
 * renews the lease of each row just before sending it, sends outside any transaction, then records
 * the attempt. A crash between sending and
 * recording means one more attempt after the lease, never a lost notification; a delivered row is
 * never claimed again. The rows of a batch are sent by {@code parallel-sends} threads at once, so one
 * slow receiver or a burst (six notifications per red flag) does not queue every other notice behind it.
 */
@Component
class DeliveryWorker implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);

  private final NotificationStore store;
  private final DeliveryOutcomes outcomes;
  private final MessageRenderer renderer;
  private final Map<Channel, ChannelSender> senders = new EnumMap<>(Channel.class);
  private final DeliveryMetrics metrics;
  private final Clock clock;
  private final NotificationProperties.Delivery config;
  private final RetryPolicy policy;

  DeliveryWorker(NotificationStore store, DeliveryOutcomes outcomes, MessageRenderer renderer, List<ChannelSender> senders,
      DeliveryMetrics metrics, Clock clock, NotificationProperties properties) {
    this.store = store;
    this.outcomes = outcomes;
    this.renderer = renderer;
    senders.forEach(s -> this.senders.put(s.channel(), s));
    this.metrics = metrics;
    this.clock = clock;
    this.config = properties.delivery();
    this.policy = RetryPolicy.of(config);
    AtomicInteger threads = new AtomicInteger();
    this.sending = Executors.newFixedThreadPool(config.parallelSends(), r -> {
      Thread t = new Thread(r, "notification-send-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  private final ExecutorService sending;

  @Override
  public void destroy() {
    sending.shutdownNow();
  }

  @Scheduled(fixedDelayString = "${notification.delivery.poll-interval}", initialDelayString = "PT1S")
  void deliverDue() {
    try {
      int claimed;
      do {
        claimed = deliverBatch();
      } while (claimed == config.batchSize());
    } catch (RuntimeException e) {
      log.warn("Delivery round stopped: {}", e.getClass().getName());
    }
  }

  /** Claims and sends one batch; returns the number claimed. */
  int deliverBatch() {
    Instant now = clock.instant();
    UUID token = UUID.randomUUID();
    List<Notification> due = store.claimDue(now, now.plus(config.claimTimeout()), token, config.batchSize());
    if (due.size() == 1 || config.parallelSends() == 1) {
      due.forEach(n -> deliver(n, token));
      return due.size();
    }
    List<Future<?>> sends = due.stream().<Future<?>>map(n -> sending.submit(() -> deliver(n, token))).toList();
    RuntimeException failure = null;
    for (Future<?> send : sends) {
      try {
        send.get();
      } catch (ExecutionException e) {
        failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while sending", e);
      }
    }
    if (failure != null) {
      throw failure; // e.g. the database away while recording: the round stops, the leases bring the rows back
    }
    return due.size();
  }

  private void deliver(Notification n, UUID token) {
    Instant started = clock.instant();
    if (!store.renewClaim(n.id(), token, started.plus(config.claimTimeout()))) {
      return; // cancelled by an acknowledgement, or taken over by another worker after a long batch
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
