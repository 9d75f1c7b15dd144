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

/**
 * The treatment table reads the criteria {@code TreatmentRules} derives from recorded facts (the same
 * ones the gate checks) and what already failed, so that it never proposes a failed treatment again
 * without saying so and escalates after failures.
 */
class TreatmentSelectionDecisionTest {

  private final DecisionTester table = new DecisionTester("treatment-selection");

  /** No criterion met, nothing failed. */
  private static Map<String, Object> patient(String diagnosis) {
    Map<String, Object> v = new HashMap<>();
    v.put("definitiveDiagnosis", diagnosis);
    v.put("electiveCriteriaMet", false);
    v.put("spondylolisthesis", false);
    v.put("ablationCriteriaMet", false);
    v.put("ablationFailed", false);
    v.put("mildCriteriaMet", false);
    v.put("mildFailed", false);
    v.put("neuromodulationCriteriaMet", false);
    v.put("physicalTherapyFailed", false);
    v.put("injectionFailed", false);
    return v;
  }

  private static final String PT = "TARGETED_PHYSICAL_THERAPY";
  private static final String INJECTION = "REPEAT_IMAGE_GUIDED_INJECTION";

  static Stream<Arguments> rules() {
    Map<String, Object> mechanical = patient("MECHANICAL_COMPRESSION");
    Map<String, Object> facet = patient("FACET_JOINT_PAIN");
    Map<String, Object> stenosis = patient("LUMBAR_SPINAL_STENOSIS");
    Map<String, Object> neuropathic = patient("NEUROPATHIC_PAIN");
    return Stream.of(
        Arguments.of("Rule_ElectiveFusionForInstability", with(mechanical, "electiveCriteriaMet", true, "spondylolisthesis", true),
            "ELECTIVE_SURGICAL_REFERRAL", "SPINAL_FUSION"),
        Arguments.of("Rule_ElectiveMicrodiscectomy", with(mechanical, "electiveCriteriaMet", true),
            "ELECTIVE_SURGICAL_REFERRAL", "MICRODISCECTOMY"),
        Arguments.of("Rule_MechanicalPhysicalTherapy", mechanical, PT, null),
        Arguments.of("Rule_MechanicalInjectionAfterTherapy", with(mechanical, "physicalTherapyFailed", true), INJECTION, null),
        Arguments.of("Rule_MechanicalAwaitingElectiveCriteria",
            with(mechanical, "physicalTherapyFailed", true, "injectionFailed", true), null, null),
        Arguments.of("Rule_JointAblation", with(facet, "ablationCriteriaMet", true), "RADIOFREQUENCY_ABLATION", null),
        Arguments.of("Rule_JointAblation", with(patient("SI_JOINT_PAIN"), "ablationCriteriaMet", true), "RADIOFREQUENCY_ABLATION", null),
        Arguments.of("Rule_JointPainTherapyAfterFailedAblation", with(facet, "ablationCriteriaMet", true, "ablationFailed", true), PT,
            null),
        Arguments.of("Rule_JointPainWithoutPositiveBlock", facet, PT, null),
        Arguments.of("Rule_JointPainAfterFailedCare",
            with(facet, "ablationCriteriaMet", true, "ablationFailed", true, "physicalTherapyFailed", true), null, null),
        Arguments.of("Rule_StenosisDecompression", with(stenosis, "mildCriteriaMet", true),
            "MINIMALLY_INVASIVE_LUMBAR_DECOMPRESSION", null),
        Arguments.of("Rule_StenosisTherapyAfterFailedMild", with(stenosis, "mildCriteriaMet", true, "mildFailed", true), PT, null),
        Arguments.of("Rule_StenosisWithoutLigamentHypertrophy", stenosis, PT, null),
        Arguments.of("Rule_StenosisSurgicalReview",
            with(stenosis, "mildCriteriaMet", true, "mildFailed", true, "physicalTherapyFailed", true), null, null),
        Arguments.of("Rule_Neuromodulation", with(neuropathic, "neuromodulationCriteriaMet", true), "NEUROMODULATION_TRIAL", null),
        Arguments.of("Rule_NeuropathicTherapyFirst", neuropathic, PT, null),
        Arguments.of("Rule_NeuropathicAfterFailedCare", with(neuropathic, "physicalTherapyFailed", true), null, null),
        Arguments.of("Rule_DiscogenicPhysicalTherapy", patient("DISCOGENIC_PAIN"), PT, null),
        Arguments.of("Rule_DiscogenicAfterFailedTherapy", with(patient("DISCOGENIC_PAIN"), "physicalTherapyFailed", true), null,
            null),
        Arguments.of("Rule_Fallback", patient("UNCONFIRMED"), PT, null),
        Arguments.of("Rule_FallbackAfterFailedTherapy", with(patient("UNCONFIRMED"), "physicalTherapyFailed", true), null, null));
  }

