package io.pathway.model.codes;

/** Red flags that interrupt the pathway. */
public enum RedFlag {
  BOWEL_DYSFUNCTION, BLADDER_DYSFUNCTION, SADDLE_ANESTHESIA, PROGRESSIVE_WEAKNESS, FOOT_DROP;

  /** Signs of cauda equina syndrome: an emergency. The others are a progressive neurological deficit. */
  public boolean caudaEquina() {
    return this == BOWEL_DYSFUNCTION || this == BLADDER_DYSFUNCTION || this == SADDLE_ANESTHESIA;
  }
}
