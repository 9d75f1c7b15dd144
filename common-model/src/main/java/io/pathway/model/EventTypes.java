package io.pathway.model;

import java.util.List;
import java.util.Map;

/**
 * The {@code ce_type} of every event of the contract. BPMN message names are these same strings.
 */
public final class EventTypes {

  public static final String ENROLMENT_REQUESTED = "pathway.enrolment.requested.v1";
  public static final String WITHDRAWAL_REQUESTED = "pathway.withdrawal.requested.v1";
  public static final String DIAGNOSTIC_RESULT = "pathway.diagnostic.result.v1";
  public static final String RED_FLAG_RAISED = "pathway.redflag.raised.v1";
  public static final String FOLLOW_UP_RECORDED = "pathway.followup.recorded.v1";
  public static final String TREATMENT_OUTCOME = "pathway.treatment.outcome.v1";
  public static final String ORDER_PLACED = "pathway.order.placed.v1";
  public static final String ORDER_CANCELLED = "pathway.order.cancelled.v1";
  public static final String REFERRAL_ISSUED = "pathway.referral.issued.v1";
  public static final String REFERRAL_CANCELLED = "pathway.referral.cancelled.v1";
  public static final String ALERT_RAISED = "pathway.alert.raised.v1";
  public static final String STAGE_CHANGED = "pathway.stage.changed.v1";
  public static final String PATHWAY_COMPLETED = "pathway.completed.v1";
  public static final String NOTIFICATION_DELIVERED = "notification.delivered.v1";
  public static final String NOTIFICATION_FAILED = "notification.failed.v1";

  /** Which event types may appear on which topic. */
  public static final Map<String, List<String>> BY_TOPIC = Map.of(
      Topics.PATHWAY_ENROLMENTS, List.of(ENROLMENT_REQUESTED, WITHDRAWAL_REQUESTED),
      Topics.DIAGNOSTIC_RESULTS, List.of(DIAGNOSTIC_RESULT),
      Topics.CLINICAL_OBSERVATIONS, List.of(RED_FLAG_RAISED, FOLLOW_UP_RECORDED),
      Topics.TREATMENT_OUTCOMES, List.of(TREATMENT_OUTCOME),
      Topics.ORDERS, List.of(ORDER_PLACED, ORDER_CANCELLED),
      Topics.REFERRALS, List.of(REFERRAL_ISSUED, REFERRAL_CANCELLED),
      Topics.ALERTS, List.of(ALERT_RAISED),
      Topics.STATUS, List.of(STAGE_CHANGED, PATHWAY_COMPLETED),
      Topics.NOTIFICATION_DELIVERIES, List.of(NOTIFICATION_DELIVERED, NOTIFICATION_FAILED));

  private EventTypes() {}

  /** Every event type of the contract. */
  public static List<String> all() {
    return BY_TOPIC.values().stream().flatMap(List::stream).sorted().toList();
  }

  /** The topics hospital systems write to. */
  public static final List<String> INBOUND_TOPICS = List.of(Topics.PATHWAY_ENROLMENTS, Topics.DIAGNOSTIC_RESULTS,
      Topics.CLINICAL_OBSERVATIONS, Topics.TREATMENT_OUTCOMES);

  /**
   * True when a consumer takes {@code type} on {@code topic}: the types the topic carries, and a red-flag
   * report on any inbound topic (a red flag sent to the wrong topic is still a red flag, never only a refusal).
   */
  public static boolean acceptedOn(String topic, String type) {
    return allowedOn(topic, type) || (RED_FLAG_RAISED.equals(type) && INBOUND_TOPICS.contains(topic));
  }

  /** True when {@code type} is allowed on {@code topic}. */
  public static boolean allowedOn(String topic, String type) {
    return BY_TOPIC.getOrDefault(topic, List.of()).contains(type);
  }
}
