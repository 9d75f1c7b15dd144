package io.pathway.model.events;

import io.pathway.model.codes.OrderKind;
import java.time.Instant;

/** {@code pathway.order.placed.v1}: a diagnostic test or procedure ordered by the pathway. */
public record OrderPlaced(String orderId, String pathwayId, String patientRef, OrderKind kind, String code, String reason, Instant orderedAt)
    implements PathwayEvent, PathwayScoped {}
