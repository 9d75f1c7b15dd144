package io.pathway.model.events;

import io.pathway.model.codes.CancelReason;
import java.time.Instant;

/** {@code pathway.order.cancelled.v1}: an open order that an interruption of the pathway ended; the hospital stops it. */
public record OrderCancelled(String orderId, String pathwayId, String patientRef, CancelReason reason, Instant cancelledAt)
    implements PathwayEvent, PathwayScoped {}
