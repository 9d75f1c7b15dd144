package io.pathway.model;

import io.pathway.model.events.AlertRaised;
import io.pathway.model.events.DiagnosticResult;
import io.pathway.model.events.EnrolmentRequested;
import io.pathway.model.events.FollowUpRecorded;
import io.pathway.model.events.NotificationDelivered;
import io.pathway.model.events.NotificationFailed;
import io.pathway.model.events.OrderCancelled;
import io.pathway.model.events.OrderPlaced;
import io.pathway.model.events.PathwayCompleted;
import io.pathway.model.events.PathwayEvent;
import io.pathway.model.events.RedFlagRaised;
import io.pathway.model.events.ReferralCancelled;
import io.pathway.model.events.ReferralIssued;
import io.pathway.model.events.StageChanged;
import io.pathway.model.events.TreatmentOutcome;
import io.pathway.model.events.WithdrawalRequested;
import java.util.Map;
import java.util.Optional;

/** Maps each {@code ce_type} to its payload type and back. */
public final class EventCatalog {

  private static final Map<String, Class<? extends PathwayEvent>> TYPES = Map.ofEntries(
      Map.entry(EventTypes.ENROLMENT_REQUESTED, EnrolmentRequested.class),
      Map.entry(EventTypes.WITHDRAWAL_REQUESTED, WithdrawalRequested.class),
      Map.entry(EventTypes.DIAGNOSTIC_RESULT, DiagnosticResult.class),
      Map.entry(EventTypes.RED_FLAG_RAISED, RedFlagRaised.class),
      Map.entry(EventTypes.FOLLOW_UP_RECORDED, FollowUpRecorded.class),
      Map.entry(EventTypes.TREATMENT_OUTCOME, TreatmentOutcome.class),
      Map.entry(EventTypes.ORDER_PLACED, OrderPlaced.class),
      Map.entry(EventTypes.ORDER_CANCELLED, OrderCancelled.class),
      Map.entry(EventTypes.REFERRAL_ISSUED, ReferralIssued.class),
      Map.entry(EventTypes.REFERRAL_CANCELLED, ReferralCancelled.class),
      Map.entry(EventTypes.ALERT_RAISED, AlertRaised.class),
      Map.entry(EventTypes.STAGE_CHANGED, StageChanged.class),
      Map.entry(EventTypes.PATHWAY_COMPLETED, PathwayCompleted.class),
      Map.entry(EventTypes.NOTIFICATION_DELIVERED, NotificationDelivered.class),
      Map.entry(EventTypes.NOTIFICATION_FAILED, NotificationFailed.class));

  private EventCatalog() {}

  public static Optional<Class<? extends PathwayEvent>> payloadType(String ceType) {
    return Optional.ofNullable(TYPES.get(ceType));
  }

  public static String typeOf(PathwayEvent event) {
    return TYPES.entrySet().stream()
        .filter(e -> e.getValue() == event.getClass())
        .map(Map.Entry::getKey)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("Not an event of the contract: " + event.getClass()));
  }
}
