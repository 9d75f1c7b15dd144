package io.pathway.model.codes;

/** Code list of the event contract. */
public enum MriFinding {
  RECURRENT_HERNIATION, SCAR_TISSUE, RECURRENT_HERNIATION_AND_SCAR, NO_CHANGE, OTHER
}
