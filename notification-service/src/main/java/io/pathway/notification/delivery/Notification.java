package io.pathway.notification.delivery;

import io.pathway.model.codes.Channel;
import java.time.Instant;
import java.util.UUID;

/**
 * One row of the delivery log: one source event, one recipient, one channel, one round.
 *
 * @param priority the referral's urgency or the alert's severity
 * @param category the referral's reason or the alert's type
 * @param round 0 for the first notice, n for the n-th reminder of an unacknowledged one
 * @param escalationLevel 0 when routed, k when added by the k-th step of the escalation ladder
 * @param escalatedFrom the first notification of the source event, for reminders and escalations
 */
public record Notification(
    UUID id, String sourceEventId, String sourceType, String patientRef, String pathwayId, String priority,
    String category, String headline, String details, String recipient, Channel channel, int round,
    int escalationLevel, UUID escalatedFrom, boolean requiresAck, boolean alertOnFailure, Status status,
    int attempts, Instant nextAttemptAt, Instant createdAt, Instant deliveredAt, Instant failedAt,
    String lastError, Instant acknowledgedAt, String acknowledgedBy) {

  public enum Status { PENDING, DELIVERED, FAILED, CANCELLED }

  /** 0 for critical alerts and emergency referrals, 1 for high and urgent, 2 for the rest (as the claim orders them). */
  public int urgencyRank() {
    return switch (String.valueOf(priority)) {
      case "CRITICAL", "EMERGENCY" -> 0;
      case "HIGH", "URGENT" -> 1;
      default -> 2;
    };
  }

  /** A new, pending notification due at once. */
  public static Notification pending(
      String sourceEventId, String sourceType, String patientRef, String pathwayId, String priority, String category,
      String headline, String details, String recipient, Channel channel, int round, int escalationLevel,
      UUID escalatedFrom, boolean requiresAck, boolean alertOnFailure, Instant now) {
    return new Notification(UUID.randomUUID(), sourceEventId, sourceType, patientRef, pathwayId, priority, category,
        headline, details, recipient, channel, round, escalationLevel, escalatedFrom, requiresAck, alertOnFailure,
        Status.PENDING, 0, now, now, null, null, null, null, null);
  }

  /** The same content for another recipient, channel or round, linked to {@code original}. */
  public Notification copyFor(String recipient, Channel channel, int round, int escalationLevel, UUID original, Instant now) {
    return pending(sourceEventId, sourceType, patientRef, pathwayId, priority, category, headline, details, recipient,
        channel, round, escalationLevel, original, requiresAck, alertOnFailure, now);
  }
}
