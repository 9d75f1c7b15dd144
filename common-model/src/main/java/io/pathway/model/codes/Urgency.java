package io.pathway.model.codes;

/** Code list of the event contract. */
public enum Urgency {
  EMERGENCY, URGENT, ELECTIVE
}
