package io.pathway.model.events;

import io.pathway.model.codes.Channel;
import java.time.Instant;

/** {@code notification.failed.v1}: every attempt to deliver a notification failed. */
public record NotificationFailed(
    String notificationId, String sourceEventId, String sourceType, String patientRef, Channel channel,
    String recipient, int attempts, String reason, Instant failedAt) implements PathwayEvent {}
