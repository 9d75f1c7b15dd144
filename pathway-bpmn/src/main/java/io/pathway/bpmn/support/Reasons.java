package io.pathway.bpmn.support;

/**
 * What counts as a reason a person wrote, for expressions such as {@code ${reasons.given(transferNote)}}:
 * at least {@link #MINIMUM_LENGTH} characters once trimmed, so "." or "ok" do not pass.
 */
public class Reasons {

  /** Shortest text accepted as a reason. */
  public static final int MINIMUM_LENGTH = 10;

  public boolean given(Object text) {
    return text instanceof String s && s.trim().length() >= MINIMUM_LENGTH;
  }
}
