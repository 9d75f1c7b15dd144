package io.pathway.model.codes;

/** Code list of the event contract. */
public enum PainPattern {
  RADICULAR, AXIAL, MIXED, NEUROGENIC_CLAUDICATION
}
