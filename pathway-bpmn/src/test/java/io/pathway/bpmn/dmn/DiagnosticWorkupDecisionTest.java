package io.pathway.bpmn.dmn;

import static io.pathway.bpmn.dmn.DecisionTester.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.camunda.bpm.dmn.engine.DmnDecisionResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DiagnosticWorkupDecisionTest {

  private final DecisionTester table = new DecisionTester("diagnostic-workup");

  /** No hypothesis confirmed, neurogenic claudication, nothing on imaging. */
  private static Map<String, Object> noHypothesis() {
    Map<String, Object> v = new HashMap<>();
    v.put("hypothesisStructuralCompression", false);
    v.put("hypothesisTechnicalFailure", false);
    v.put("hypothesisNeuropathicOrCentralSensitization", false);
    v.put("hypothesisPossibleMisdiagnosis", false);
    v.put("hypothesisRecurrenceOrScar", false);
    v.put("painPattern", "NEUROGENIC_CLAUDICATION");
    v.put("imagingFindings", "");
    v.put("snrbValidResult", false);
    v.put("discographyValidResult", false);
    v.put("medialBranchBlockValidResult", false);
    v.put("siJointBlockValidResult", false);
    return v;
  }

  static Stream<Arguments> rules() {
    return Stream.of(
        Arguments.of("Rule_ContrastMriAfterSurgery", with(noHypothesis(), "hypothesisRecurrenceOrScar", true), "CONTRAST_MRI"),
        Arguments.of("Rule_SnrbForRadicularCompression", with(noHypothesis(), "painPattern", "RADICULAR"),
            "SELECTIVE_NERVE_ROOT_BLOCK"),
        Arguments.of("Rule_DiscographyForDiscogenic",
            with(noHypothesis(), "painPattern", "AXIAL", "imagingFindings", "DISC_DEGENERATION"), "DISCOGRAPHY"),
        Arguments.of("Rule_MedialBranchBlockForFacet",
            with(noHypothesis(), "hypothesisPossibleMisdiagnosis", true, "imagingFindings", "FACET_ARTHROPATHY"),
            "MEDIAL_BRANCH_BLOCK"),
        Arguments.of("Rule_SiJointBlockForSacroiliac",
            with(noHypothesis(), "hypothesisPossibleMisdiagnosis", true, "imagingFindings", "SACROILIAC_ARTHROPATHY"),
            "SI_JOINT_BLOCK"),
        Arguments.of("Rule_RepeatInjectionForTechnicalFailure", with(noHypothesis(), "hypothesisTechnicalFailure", true),
            "REPEAT_IMAGE_GUIDED_INJECTION"));
  }

  @ParameterizedTest(name = "{0} orders {2}")
  @MethodSource("rules")
  void shouldOrderTheTestOfEachRule(String rule, Map<String, Object> inputs, String test) {
    DmnDecisionResult result = table.evaluate(inputs);

    assertThat(table.matchedRules()).containsExactly(rule);
    assertThat(result.<String>collectEntries("test")).containsExactly(test);
  }

  @Test
  void shouldOrderNothingWithoutHypothesis() {
    assertThat(table.evaluate(noHypothesis()).<String>collectEntries("test")).isEmpty();
  }

  @Test
  void shouldNotOrderANerveRootBlockForAxialPain() {
    DmnDecisionResult result = table.evaluate(with(noHypothesis(), "hypothesisStructuralCompression", true, "painPattern", "AXIAL"));

    assertThat(result.<String>collectEntries("test")).isEmpty();
  }

  @Test
  void shouldNotOrderDiscographyForRadicularPain() {
    DmnDecisionResult result = table.evaluate(with(noHypothesis(), "painPattern", "RADICULAR", "imagingFindings", "DISC_DEGENERATION"));

    assertThat(result.<String>collectEntries("test")).containsExactly("SELECTIVE_NERVE_ROOT_BLOCK");
  }

  @Test
  void shouldOrderANerveRootBlockForEveryRadicularPatternWithoutAHypothesis() {
    // the review's counterexample: radicular, nerve root compression on imaging, low DN4, guided ESI
    DmnDecisionResult radicular = table.evaluate(with(noHypothesis(), "painPattern", "RADICULAR",
        "imagingFindings", "NERVE_ROOT_COMPRESSION"));
    DmnDecisionResult mixed = table.evaluate(with(noHypothesis(), "painPattern", "MIXED"));

    assertThat(radicular.<String>collectEntries("test")).containsExactly("SELECTIVE_NERVE_ROOT_BLOCK");
    assertThat(mixed.<String>collectEntries("test")).containsExactly("SELECTIVE_NERVE_ROOT_BLOCK");
  }

  @Test
  void shouldNotProposeAgainAnInvasiveTestThatAlreadyHasAValidResult() {
    // F18: the next round after a failed treatment does not repeat the block, discography or joint blocks
    assertThat(table.evaluate(with(noHypothesis(), "painPattern", "RADICULAR", "snrbValidResult", true))
        .<String>collectEntries("test")).isEmpty();
    assertThat(table.evaluate(with(noHypothesis(), "painPattern", "MIXED", "imagingFindings", "DISC_DEGENERATION",
        "snrbValidResult", true, "discographyValidResult", true)).<String>collectEntries("test")).isEmpty();
    assertThat(table.evaluate(with(noHypothesis(), "hypothesisPossibleMisdiagnosis", true, "medialBranchBlockValidResult", true))
        .<String>collectEntries("test")).isEmpty();
    assertThat(table.evaluate(with(noHypothesis(), "hypothesisPossibleMisdiagnosis", true, "imagingFindings", "SACROILIAC_ARTHROPATHY",
        "siJointBlockValidResult", true)).<String>collectEntries("test")).isEmpty();
    // a contrast MRI is not invasive: after surgery it is still proposed
    assertThat(table.evaluate(with(noHypothesis(), "hypothesisRecurrenceOrScar", true, "snrbValidResult", true))
        .<String>collectEntries("test")).containsExactly("CONTRAST_MRI");
  }

  @Test
  void shouldOrderANerveRootBlockForClaudicationWithInstabilityOrSevereStenosisButNotForAMildCandidate() {
    // F19: the way to a surgical assessment for stenosis with claudication
    assertThat(table.evaluate(with(noHypothesis(), "imagingFindings", "SPONDYLOLISTHESIS,LIGAMENTUM_FLAVUM_HYPERTROPHY"))
        .<String>collectEntries("test")).containsExactly("SELECTIVE_NERVE_ROOT_BLOCK");
    assertThat(table.evaluate(with(noHypothesis(), "imagingFindings", "SEVERE_STENOSIS"))
        .<String>collectEntries("test")).containsExactly("SELECTIVE_NERVE_ROOT_BLOCK");
    // a thickened ligament without instability is the mild route: no block
    assertThat(table.evaluate(with(noHypothesis(), "imagingFindings", "SEVERE_STENOSIS,LIGAMENTUM_FLAVUM_HYPERTROPHY"))
        .<String>collectEntries("test")).isEmpty();
    // and a valid block already recorded is not repeated
    assertThat(table.evaluate(with(noHypothesis(), "imagingFindings", "SPONDYLOLISTHESIS", "snrbValidResult", true))
        .<String>collectEntries("test")).isEmpty();
  }

  @Test
  void shouldOrderSeveralTestsForSeveralHypotheses() {
    DmnDecisionResult result = table.evaluate(with(noHypothesis(), "hypothesisRecurrenceOrScar", true,
        "hypothesisStructuralCompression", true, "hypothesisTechnicalFailure", true, "painPattern", "RADICULAR"));

    assertThat(result.<String>collectEntries("test"))
        .containsExactlyInAnyOrder("CONTRAST_MRI", "SELECTIVE_NERVE_ROOT_BLOCK", "REPEAT_IMAGE_GUIDED_INJECTION");
  }
}
