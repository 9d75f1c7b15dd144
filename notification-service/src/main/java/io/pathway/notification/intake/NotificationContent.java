package io.pathway.notification.intake;

import io.pathway.model.events.AlertRaised;
import io.pathway.model.events.ReferralCancelled;
import io.pathway.model.events.ReferralIssued;
import io.pathway.notification.routing.RoutingKey;
import java.time.Instant;
import java.util.Locale;

/**
 * What a notification says, taken from the event: the headline, the details, the priority and
 * category. Only fields of the event are used, and the events carry no direct identifiers.
 *
 * @param referralId the referral a referral or its cancellation is about, null for alerts
 */
record NotificationContent(String pathwayId, String priority, String category, String headline, String details, RoutingKey key,
    String referralId) {

  /** The category of a referral cancellation: a withdrawn referral, whatever its reason. */
  static final String REFERRAL_CANCELLED = "REFERRAL_CANCELLED";

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
        RoutingKey.referral(r.urgency()), r.referralId());
  }

  /** A withdrawn referral: the headline and the first line say so, the second why. */
  static NotificationContent of(ReferralCancelled c) {
    String urgency = words(c.urgency().name());
    StringBuilder details = new StringBuilder();
    details.append("WITHDRAWN: the ").append(urgency).append(" surgical referral ").append(c.referralId())
        .append(" is cancelled. Do not book a consult or plan surgery on it.\n");
    details.append("Why: ").append(switch (c.reason()) {
      case RED_FLAG -> "a red flag interrupted the pathway"
          + (c.supersededBy() == null ? "" : "; the patient is referred again, urgency " + c.supersededBy()
              + ", by a separate referral, which stands");
      case WITHDRAWN -> "the patient was withdrawn from the pathway or transferred out";
      case EVIDENCE_WITHDRAWN -> "a corrected result withdrew the evidence the referral rested on";
    }).append(".\n");
    details.append("Reason code: ").append(c.reason()).append('\n');
    details.append("Cancelled at: ").append(time(c.cancelledAt()));
    String headline = capitalise(c.urgency().name()) + " surgical referral withdrawn: " + switch (c.reason()) {
      case RED_FLAG -> "red flag";
      case WITHDRAWN -> "patient withdrawn or transferred out";
      case EVIDENCE_WITHDRAWN -> "evidence withdrawn";
    };
    return new NotificationContent(c.pathwayId(), c.urgency().name(), REFERRAL_CANCELLED, headline, details.toString(),
        RoutingKey.referral(c.urgency()), c.referralId());
  }

  static NotificationContent of(AlertRaised a) {
    String details = a.message() + "\n\nAlert " + a.alertId() + ", severity " + a.severity() + ", type " + a.type()
        + ", raised at " + time(a.raisedAt()) + ".";
    String headline = capitalise(a.severity().name()) + " alert: " + words(a.type().name());
    return new NotificationContent(a.pathwayId(), a.severity().name(), a.type().name(), headline, details,
        RoutingKey.alert(a.severity(), a.type()), null);
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
