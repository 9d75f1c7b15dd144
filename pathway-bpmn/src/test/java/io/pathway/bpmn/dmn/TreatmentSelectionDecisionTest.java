package io.pathway.bpmn.dmn;

import static io.pathway.bpmn.dmn.DecisionTester.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.camunda.bpm.dmn.engine.DmnDecisionResultEntries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TreatmentSelectionDecisionTest {

  private final DecisionTester table = new DecisionTester("treatment-selection");

  /** 30 days of failed care, no block, nothing tried, no red flag. */
  private static Map<String, Object> patient(String diagnosis) {
    Map<String, Object> v = new HashMap<>();
    v.put("definitiveDiagnosis", diagnosis);
    v.put("facetBlockPositive", false);
    v.put("siBlockPositive", false);
    v.put("failedCareDays", 30);
    v.put("electiveMinFailedCareDays", 90);
    v.put("treatmentsTried", "");
    v.put("imagingFindings", "");
    v.put("redFlags", "");
    return v;
  }

  static Stream<Arguments> rules() {
    return Stream.of(
        Arguments.of("Rule_ElectiveFusionForInstability",
            with(patient("MECHANICAL_COMPRESSION"), "failedCareDays", 120, "imagingFindings", "SPONDYLOLISTHESIS"),
            "ELECTIVE_SURGICAL_REFERRAL", "SPINAL_FUSION"),
        Arguments.of("Rule_ElectiveMicrodiscectomy",
            with(patient("MECHANICAL_COMPRESSION"), "failedCareDays", 120, "imagingFindings", "LARGE_DISC_HERNIATION"),
            "ELECTIVE_SURGICAL_REFERRAL", "MICRODISCECTOMY"),
        Arguments.of("Rule_MechanicalBeforeThreeMonths", patient("MECHANICAL_COMPRESSION"), "TARGETED_PHYSICAL_THERAPY", null),
        Arguments.of("Rule_DiscogenicPhysicalTherapy", patient("DISCOGENIC_PAIN"), "TARGETED_PHYSICAL_THERAPY", null),
        Arguments.of("Rule_FacetRadiofrequencyAblation", with(patient("FACET_JOINT_PAIN"), "facetBlockPositive", true),
            "RADIOFREQUENCY_ABLATION", null),
        Arguments.of("Rule_SiRadiofrequencyAblation", with(patient("SI_JOINT_PAIN"), "siBlockPositive", true),
            "RADIOFREQUENCY_ABLATION", null),
        Arguments.of("Rule_JointPainWithoutPositiveBlock", patient("FACET_JOINT_PAIN"), "TARGETED_PHYSICAL_THERAPY", null),
        Arguments.of("Rule_StenosisDecompression", patient("LUMBAR_SPINAL_STENOSIS"),
            "MINIMALLY_INVASIVE_LUMBAR_DECOMPRESSION", null),
        Arguments.of("Rule_NeuromodulationAfterFailedTreatment",
            with(patient("NEUROPATHIC_PAIN"), "treatmentsTried", "TARGETED_PHYSICAL_THERAPY"), "NEUROMODULATION_TRIAL", null),
        Arguments.of("Rule_NeuropathicFirstLine", patient("NEUROPATHIC_PAIN"), "TARGETED_PHYSICAL_THERAPY", null),
        Arguments.of("Rule_Fallback", patient("UNCONFIRMED"), "TARGETED_PHYSICAL_THERAPY", null));
  }

  @ParameterizedTest(name = "{0} proposes {2}")
  @MethodSource("rules")
  void shouldProposeTheTreatmentOfEachRule(String rule, Map<String, Object> inputs, String treatment, String procedure) {
    DmnDecisionResultEntries result = table.evaluate(inputs).getSingleResult();

    assertThat(table.matchedRules()).containsExactly(rule);
    assertThat((String) result.getEntry("treatment")).isEqualTo(treatment);
    assertThat((String) result.getEntry("suggestedProcedure")).isEqualTo(procedure);
    assertThat((String) result.getEntry("rationale")).isNotBlank();
  }

  @Test
  void shouldNotProposeSurgeryAfterEightyNineDaysOfFailedCare() {
    var result = table.evaluate(with(patient("MECHANICAL_COMPRESSION"), "failedCareDays", 89));

    assertThat((String) result.getSingleResult().getEntry("treatment")).isEqualTo("TARGETED_PHYSICAL_THERAPY");
  }

  @Test
  void shouldProposeSurgeryAfterNinetyDaysOfFailedCare() {
    var result = table.evaluate(with(patient("MECHANICAL_COMPRESSION"), "failedCareDays", 90));

    assertThat((String) result.getSingleResult().getEntry("treatment")).isEqualTo("ELECTIVE_SURGICAL_REFERRAL");
  }

  @Test
  void shouldFollowAConfiguredMinimumOfFailedCare() {
    var result = table.evaluate(with(patient("MECHANICAL_COMPRESSION"), "failedCareDays", 100, "electiveMinFailedCareDays", 120));

    assertThat((String) result.getSingleResult().getEntry("treatment")).isEqualTo("TARGETED_PHYSICAL_THERAPY");
  }

  @Test
  void shouldNeverProposeAblationOfTheSiJointOnAFacetBlock() {
    var result = table.evaluate(with(patient("SI_JOINT_PAIN"), "facetBlockPositive", true));

    assertThat((String) result.getSingleResult().getEntry("treatment")).isNotEqualTo("RADIOFREQUENCY_ABLATION");
  }

  @Test
  void shouldNotProposeElectiveSurgeryWhenARedFlagIsPresent() {
    var result = table.evaluate(with(patient("MECHANICAL_COMPRESSION"), "failedCareDays", 200, "redFlags", "FOOT_DROP"));

    assertThat((String) result.getSingleResult().getEntry("treatment")).isNotEqualTo("ELECTIVE_SURGICAL_REFERRAL");
  }
}
