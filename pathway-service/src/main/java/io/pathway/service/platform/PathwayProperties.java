package io.pathway.service.platform;

import io.pathway.bpmn.ClinicalDefaults;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the pathway service ({@code pathway.*}); the clinical ones are bounded and checked at start.
 * {@code clockSkew}: how far ahead of the time a record is received a hospital time may lie and still be
 * trusted (default 5 minutes; see HospitalClock).
 */
@ConfigurationProperties("pathway")
@Validated
public record PathwayProperties(
    @DefaultValue("urn:pathway:pathway-service") URI serviceUri,
    @DefaultValue("http://localhost:8080/camunda/app/tasklist/") String tasklistUrl,
    @DefaultValue("false") boolean demoUsers,
    @DefaultValue("false") boolean requireSecrets,
    @DefaultValue("") String apiUser,
    @DefaultValue("") String apiPassword,
    @DefaultValue("P3D") Duration redFlagCarryOver,
    @DefaultValue("PT5M") Duration clockSkew,
    @DefaultValue InboxSettings inbox,
    @DefaultValue @Valid Clinical clinical) {

  public record InboxSettings(
      @DefaultValue("PT1S") Duration pollInterval, @DefaultValue("PT24H") Duration unmatchedAlertAfter) {}

  /**
   * How long after the scheduled date a treatment's outcome first counts (F12): an earlier report is kept on the
   * timeline, never counted as success or failure. Fixed on the order when it is placed.
   */
  public record OutcomeMinInterval(
      @DefaultValue(ClinicalDefaults.OUTCOME_MIN_INTERVAL_PHYSICAL_THERAPY) @IsoDuration(min = "P14D", max = "P84D") String physicalTherapy,
      @DefaultValue(ClinicalDefaults.OUTCOME_MIN_INTERVAL_INJECTION) @IsoDuration(min = "P7D", max = "P42D") String injection,
      @DefaultValue(ClinicalDefaults.OUTCOME_MIN_INTERVAL_ABLATION) @IsoDuration(min = "P14D", max = "P84D") String ablation,
      @DefaultValue(ClinicalDefaults.OUTCOME_MIN_INTERVAL_MILD) @IsoDuration(min = "P14D", max = "P84D") String mild,
      @DefaultValue(ClinicalDefaults.OUTCOME_MIN_INTERVAL_NEUROMODULATION) @IsoDuration(min = "P3D", max = "P28D") String neuromodulation) {

    /** The interval of a treatment code; the longest one for a code it does not know. */
    public String of(String treatment) {
      return switch (String.valueOf(treatment)) {
        case "TARGETED_PHYSICAL_THERAPY" -> physicalTherapy;
        case "REPEAT_IMAGE_GUIDED_INJECTION" -> injection;
        case "RADIOFREQUENCY_ABLATION" -> ablation;
        case "MINIMALLY_INVASIVE_LUMBAR_DECOMPRESSION" -> mild;
        case "NEUROMODULATION_TRIAL" -> neuromodulation;
        default -> physicalTherapy;
      };
    }
  }

  /**
   * Clinical figures marked "default" in the specification: durations are ISO-8601 strings as the
   * engine's timers read them. Each has bounds (docs/clinical-pathway.md gives the reasons); a value
   * outside them stops the service at start with the property named.
   *
   * @param neuromodulationMinFailedMeasures other treatments of the pathway that must have failed before neuromodulation
   * @param neuropathicMinSymptomMonths symptom duration from which central sensitization is proposed as a hypothesis
   * @param sustainedReliefMinDays days after the steroid before a follow-up's relief counts as sustained
   * @param blockReliefThresholdPercent immediate relief from which a positive diagnostic block confirms its root or joint
   * @param surgicalConsultCheckAfter after the end of a booked consult's day, when the coordinator is asked whether it took place
   * @param outcomeMinInterval per treatment, the time after the scheduled date before its outcome counts
   */
  public record Clinical(
      @DefaultValue(ClinicalDefaults.FOLLOW_UP_DELAY) @IsoDuration(min = "P21D", max = "P90D") String followUpDelay,
      @DefaultValue(ClinicalDefaults.RELIEF_THRESHOLD_PERCENT) @Min(30) @Max(100) int reliefThresholdPercent,
      @DefaultValue(ClinicalDefaults.RESULT_OVERDUE_AFTER) @IsoDuration(min = "P1D", max = "P60D") String resultOverdueAfter,
      @DefaultValue(ClinicalDefaults.TREATMENT_OUTCOME_OVERDUE_AFTER) @IsoDuration(min = "P7D", max = "P365D") String treatmentOutcomeOverdueAfter,
      @DefaultValue(ClinicalDefaults.EMERGENCY_TRANSFER_SLA) @IsoDuration(min = "PT5M", max = "PT1H") String emergencyTransferSla,
      @DefaultValue(ClinicalDefaults.URGENT_REFERRAL_SLA) @IsoDuration(min = "PT30M", max = "P1D") String urgentReferralSla,
      @DefaultValue(ClinicalDefaults.SURGICAL_CONSULT_BOOKING_SLA) @IsoDuration(min = "P1D", max = "P60D") String surgicalConsultBookingSla,
      @DefaultValue(ClinicalDefaults.SURGICAL_CONSULT_CHECK_AFTER) @IsoDuration(min = "PT1H", max = "P14D") String surgicalConsultCheckAfter,
      @DefaultValue(ClinicalDefaults.CLINICAL_TASK_DUE) @IsoDuration(min = "PT1H", max = "P14D") String clinicalTaskDue,
      @DefaultValue(ClinicalDefaults.ELECTIVE_MIN_FAILED_CARE_DAYS) @Min(84) @Max(365) int electiveMinFailedCareDays,
      @DefaultValue(ClinicalDefaults.NEUROMODULATION_MIN_FAILED_MEASURES) @Min(2) @Max(6) int neuromodulationMinFailedMeasures,
      @DefaultValue(ClinicalDefaults.NEUROPATHIC_MIN_SYMPTOM_MONTHS) @Min(1) @Max(24) int neuropathicMinSymptomMonths,
      @DefaultValue(ClinicalDefaults.SUSTAINED_RELIEF_MIN_DAYS) @Min(14) @Max(90) int sustainedReliefMinDays,
      @DefaultValue(ClinicalDefaults.RESULT_CHASE_INTERVAL) @IsoDuration(min = "P1D", max = "P30D") String resultChaseInterval,
      @DefaultValue(ClinicalDefaults.BLOCK_RELIEF_THRESHOLD_PERCENT) @Min(50) @Max(100) int blockReliefThresholdPercent,
      @DefaultValue @Valid OutcomeMinInterval outcomeMinInterval) {

    /** The follow-up falls due no earlier than relief can count as sustained. */
    @AssertTrue(message = "follow-up-delay must be at least sustained-relief-min-days")
    public boolean isFollowUpDueWhenReliefCanCount() {
      try {
        return IsoDurationValidator.parse(followUpDelay).toDays() >= sustainedReliefMinDays;
      } catch (RuntimeException e) {
        return true; // followUpDelay's own constraint reports it
      }
    }
  }
}