  @ParameterizedTest(name = "{0} proposes {2}")
  @MethodSource("rules")
  void shouldProposeTheTreatmentOfEachRule(String rule, Map<String, Object> inputs, String treatment, String procedure) {
    DmnDecisionResultEntries result = table.evaluate(inputs).getSingleResult();

    assertThat(table.matchedRules()).first().isEqualTo(rule);
    assertThat((String) result.getEntry("treatment")).isEqualTo(treatment);
    assertThat((String) result.getEntry("suggestedProcedure")).isEqualTo(procedure);
    assertThat((String) result.getEntry("rationale")).isNotBlank();
  }

  @Test
  void shouldNeverProposeAFailedTreatmentAgainWithoutSayingSo() {
    // every failed treatment set to true, every criterion met: nothing failed may come back silently
    Map<String, Object> allFailed = new HashMap<>();
    for (String diagnosis : new String[] {"MECHANICAL_COMPRESSION", "FACET_JOINT_PAIN", "SI_JOINT_PAIN", "LUMBAR_SPINAL_STENOSIS",
        "NEUROPATHIC_PAIN", "DISCOGENIC_PAIN", "UNCONFIRMED"}) {
      allFailed = with(patient(diagnosis), "ablationCriteriaMet", true, "ablationFailed", true, "mildCriteriaMet", true,
          "mildFailed", true, "physicalTherapyFailed", true, "injectionFailed", true);
      DmnDecisionResultEntries result = table.evaluate(allFailed).getSingleResult();
      assertThat((String) result.getEntry("treatment")).as(diagnosis)
          .isNotIn(PT, INJECTION, "RADIOFREQUENCY_ABLATION", "MINIMALLY_INVASIVE_LUMBAR_DECOMPRESSION");
    }
  }

  /**
   * F18: a steroid injection cannot relieve a structural compression, and central sensitisation responds poorly to steroids.
   * Once an epidural injection failed (documented at enrolment: {@code injectionFailed} is derived from it), a compression
   * never gets another one as its interventional step; neuropathic pain never gets one at all.
   */
  @Test
  void shouldNotProposeAnotherSteroidInjectionForACompressionOrNeuropathicPain() {
    var compressionAfterEsi = table.evaluate(with(patient("MECHANICAL_COMPRESSION"), "physicalTherapyFailed", true,
        "injectionFailed", true)).getSingleResult();
    var neuropathicAfterTherapy = table.evaluate(with(patient("NEUROPATHIC_PAIN"), "physicalTherapyFailed", true))
        .getSingleResult();

    assertThat((String) compressionAfterEsi.getEntry("treatment")).isNull();
    assertThat((String) neuropathicAfterTherapy.getEntry("treatment")).isNull();
    // only oral steroids tried: a first image-guided epidural injection is still the interventional step for a compression
    assertThat((String) table.evaluate(with(patient("MECHANICAL_COMPRESSION"), "physicalTherapyFailed", true)).getSingleResult()
        .getEntry("treatment")).isEqualTo(INJECTION);
  }

  @Test
  void shouldNeverProposeSurgeryWithoutTheElectiveCriteria() {
    var result = table.evaluate(with(patient("MECHANICAL_COMPRESSION"), "physicalTherapyFailed", true, "injectionFailed", true,
        "spondylolisthesis", true));

    assertThat((String) result.getSingleResult().getEntry("treatment")).isNotEqualTo("ELECTIVE_SURGICAL_REFERRAL");
  }

  @Test
  void shouldNeverProposeMildForStenosisWithoutLigamentHypertrophyAndClaudication() {
    var result = table.evaluate(patient("LUMBAR_SPINAL_STENOSIS"));

    assertThat((String) result.getSingleResult().getEntry("treatment")).isNotEqualTo("MINIMALLY_INVASIVE_LUMBAR_DECOMPRESSION");
  }

  @Test
  void shouldNeverProposeNeuromodulationBeforeEnoughMeasuresFailed() {
    var result = table.evaluate(with(patient("NEUROPATHIC_PAIN"), "physicalTherapyFailed", true));

    assertThat((String) result.getSingleResult().getEntry("treatment")).isNotEqualTo("NEUROMODULATION_TRIAL");
  }
}
