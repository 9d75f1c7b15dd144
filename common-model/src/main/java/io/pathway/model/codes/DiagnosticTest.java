package io.pathway.model.codes;

/** Code list of the event contract. */
public enum DiagnosticTest {
  CONTRAST_MRI, SELECTIVE_NERVE_ROOT_BLOCK, DISCOGRAPHY, MEDIAL_BRANCH_BLOCK, SI_JOINT_BLOCK
}
