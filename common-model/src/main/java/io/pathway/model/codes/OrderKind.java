package io.pathway.model.codes;

/** Code list of the event contract. */
public enum OrderKind {
  DIAGNOSTIC, PROCEDURE
}
