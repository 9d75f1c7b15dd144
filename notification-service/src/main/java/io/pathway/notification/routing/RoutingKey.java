package io.pathway.notification.routing;

import io.pathway.model.EventTypes;
import io.pathway.model.codes.AlertType;
import io.pathway.model.codes.Severity;
import io.pathway.model.codes.Urgency;

/**
 * What routing looks at: the event type and its urgency (referrals) or severity and alert type (alerts).
 *
 * @param urgency set for referrals, null otherwise
 * @param severity set for alerts, null otherwise
 * @param alertType set for alerts, null otherwise
 */
public record RoutingKey(String eventType, Urgency urgency, Severity severity, AlertType alertType) {

  public static RoutingKey referral(Urgency urgency) {
    return new RoutingKey(EventTypes.REFERRAL_ISSUED, urgency, null, null);
  }

  public static RoutingKey alert(Severity severity, AlertType type) {
    return new RoutingKey(EventTypes.ALERT_RAISED, null, severity, type);
  }

  @Override
  public String toString() {
    return eventType + (urgency != null ? " " + urgency : "") + (severity != null ? " " + severity : "")
        + (alertType != null ? " " + alertType : "");
  }
}
