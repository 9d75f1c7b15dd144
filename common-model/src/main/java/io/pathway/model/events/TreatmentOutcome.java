package io.pathway.model.events;

import java.time.Instant;

/** {@code pathway.treatment.outcome.v1}: the outcome of a procedure the platform ordered. */
public record TreatmentOutcome(String patientRef, String orderId, String treatment, int painReductionPercent, Instant assessedAt)
    implements PathwayEvent {}
