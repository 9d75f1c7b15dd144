package io.pathway.bpmn.support;

import io.pathway.bpmn.ClinicalDefaults;

/**
 * What counts as a reason a person wrote, for expressions such as {@code ${reasons.given(transferNote)}}:
 * at least {@link #MINIMUM_LENGTH} characters once trimmed, so "." or "ok" do not pass.
 */
public class Reasons {

  /** Shortest text accepted as a reason ({@link ClinicalDefaults#MIN_REASON_LENGTH}). */
  public static final int MINIMUM_LENGTH = ClinicalDefaults.MIN_REASON_LENGTH;

  public boolean given(Object text) {
    return text instanceof String s && s.trim().length() >= MINIMUM_LENGTH;
  }

  /** A refusal message whose {@code %d} is the shortest reason, so that the models never spell the number themselves. */
  public String changeRefused(String message) {
    return String.format(java.util.Locale.ROOT, message, MINIMUM_LENGTH);
  }
}
