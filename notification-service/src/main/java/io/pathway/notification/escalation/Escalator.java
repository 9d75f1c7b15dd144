package io.pathway.notification.escalation;

import io.pathway.notification.NotificationProperties;
import io.pathway.notification.delivery.Notification;
import io.pathway.notification.delivery.NotificationStore;
import io.pathway.notification.escalation.EscalationStore.Escalation;
import io.pathway.notification.routing.Destination;
import io.pathway.notification.routing.Router;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps unacknowledged notifications alive. Every {@code renotify-after} it sends a reminder to
 * everyone notified so far; every {@code step-after} it adds the next person on the ladder who has
 * not been notified yet. New notifications are new rows linked to the first one, sent by the
 * delivery worker like any other. An acknowledgement of any of them stops the chain.
 */
@Component
class Escalator {

  private static final Logger log = LoggerFactory.getLogger(Escalator.class);
  private static final int BATCH = 50;

  private final EscalationStore escalations;
  private final NotificationStore notifications;
  private final Router router;
  private final TransactionTemplate tx;
  private final Clock clock;
  private final NotificationProperties.Escalation config;

  Escalator(EscalationStore escalations, NotificationStore notifications, Router router, TransactionTemplate tx, Clock clock,
      NotificationProperties properties) {
    this.escalations = escalations;
    this.notifications = notifications;
    this.router = router;
    this.tx = tx;
    this.clock = clock;
    this.config = properties.escalation();
  }

  @Scheduled(fixedDelayString = "${notification.escalation.poll-interval}", initialDelayString = "PT2S")
  void scheduled() {
    try {
      escalateDue();
    } catch (RuntimeException e) {
      log.warn("Escalation round stopped: {}", e.getClass().getName());
    }
  }

  /** One round: handles every escalation that is due now; returns how many were handled. */
  int escalateDue() {
    int total = 0;
    int handled;
    do {
      Integer n = tx.execute(status -> {
        Instant now = clock.instant();
        List<Escalation> due = escalations.lockDue(now, BATCH);
        due.forEach(e -> escalate(e, now));
        return due.size();
      });
      handled = n == null ? 0 : n;
      total += handled;
    } while (handled == BATCH);
    return total;
  }

  private void escalate(Escalation e, Instant now) {
    List<Notification> sent = notifications.forSourceEvent(e.sourceEventId());
    Notification original = sent.stream().filter(n -> n.id().equals(e.originalNotificationId())).findFirst()
        .orElse(sent.get(0));
    int round = e.renotifyRound();
    Instant nextRenotify = e.nextRenotifyAt();
    int step = e.ladderStep();
    Instant nextStep = e.nextStepAt();

    if (nextRenotify != null && !nextRenotify.isAfter(now)) {
      round++;
      Set<Destination> everyone = new LinkedHashSet<>();
      sent.stream().filter(n -> n.round() == 0).forEach(n -> everyone.add(new Destination(n.recipient(), n.channel())));
      for (Destination d : everyone) {
        notifications.insert(original.copyFor(d.recipient(), d.channel(), round, 0, original.id(), now));
      }
      nextRenotify = now.plus(config.renotifyAfter());
      log.info("Event {} not acknowledged: reminder {} to {} recipient channel(s)", e.sourceEventId(), round, everyone.size());
    }
    if (nextStep != null && !nextStep.isAfter(now)) {
      Set<String> notified = new LinkedHashSet<>();
      sent.forEach(n -> notified.add(n.recipient()));
      String next = config.ladder().stream().filter(r -> !notified.contains(r)).findFirst().orElse(null);
      if (next == null) {
        nextStep = null;
        log.warn("Event {} not acknowledged and the escalation ladder is exhausted; reminders continue", e.sourceEventId());
      } else {
        step++;
        for (Destination d : router.destinationsOf(next)) {
          notifications.insert(original.copyFor(d.recipient(), d.channel(), 0, step, original.id(), now));
        }
        nextStep = now.plus(config.stepAfter());
        log.warn("Event {} not acknowledged: escalated to {} (step {})", e.sourceEventId(), next, step);
      }
    }
    escalations.update(e.next(round, nextRenotify, step, nextStep));
  }
}
