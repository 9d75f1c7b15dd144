package io.pathway.model.events;

import io.pathway.model.codes.AlertType;
import io.pathway.model.codes.Severity;
import java.time.Instant;

/** {@code pathway.alert.raised.v1}: something a person must act on. {@code pathwayId} may be null. */
public record AlertRaised(
    String alertId, String pathwayId, String patientRef, Severity severity, AlertType type, String message, Instant raisedAt)
    implements PathwayEvent, PathwayScoped {}
