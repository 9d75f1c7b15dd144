package io.pathway.service.treatment;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathway.service.platform.PathwayProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** Every clinical setting has bounds; a value outside them stops the start with the setting named. */
class ClinicalSettingsBoundsTest {

  @Configuration
  @EnableConfigurationProperties(PathwayProperties.class)
  static class Settings {}

  private final ApplicationContextRunner context = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class)).withUserConfiguration(Settings.class);

  @Test
  void shouldStartWithTheDefaults() {
    context.run(c -> {
      assertThat(c).hasNotFailed();
      PathwayProperties.Clinical clinical = c.getBean(PathwayProperties.class).clinical();
      assertThat(clinical.electiveMinFailedCareDays()).isEqualTo(90);
      assertThat(clinical.neuromodulationMinFailedMeasures()).isEqualTo(2);
      assertThat(clinical.neuropathicMinSymptomMonths()).isEqualTo(3);
      assertThat(clinical.sustainedReliefMinDays()).isEqualTo(21);
    });
  }

  @ParameterizedTest(name = "{0}={1} is refused")
  @CsvSource({
      "relief-threshold-percent, 0, reliefThresholdPercent",
      "relief-threshold-percent, 101, reliefThresholdPercent",
      "elective-min-failed-care-days, 0, electiveMinFailedCareDays",
      "elective-min-failed-care-days, 83, electiveMinFailedCareDays",
      "emergency-transfer-sla, P1D, emergencyTransferSla",
      "emergency-transfer-sla, PT4M, emergencyTransferSla",
      "emergency-transfer-sla, soon, emergencyTransferSla",
      "urgent-referral-sla, P2D, urgentReferralSla",
      "follow-up-delay, P7D, followUpDelay",
      "result-overdue-after, PT0S, resultOverdueAfter",
      "treatment-outcome-overdue-after, P2Y, treatmentOutcomeOverdueAfter",
      "surgical-consult-booking-sla, P90D, surgicalConsultBookingSla",
      "surgical-consult-check-after, P30D, surgicalConsultCheckAfter",
      "clinical-task-due, P30D, clinicalTaskDue",
      "neuromodulation-min-failed-measures, 1, neuromodulationMinFailedMeasures",
      "neuropathic-min-symptom-months, 0, neuropathicMinSymptomMonths",
      "sustained-relief-min-days, 7, sustainedReliefMinDays",
      "block-relief-threshold-percent, 49, blockReliefThresholdPercent",
      "block-relief-threshold-percent, 101, blockReliefThresholdPercent",
      "outcome-min-interval.physical-therapy, P7D, physicalTherapy",
      "outcome-min-interval.injection, P1D, injection",
      "outcome-min-interval.ablation, P1Y, ablation",
      "outcome-min-interval.neuromodulation, P1D, neuromodulation"})
  void shouldRefuseAValueOutsideItsBoundsAtStart(String property, String value, String field) {
    context.withPropertyValues("pathway.clinical." + property + "=" + value).run(c -> {
      assertThat(c).hasFailed();
      assertThat(c.getStartupFailure()).rootCause().hasMessageContaining("pathway.clinical").hasMessageContaining(field);
    });
  }

  @Test
  void shouldRefuseAFollowUpDueBeforeReliefCanCountAsSustained() {
    context.withPropertyValues("pathway.clinical.follow-up-delay=P25D", "pathway.clinical.sustained-relief-min-days=28").run(c -> {
      assertThat(c).hasFailed();
      assertThat(c.getStartupFailure()).rootCause().hasMessageContaining("sustained-relief-min-days");
    });
  }

  @Test
  void shouldAcceptTheBoundsThemselves() {
    context.withPropertyValues("pathway.clinical.emergency-transfer-sla=PT5M", "pathway.clinical.elective-min-failed-care-days=84",
        "pathway.clinical.relief-threshold-percent=30", "pathway.clinical.follow-up-delay=P3M").run(c -> assertThat(c).hasNotFailed());
  }
}
