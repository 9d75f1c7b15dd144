package io.pathway.notification.intake;

import io.pathway.model.events.AlertRaised;
import io.pathway.model.events.ReferralIssued;
import io.pathway.notification.routing.RoutingKey;
import java.time.Instant;
import java.util.Locale;

/**
 * What a notification says, taken from the event: the headline, the details, the priority and
 * category. Only fields of the event are used, and the events carry no direct identifiers.
 */
record NotificationContent(String pathwayId, String priority, String category, String headline, String details, RoutingKey key) {

  static NotificationContent of(ReferralIssued r) {
    StringBuilder details = new StringBuilder();
    details.append("Surgical referral ").append(r.referralId()).append(", urgency ").append(r.urgency()).append(".\n");
    details.append("Reason: ").append(words(r.reason().name())).append('\n');
    if (r.suggestedProcedure() != null && !r.suggestedProcedure().isBlank()) {
      details.append("Suggested procedure: ").append(r.suggestedProcedure()).append('\n');
    }
    details.append("Issued at: ").append(time(r.issuedAt())).append('\n');
    if (!r.evidence().isEmpty()) {
      details.append("Evidence:\n");
      r.evidence().forEach(e -> details.append("  - ").append(e).append('\n'));
    }
    String headline = capitalise(r.urgency().name()) + " surgical referral: " + words(r.reason().name());
    return new NotificationContent(r.pathwayId(), r.urgency().name(), r.reason().name(), headline, details.toString().strip(),
        RoutingKey.referral(r.urgency()));
  }

  static NotificationContent of(AlertRaised a) {
    String details = a.message() + "\n\nAlert " + a.alertId() + ", severity " + a.severity() + ", type " + a.type()
        + ", raised at " + time(a.raisedAt()) + ".";
    String headline = capitalise(a.severity().name()) + " alert: " + words(a.type().name());
    return new NotificationContent(a.pathwayId(), a.severity().name(), a.type().name(), headline, details,
        RoutingKey.alert(a.severity(), a.type()));
  }

  private static String time(Instant at) {
    return at == null ? "(not given)" : at.toString();
  }

  private static String words(String code) {
    return code.toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  private static String capitalise(String code) {
    String w = words(code);
    return Character.toUpperCase(w.charAt(0)) + w.substring(1);
  }
}
