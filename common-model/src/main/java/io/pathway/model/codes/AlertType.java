package io.pathway.model.codes;

/** Code list of the event contract. */
public enum AlertType {
  RED_FLAG, UNREADABLE_RED_FLAG, RESULT_OVERDUE, TASK_OVERDUE, UNMATCHED_EVENT, ESCALATION,
  /** A record whose key, payload or referral/order name different patients: refused, never applied. */
  IDENTITY_MISMATCH,
  /** A hospital time (observedAt, assessedAt, performedAt) later than the time received plus the allowed skew. */
  CLOCK_AHEAD,
  /** An enrolment with a new referral for a patient whose pathway is active: it joined that pathway. */
  SECOND_REFERRAL,
  /** A second result for an order changed its outcome or findings: the rules now read the corrected one. */
  RESULT_CORRECTED,
  /** A result or outcome arrived for an order the platform had cancelled: recorded, shown to a clinician, never silent. */
  LATE_RESULT,
  /** An elective surgical consult was not confirmed as held after its date: the booking is to be made again. */
  CONSULT_NOT_HELD
}
