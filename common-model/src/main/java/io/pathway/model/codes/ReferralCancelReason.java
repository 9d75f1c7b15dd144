package io.pathway.model.codes;

/** Why the platform withdrew a surgical referral it had issued. Code list of the event contract. */
public enum ReferralCancelReason {
  /** A red flag interrupted the pathway: the patient is referred again, as an emergency or urgently, by the escalation. */
  RED_FLAG,
  /** The patient was withdrawn or transferred out (or an operator ended the pathway): nobody refers the patient any more. */
  WITHDRAWN,
  /**
   * A corrected result withdrew the evidence the referral rested on (its mechanical source is no longer confirmed): the
   * pathway goes back to re-evaluation and a clinician decides again.
   */
  EVIDENCE_WITHDRAWN
}
