package io.pathway.bpmn.rules;

/**
 * The clinical figures the hard rules use, as configured when the pathway started.
 *
 * @param electiveMinFailedCareDays days since the documented steroid failure before an elective referral
 * @param neuromodulationMinFailedMeasures other treatments that must have failed before neuromodulation
 * @param reliefThresholdPercent relief at or above it is success; below it a treatment failed
 */
public record RuleSettings(int electiveMinFailedCareDays, int neuromodulationMinFailedMeasures, int reliefThresholdPercent) {

  /** Shortest reason accepted for a change from a proposal (after trimming). */
  public static final int MIN_REASON_LENGTH = 10;

  public static boolean isReason(String reason) {
    return reason != null && reason.trim().length() >= MIN_REASON_LENGTH;
  }
}
