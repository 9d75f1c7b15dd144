package io.pathway.bpmn.rules;

/**
 * The clinical figures the hard rules use, as configured when the pathway started.
 *
 * @param electiveMinFailedCareDays days since the documented steroid failure before an elective referral
 * @param neuromodulationMinFailedMeasures other treatments that must have failed before neuromodulation
 * @param reliefThresholdPercent relief at or above it is success; below it a treatment failed
 * @param blockReliefThresholdPercent immediate relief at or above it makes a positive diagnostic block confirm its root or
 *     joint (F16); below it the block confirms nothing
 */
public record RuleSettings(int electiveMinFailedCareDays, int neuromodulationMinFailedMeasures, int reliefThresholdPercent,
    int blockReliefThresholdPercent) {

  /** Default of the block relief threshold ({@code pathway.clinical.block-relief-threshold-percent}). */
  public static final int DEFAULT_BLOCK_RELIEF_THRESHOLD_PERCENT =
      Integer.parseInt(io.pathway.bpmn.ClinicalDefaults.BLOCK_RELIEF_THRESHOLD_PERCENT);

  /** Settings with the default block relief threshold. */
  public RuleSettings(int electiveMinFailedCareDays, int neuromodulationMinFailedMeasures, int reliefThresholdPercent) {
    this(electiveMinFailedCareDays, neuromodulationMinFailedMeasures, reliefThresholdPercent, DEFAULT_BLOCK_RELIEF_THRESHOLD_PERCENT);
  }

  /** Shortest reason accepted for a change from a proposal (after trimming). */
  public static final int MIN_REASON_LENGTH = io.pathway.bpmn.ClinicalDefaults.MIN_REASON_LENGTH;

  public static boolean isReason(String reason) {
    return new io.pathway.bpmn.support.Reasons().given(reason);
  }
}
