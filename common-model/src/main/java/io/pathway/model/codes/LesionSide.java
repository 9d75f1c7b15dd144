package io.pathway.model.codes;

/**
 * Code list of the event contract: the side of the lesion an imaging study shows ({@code imagingSide} of an enrolment).
 * A central or bilateral lesion can compress the roots of either side.
 */
public enum LesionSide {
  LEFT, RIGHT, BILATERAL, CENTRAL
}
