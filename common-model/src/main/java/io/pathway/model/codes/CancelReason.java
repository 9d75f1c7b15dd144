package io.pathway.model.codes;

/** Why the platform cancelled an open order. Code list of the event contract. */
public enum CancelReason {
  /** A red flag interrupted the pathway. */
  RED_FLAG,
  /** The patient was withdrawn or transferred out. */
  WITHDRAWN,
  /** The pathway moved on without the order (e.g. resolved meanwhile). */
  SUPERSEDED,
  /** A corrected result withdrew the evidence the procedure was ordered on: held until a clinician decides again. */
  EVIDENCE_WITHDRAWN,
  /** A coordinator recorded, on the chase of an overdue result or outcome, that it was not done or was cancelled. */
  NOT_DONE
}
