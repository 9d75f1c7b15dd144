package io.pathway.model.events;

import java.time.Instant;

/**
 * {@code pathway.treatment.outcome.v1}: the outcome of a procedure the platform ordered.
 *
 * @param sustained whether the relief has lasted since the procedure; absent means not known, and relief that is not
 *     known to be sustained never ends the pathway as resolved
 */
public record TreatmentOutcome(String patientRef, String orderId, String treatment, int painReductionPercent, Instant assessedAt,
    Boolean sustained) implements PathwayEvent {

  /** An outcome that says nothing on whether the relief lasted. */
  public TreatmentOutcome(String patientRef, String orderId, String treatment, int painReductionPercent, Instant assessedAt) {
    this(patientRef, orderId, treatment, painReductionPercent, assessedAt, null);
  }
}
