package io.pathway.model.codes;

/** Code list of the event contract: the side of a joint or nerve block ({@code findings.side}). */
public enum Side {
  LEFT, RIGHT, BILATERAL
}
