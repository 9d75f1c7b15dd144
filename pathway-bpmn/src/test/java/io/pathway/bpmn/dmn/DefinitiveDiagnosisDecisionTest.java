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

class DefinitiveDiagnosisDecisionTest {

  private final DecisionTester table = new DecisionTester("definitive-diagnosis");

  /** No test done, radicular pain, nothing on imaging, neuropathic hypothesis not confirmed. */
  private static Map<String, Object> noResults() {
    Map<String, Object> v = new HashMap<>();
    v.put("imagingFindings", "");
    v.put("painPattern", "RADICULAR");
    v.put("hypothesisNeuropathicOrCentralSensitization", false);
    v.put("neuropathicScreenPositive", false);
    return v;
  }

  static Stream<Arguments> rules() {
    return Stream.of(
        Arguments.of("Rule_RecurrentHerniationOnMri",
            with(noResults(), "mriFinding", "RECURRENT_HERNIATION_AND_SCAR", "snrbOutcome", "POSITIVE"), "MECHANICAL_COMPRESSION"),
        Arguments.of("Rule_MechanicalSourceConfirmedByBlock",
            with(noResults(), "imagingFindings", "SPONDYLOLISTHESIS", "snrbOutcome", "POSITIVE"), "MECHANICAL_COMPRESSION"),
        Arguments.of("Rule_DiscographyPositive",
            with(noResults(), "discographyConcordantPain", true, "discographyContrastLeak", true), "DISCOGENIC_PAIN"),
        Arguments.of("Rule_MedialBranchBlockPositive", with(noResults(), "medialBranchBlockOutcome", "POSITIVE"), "FACET_JOINT_PAIN"),
        Arguments.of("Rule_SiJointBlockPositive", with(noResults(), "siJointBlockOutcome", "POSITIVE"), "SI_JOINT_PAIN"),
        Arguments.of("Rule_StenosisWithClaudication",
            with(noResults(), "imagingFindings", "LIGAMENTUM_FLAVUM_HYPERTROPHY", "painPattern", "NEUROGENIC_CLAUDICATION"),
            "LUMBAR_SPINAL_STENOSIS"),
        Arguments.of("Rule_ScarTissueOnMri", with(noResults(), "mriFinding", "SCAR_TISSUE"), "NEUROPATHIC_PAIN"),
        Arguments.of("Rule_RecurrentHerniationWithoutBlock", with(noResults(), "mriFinding", "RECURRENT_HERNIATION"), "UNCONFIRMED"),
        Arguments.of("Rule_NeuropathicHypothesis", with(noResults(), "hypothesisNeuropathicOrCentralSensitization", true,
            "neuropathicScreenPositive", true), "NEUROPATHIC_PAIN"),
        Arguments.of("Rule_CentralSensitizationToAssess", with(noResults(), "hypothesisNeuropathicOrCentralSensitization", true),
            "UNCONFIRMED"),
        Arguments.of("Rule_RootConfirmedWithoutLargeLesion", with(noResults(), "snrbOutcome", "POSITIVE"), "DISCOGENIC_PAIN"),
        Arguments.of("Rule_NoPainGeneratorConfirmed", noResults(), "UNCONFIRMED"));
  }

  @ParameterizedTest(name = "{0} proposes {2}")
  @MethodSource("rules")
  void shouldProposeTheDiagnosisOfEachRuleWithItsEvidence(String rule, Map<String, Object> inputs, String diagnosis) {
    DmnDecisionResultEntries result = table.evaluate(inputs).getSingleResult();

    assertThat(table.matchedRules()).containsExactly(rule);
    assertThat((String) result.getEntry("diagnosis")).isEqualTo(diagnosis);
    assertThat((String) result.getEntry("evidence")).isNotBlank();
  }

  @Test
  void shouldNeverLetTheNeuropathicHypothesisOutrankAPositiveRootBlock() {
    // F10: radicular pain, DN4 2, long-standing (the hypothesis came from duration alone), positive SNRB
    var durationOnly = table.evaluate(with(noResults(), "hypothesisNeuropathicOrCentralSensitization", true, "snrbOutcome", "POSITIVE"));
    assertThat((String) durationOnly.getSingleResult().getEntry("diagnosis")).isEqualTo("DISCOGENIC_PAIN");

    // even with a positive screen, the confirmed root comes first
    var screenPositive = table.evaluate(with(noResults(), "hypothesisNeuropathicOrCentralSensitization", true,
        "neuropathicScreenPositive", true, "snrbOutcome", "POSITIVE"));
    assertThat((String) screenPositive.getSingleResult().getEntry("diagnosis")).isEqualTo("DISCOGENIC_PAIN");
  }

  @Test
  void shouldNotDiagnoseNeuropathicPainFromTheHypothesisWithoutAPositiveScreen() {
    var result = table.evaluate(with(noResults(), "hypothesisNeuropathicOrCentralSensitization", true)).getSingleResult();

    assertThat((String) result.getEntry("diagnosis")).isEqualTo("UNCONFIRMED");
    assertThat((String) result.getEntry("evidence")).contains("hypothesis to assess");
  }

  @Test
  void shouldNotDiagnoseDiscogenicPainFromConcordantPainWithoutLeak() {
    var result = table.evaluate(with(noResults(), "discographyConcordantPain", true, "discographyContrastLeak", false));

    assertThat((String) result.getSingleResult().getEntry("diagnosis")).isEqualTo("UNCONFIRMED");
  }

  @Test
  void shouldNotDiagnoseFacetPainFromANegativeBlock() {
    var result = table.evaluate(with(noResults(), "medialBranchBlockOutcome", "NEGATIVE"));

    assertThat((String) result.getSingleResult().getEntry("diagnosis")).isEqualTo("UNCONFIRMED");
  }

  @Test
  void shouldPreferAConfirmedMechanicalSourceOverOtherFindings() {
    var result = table.evaluate(with(noResults(), "mriFinding", "RECURRENT_HERNIATION", "snrbOutcome", "POSITIVE",
        "medialBranchBlockOutcome", "POSITIVE"));

    assertThat((String) result.getSingleResult().getEntry("diagnosis")).isEqualTo("MECHANICAL_COMPRESSION");
  }

  @Test
  void shouldNotDiagnoseAMechanicalSourceFromMriAlone() {
    var result = table.evaluate(with(noResults(), "mriFinding", "RECURRENT_HERNIATION", "snrbOutcome", "NEGATIVE"));

    assertThat((String) result.getSingleResult().getEntry("diagnosis")).isEqualTo("UNCONFIRMED");
    assertThat(table.matchedRules()).containsExactly("Rule_RecurrentHerniationWithoutBlock");
  }

  @Test
  void shouldCallSevereStenosisWithAConfirmedRootMechanicalNotDiscogenic() {
    var result = table.evaluate(with(noResults(), "imagingFindings", "SEVERE_STENOSIS", "snrbOutcome", "POSITIVE"));

    assertThat((String) result.getSingleResult().getEntry("diagnosis")).isEqualTo("MECHANICAL_COMPRESSION");
  }

  @Test
  void shouldNotCallStenosisWithoutLigamentHypertrophyLumbarSpinalStenosis() {
    var result = table.evaluate(with(noResults(), "imagingFindings", "SEVERE_STENOSIS,SPONDYLOLISTHESIS",
        "painPattern", "NEUROGENIC_CLAUDICATION"));

    assertThat((String) result.getSingleResult().getEntry("diagnosis")).isNotEqualTo("LUMBAR_SPINAL_STENOSIS");
  }
}
