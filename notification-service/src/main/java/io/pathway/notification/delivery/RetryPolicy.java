package io.pathway.notification.delivery;

import io.pathway.notification.NotificationProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Exponential back-off between attempts, bounded by a maximum wait and a maximum number of attempts. */
record RetryPolicy(Duration initialBackoff, double multiplier, Duration maxBackoff, int maxAttempts) {

  static RetryPolicy of(NotificationProperties.Delivery d) {
    return new RetryPolicy(d.initialBackoff(), d.multiplier(), d.maxBackoff(), d.maxAttempts());
  }

  /** When to try again after {@code attemptsMade} failed attempts, or empty when that was the last one. */
  Optional<Instant> nextAttempt(int attemptsMade, Instant now) {
    if (attemptsMade >= maxAttempts) {
      return Optional.empty();
    }
    double millis = initialBackoff.toMillis() * Math.pow(multiplier, Math.max(0, attemptsMade - 1));
    long wait = (long) Math.min(millis, maxBackoff.toMillis());
    return Optional.of(now.plusMillis(wait));
  }
}
