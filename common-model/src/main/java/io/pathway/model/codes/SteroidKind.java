package io.pathway.model.codes;

/** Code list of the event contract. */
public enum SteroidKind {
  ORAL_CORTICOSTEROID, EPIDURAL_STEROID_INJECTION
}
