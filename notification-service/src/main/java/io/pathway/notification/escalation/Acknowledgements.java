package io.pathway.notification.escalation;

import io.pathway.notification.delivery.Notification;
import io.pathway.notification.delivery.NotificationStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Acknowledging a notification: who and when, and the end of the reminders and escalations of its event. */
@Component
public class Acknowledgements {

  private static final Logger log = LoggerFactory.getLogger(Acknowledgements.class);

  private final NotificationStore notifications;
  private final EscalationStore escalations;
  private final Clock clock;

  Acknowledgements(NotificationStore notifications, EscalationStore escalations, Clock clock) {
    this.notifications = notifications;
    this.escalations = escalations;
    this.clock = clock;
  }

  /** Acknowledges; empty when there is no such notification. Acknowledging twice keeps the first. */
  @Transactional
  public Optional<Notification> acknowledge(UUID id, String by) {
    Optional<Notification> found = notifications.find(id);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Notification n = found.get();
    Instant now = clock.instant();
    if (notifications.acknowledge(id, by, now)) {
      boolean stopped = escalations.acknowledge(n.sourceEventId(), id, by, now);
      int cancelled = stopped ? notifications.cancelPendingFollowUps(n.sourceEventId()) : 0;
      log.info("Notification {} acknowledged by {}{}", id, by,
          stopped ? "; escalation of event " + n.sourceEventId() + " stopped, " + cancelled + " pending follow-up(s) cancelled" : "");
    }
    return notifications.find(id);
  }
}
