package io.pathway.model.codes;

/** Code list of the event contract. */
public enum ReferralReason {
  CAUDA_EQUINA_SYNDROME, PROGRESSIVE_NEUROLOGICAL_DEFICIT, FAILED_CONSERVATIVE_CARE
}
