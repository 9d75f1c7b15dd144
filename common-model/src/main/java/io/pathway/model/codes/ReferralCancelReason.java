package io.pathway.model.codes;

/** Why the platform withdrew a surgical referral it had issued. Code list of the event contract. */
public enum ReferralCancelReason {
  /** A red flag interrupted the pathway: the patient is referred again, as an emergency or urgently, by the escalation. */
  RED_FLAG,
  /** The patient was withdrawn or transferred out (or an operator ended the pathway): nobody refers the patient any more. */
  WITHDRAWN,
  /**
   * A corrected result withdrew the evidence the referral rested on. Reserved in the contract: the platform does not
   * emit it yet (a correction during the surgical referral stage raises a RESULT_CORRECTED alert and a clinician review).
   */
  EVIDENCE_WITHDRAWN
}
