package io.pathway.notification.delivery;

import io.pathway.messaging.outbox.OutboxWriter;
import io.pathway.model.EventTypes;
import io.pathway.model.Topics;
import io.pathway.model.codes.AlertType;
import io.pathway.model.codes.Severity;
import io.pathway.model.events.AlertRaised;
import io.pathway.model.events.NotificationDelivered;
import io.pathway.model.events.NotificationFailed;
import io.pathway.model.events.PathwayEvent;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Records the outcome of one attempt: the attempt row, the notification's new status and, in the
 * same transaction, the events that announce it (through the outbox).
 */
@Component
class DeliveryOutcomes {

  private static final Logger log = LoggerFactory.getLogger(DeliveryOutcomes.class);

  private final NotificationStore store;
  private final OutboxWriter outbox;

  DeliveryOutcomes(NotificationStore store, OutboxWriter outbox) {
    this.store = store;
    this.outbox = outbox;
  }

  @Transactional
  public boolean delivered(Notification n, UUID token, Instant started, Instant finished) {
    int attempt = n.attempts() + 1;
    if (!store.markDelivered(n.id(), token, attempt, finished)) {
      return false;
    }
    store.recordAttempt(n.id(), attempt, started, finished, true, null, null);
    publishReport(new NotificationDelivered(n.id().toString(), n.sourceEventId(), n.sourceType(), n.patientRef(),
        n.channel(), n.recipient(), attempt, finished));
    return true;
  }

  /** Records a failed attempt; schedules the next one or, after the last, marks it failed and raises the alarm. */
  @Transactional
  public Status failed(Notification n, UUID token, Instant started, Instant finished, Throwable error, RetryPolicy policy) {
    int attempt = n.attempts() + 1;
    String errorClass = ErrorText.className(error);
    String errorMessage = ErrorText.scrubbedMessage(error);
    String lastError = errorMessage == null ? errorClass : errorClass + ": " + errorMessage;
    var next = policy.nextAttempt(attempt, finished);
    boolean recorded = next.isPresent()
        ? store.markRetry(n.id(), token, attempt, next.get(), truncate(lastError))
        : store.markFailed(n.id(), token, attempt, finished, truncate(lastError));
    if (!recorded) {
      return Status.CLAIM_LOST;
    }
    store.recordAttempt(n.id(), attempt, started, finished, false, errorClass, errorMessage);
    if (next.isPresent()) {
      return Status.RETRY;
    }
    String reason = ErrorText.category(error) + " after " + attempt + " attempts";
    publishReport(new NotificationFailed(n.id().toString(), n.sourceEventId(), n.sourceType(), n.patientRef(), n.channel(),
        n.recipient(), attempt, reason, finished));
    if (n.alertOnFailure()) {
      outbox.append(Topics.ALERTS, new AlertRaised(UUID.randomUUID().toString(), n.pathwayId(), n.patientRef(),
          Severity.CRITICAL, AlertType.ESCALATION, failureMessage(n, attempt), finished));
    } else {
      log.error("Notification {} about an undeliverable notification could not be delivered either; no further alert is raised",
          n.id());
    }
    return Status.FAILED;
  }

  enum Status { RETRY, FAILED, CLAIM_LOST }

  static String failureMessage(Notification n, int attempts) {
    String what = EventTypes.REFERRAL_ISSUED.equals(n.sourceType()) ? "referral"
        : EventTypes.REFERRAL_CANCELLED.equals(n.sourceType()) ? "referral cancellation" : "alert";
    return "A notification could not be delivered: the " + n.priority() + " " + what + " (" + n.category() + ") for "
        + n.recipient() + " by " + n.channel() + " failed after " + attempts + " attempts (notification " + n.id()
        + "). Reach the recipient another way.";
  }

  /** The delivered/failed report is secondary to the delivery itself: if it cannot be written, log and go on. */
  private void publishReport(PathwayEvent report) {
    try {
      outbox.append(Topics.NOTIFICATION_DELIVERIES, report);
    } catch (IllegalArgumentException e) {
      log.error("Could not write a {} report (it breaks the event schema): {}", EventTypes.NOTIFICATION_DELIVERED, e.getMessage());
    }
  }

  private static String truncate(String s) {
    return s.length() > 500 ? s.substring(0, 497) + "..." : s;
  }
}
