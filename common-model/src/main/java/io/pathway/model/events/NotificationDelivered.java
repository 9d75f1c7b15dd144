package io.pathway.model.events;

import io.pathway.model.codes.Channel;
import java.time.Instant;

/**
 * {@code notification.delivered.v1}: a referral or alert reached a recipient.
 *
 * @param sourceEventId the {@code ce_id} of the referral or alert
 * @param recipient the recipient's configured id (a role such as {@code on-call-spine-surgeon}), never an address
 */
public record NotificationDelivered(
    String notificationId, String sourceEventId, String sourceType, String patientRef, Channel channel,
    String recipient, int attempts, Instant deliveredAt) implements PathwayEvent {}
