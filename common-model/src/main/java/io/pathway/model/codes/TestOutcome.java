package io.pathway.model.codes;

/** Code list of the event contract. */
public enum TestOutcome {
  POSITIVE, NEGATIVE, INCONCLUSIVE
}
