package io.pathway.notification.intake;

import io.pathway.messaging.inbox.ProcessedEvents;
import io.pathway.model.codes.AlertType;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.model.events.AlertRaised;
import io.pathway.model.events.ReferralCancelled;
import io.pathway.model.events.ReferralIssued;
import io.pathway.notification.NotificationProperties;
import io.pathway.notification.delivery.Notification;
import io.pathway.notification.delivery.NotificationStore;
import io.pathway.notification.escalation.EscalationStore;
import io.pathway.notification.routing.Destination;
import io.pathway.notification.routing.Router;
import io.pathway.notification.routing.RoutingDecision;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Turns one referral or alert into pending notifications, in one transaction with its
 * {@code processed_event} row: after the commit the event is safely in the delivery log, and a
 * second delivery of the same {@code ce_id} finds it there and does nothing. Sending comes later.
 */
@Component
class IntakeHandler {

  private static final Logger log = LoggerFactory.getLogger(IntakeHandler.class);

  private final ProcessedEvents processed;
  private final Router router;
  private final NotificationStore notifications;
  private final EscalationStore escalations;
  private final NotificationProperties properties;
  private final Clock clock;

  IntakeHandler(ProcessedEvents processed, Router router, NotificationStore notifications, EscalationStore escalations,
      NotificationProperties properties, Clock clock) {
    this.processed = processed;
    this.router = router;
    this.notifications = notifications;
    this.escalations = escalations;
    this.properties = properties;
    this.clock = clock;
  }

  @Transactional
  public void referral(EventEnvelope event, String topic) {
    accept(event, topic, NotificationContent.of(event.dataAs(ReferralIssued.class)), true);
  }

  /**
   * A withdrawn referral goes to the recipients and channels its referral went to (from the delivery log), and what is
   * still to be sent about that referral is cancelled, so that it never arrives after its withdrawal. A cancellation
   * whose referral is not in the log (never seen, or from before the log kept referral ids) is not lost: it goes to
   * the recipients the routing rules give a referral of that urgency now.
   */
  @Transactional
  public void referralCancelled(EventEnvelope event, String topic) {
    if (!processed.claim(event, topic)) {
      log.info("Event {} ({}) already processed: nothing to do", event.id(), event.type());
      return;
    }
    ReferralCancelled cancelled = event.dataAs(ReferralCancelled.class);
    NotificationContent content = NotificationContent.of(cancelled);
    String urgency = cancelled.urgency().name();
    List<Destination> referralWentTo = notifications.referralDestinations(cancelled.referralId(), urgency, cancelled.patientRef());
    RoutingDecision route = router.route(content.key());
    int withheld = notifications.cancelPendingOfReferral(cancelled.referralId(), urgency, cancelled.patientRef());
    if (referralWentTo.isEmpty()) {
      log.warn("Referral cancellation {}: its {} referral is not in the delivery log; sent to the recipients of the routing rules",
          event.id(), urgency);
    }
    write(event, content, referralWentTo.isEmpty() ? route.destinations() : referralWentTo, route.requiresAcknowledgement(), true,
        referralWentTo.isEmpty() ? "ACCEPTED_UNMATCHED" : "ACCEPTED");
    if (withheld > 0) {
      log.info("Referral cancellation {}: {} notification(s) of the withdrawn referral not yet sent are cancelled", event.id(), withheld);
    }
  }

  @Transactional
  public void alert(EventEnvelope event, String topic) {
    AlertRaised alert = event.dataAs(AlertRaised.class);
    // Loop guard: this service's own alert about an undeliverable notification raises no further alert if it fails too.
    boolean ownFailureAlert = alert.type() == AlertType.ESCALATION && properties.sourceUri().equals(event.source());
    accept(event, topic, NotificationContent.of(alert), !ownFailureAlert);
  }

  private void accept(EventEnvelope event, String topic, NotificationContent content, boolean alertOnFailure) {
    if (!processed.claim(event, topic)) {
      log.info("Event {} ({}) already processed: nothing to do", event.id(), event.type());
      return;
    }
    RoutingDecision decision = router.route(content.key());
    write(event, content, decision.destinations(), decision.requiresAcknowledgement(), alertOnFailure, "ACCEPTED");
  }

  /** The pending notifications of a claimed event, one per destination, and the escalation if it needs acknowledging. */
  private void write(EventEnvelope event, NotificationContent content, List<Destination> destinations, boolean acknowledge,
      boolean alertOnFailure, String outcome) {
    Instant now = clock.instant();
    Notification first = null;
    for (Destination d : destinations) {
      Notification n = Notification.pending(event.id(), event.type(), event.data().patientRef(), content.pathwayId(),
          content.priority(), content.category(), content.headline(), content.details(), d.recipient(), d.channel(), 0, 0,
          null, acknowledge, alertOnFailure, now);
      if (notifications.insert(n, content.referralId()) && first == null) {
        first = n;
      }
    }
    if (acknowledge && first != null) {
      escalations.open(event.id(), first.id(), now);
    }
    processed.recordOutcome(event, outcome, content.pathwayId());
    log.info("Event {} ({} {}, patient {}) accepted: {} notification(s){}", event.id(), content.priority(), content.category(),
        event.data().patientRef(), destinations.size(), acknowledge ? ", acknowledgement required" : "");
  }
}
