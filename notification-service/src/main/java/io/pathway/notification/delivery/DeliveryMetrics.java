package io.pathway.notification.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.pathway.model.codes.Channel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * {@code notification_deliveries_total{channel,status}} (status delivered, retry or failed),
 * {@code notification_pending}, {@code notification_pending_oldest_age_seconds} and
 * {@code notification_delivery_wait_seconds}. The gauges read a
 * summary refreshed every few seconds, so a scrape never waits on the database.
 */
@Component
class DeliveryMetrics {

  private final MeterRegistry registry;
  private final NotificationStore store;
  private final Clock clock;
  private final AtomicReference<NotificationStore.PendingSummary> pending =
      new AtomicReference<>(new NotificationStore.PendingSummary(0, null));

  DeliveryMetrics(MeterRegistry registry, NotificationStore store, Clock clock) {
    this.registry = registry;
    this.store = store;
    this.clock = clock;
    Gauge.builder("notification.pending", pending, p -> p.get().count())
        .description("Notifications not yet delivered nor failed")
        .register(registry);
    Gauge.builder("notification.pending.oldest.age", pending, p -> oldestAgeSeconds(p.get()))
        .description("Age of the oldest pending notification")
        .baseUnit("seconds")
        .register(registry);
  }

  void attempt(Channel channel, String status) {
    Counter.builder("notification.deliveries")
        .description("Delivery attempts by channel and outcome")
        .tag("channel", channel.name().toLowerCase(Locale.ROOT))
        .tag("status", status)
        .register(registry)
        .increment();
  }

  /** {@code notification_delivery_wait_seconds{urgency}}: created to the first attempt's start (waiting for the worker). */
  void waited(Notification n, Duration wait) {
    Timer.builder("notification.delivery.wait")
        .description("Time from a notification's creation to the start of its first delivery attempt")
        .tag("urgency", switch (n.urgencyRank()) {
          case 0 -> "critical";
          case 1 -> "high";
          default -> "routine";
        })
        .publishPercentileHistogram()
        .register(registry)
        .record(wait.isNegative() ? Duration.ZERO : wait);
  }

  @Scheduled(fixedDelay = 5000, initialDelay = 1000)
  void refresh() {
    try {
      pending.set(store.pendingSummary());
    } catch (RuntimeException e) {
      // keep the last value; the database being away is visible in the health endpoint
    }
  }

  private double oldestAgeSeconds(NotificationStore.PendingSummary p) {
    Instant oldest = p.oldest();
    return oldest == null ? 0 : Math.max(0, Duration.between(oldest, clock.instant()).toMillis() / 1000.0);
  }
}
