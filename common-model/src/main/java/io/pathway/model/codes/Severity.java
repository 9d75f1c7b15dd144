package io.pathway.model.codes;

/** Code list of the event contract. */
public enum Severity {
  CRITICAL, HIGH, MEDIUM
}
