package io.pathway.bpmn.dmn;

import static io.pathway.bpmn.dmn.DecisionTester.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.camunda.bpm.dmn.engine.DmnDecisionResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FailureHypothesesDecisionTest {

  private final DecisionTester table = new DecisionTester("failure-hypotheses");

  /** Oral steroid, radicular pain, negative neuropathic screen, no surgery, nothing on imaging. */
  private static Map<String, Object> unremarkable() {
    Map<String, Object> v = new HashMap<>();
    v.put("steroidKind", "ORAL_CORTICOSTEROID");
    v.put("imageGuided", null);
    v.put("contrastSpreadConfirmed", null);
    v.put("painPattern", "RADICULAR");
    v.put("neuropathicScore", 2);
    v.put("priorSpineSurgery", false);
    v.put("imagingFindings", "");
    v.put("symptomDurationMonths", 1L);
    v.put("neuropathicMinSymptomMonths", 3);
    return v;
  }

  static Stream<Arguments> rules() {
    Map<String, Object> esi = with(unremarkable(), "steroidKind", "EPIDURAL_STEROID_INJECTION", "imageGuided", true,
        "contrastSpreadConfirmed", true);
    return Stream.of(
        Arguments.of("Rule_SevereStenosis", with(unremarkable(), "imagingFindings", "SEVERE_STENOSIS"), "STRUCTURAL_COMPRESSION"),
        Arguments.of("Rule_LargeDiscHerniation", with(unremarkable(), "imagingFindings", "DISC_DEGENERATION,LARGE_DISC_HERNIATION"),
            "STRUCTURAL_COMPRESSION"),
        Arguments.of("Rule_InjectionNotImageGuided", with(esi, "imageGuided", false), "TECHNICAL_FAILURE"),
        Arguments.of("Rule_ContrastSpreadNotConfirmed", with(esi, "contrastSpreadConfirmed", false), "TECHNICAL_FAILURE"),
        Arguments.of("Rule_NeuropathicScreenPositive", with(unremarkable(), "neuropathicScore", 6),
            "NEUROPATHIC_OR_CENTRAL_SENSITIZATION"),
        Arguments.of("Rule_LongSymptomDuration", with(unremarkable(), "symptomDurationMonths", 3L),
            "NEUROPATHIC_OR_CENTRAL_SENSITIZATION"),
        Arguments.of("Rule_AxialPattern", with(unremarkable(), "painPattern", "AXIAL"), "POSSIBLE_MISDIAGNOSIS"),
        Arguments.of("Rule_PriorSpineSurgery", with(unremarkable(), "priorSpineSurgery", true), "RECURRENCE_OR_SCAR"));
  }

  @ParameterizedTest(name = "{0} proposes {2}")
  @MethodSource("rules")
  void shouldProposeTheHypothesisOfEachRule(String rule, Map<String, Object> inputs, String hypothesis) {
    DmnDecisionResult result = table.evaluate(inputs);

    assertThat(table.matchedRules()).containsExactly(rule);
    assertThat(result.<String>collectEntries("hypothesis")).containsExactly(hypothesis);
  }

  @Test
  void shouldProposeNothingForAnUnremarkableCase() {
    assertThat(table.evaluate(unremarkable()).<String>collectEntries("hypothesis")).isEmpty();
  }

  @Test
  void shouldNotSuspectATechnicalFailureOfAnImageGuidedInjectionWithConfirmedSpread() {
    DmnDecisionResult result = table.evaluate(with(unremarkable(), "steroidKind", "EPIDURAL_STEROID_INJECTION",
        "imageGuided", true, "contrastSpreadConfirmed", true));

    assertThat(result.<String>collectEntries("hypothesis")).isEmpty();
  }

  @Test
  void shouldCountUnknownImageGuidanceOrSpreadAsNotConfirmed() {
    Map<String, Object> esi = with(unremarkable(), "steroidKind", "EPIDURAL_STEROID_INJECTION", "imageGuided", null,
        "contrastSpreadConfirmed", true);

    assertThat(table.evaluate(esi).<String>collectEntries("hypothesis")).containsExactly("TECHNICAL_FAILURE");
    assertThat(table.evaluate(with(esi, "imageGuided", true, "contrastSpreadConfirmed", null)).<String>collectEntries("hypothesis"))
        .containsExactly("TECHNICAL_FAILURE");
  }

  @Test
  void shouldSuspectCentralSensitizationFromTheConfiguredSymptomDurationOnly() {
    assertThat(table.evaluate(with(unremarkable(), "symptomDurationMonths", 2L)).<String>collectEntries("hypothesis")).isEmpty();
    assertThat(table.evaluate(with(unremarkable(), "symptomDurationMonths", 5L, "neuropathicMinSymptomMonths", 6))
        .<String>collectEntries("hypothesis")).isEmpty();
    assertThat(table.evaluate(with(unremarkable(), "symptomDurationMonths", null)).<String>collectEntries("hypothesis")).isEmpty();
  }

  @Test
  void shouldTreatDn4OfThreeAsNegative() {
    assertThat(table.evaluate(with(unremarkable(), "neuropathicScore", 3)).<String>collectEntries("hypothesis")).isEmpty();
  }

  @Test
  void shouldTreatDn4OfFourAsPositive() {
    assertThat(table.evaluate(with(unremarkable(), "neuropathicScore", 4)).<String>collectEntries("hypothesis"))
        .containsExactly("NEUROPATHIC_OR_CENTRAL_SENSITIZATION");
  }

  @Test
  void shouldCollectEveryHypothesisThatApplies() {
    DmnDecisionResult result = table.evaluate(with(unremarkable(), "steroidKind", "EPIDURAL_STEROID_INJECTION",
        "imageGuided", false, "contrastSpreadConfirmed", true, "painPattern", "AXIAL", "priorSpineSurgery", true,
        "imagingFindings", "SEVERE_STENOSIS", "neuropathicScore", 5));

    assertThat(List.copyOf(new java.util.LinkedHashSet<>(result.<String>collectEntries("hypothesis")))).containsExactlyInAnyOrder(
        "STRUCTURAL_COMPRESSION", "TECHNICAL_FAILURE", "NEUROPATHIC_OR_CENTRAL_SENSITIZATION", "POSSIBLE_MISDIAGNOSIS",
        "RECURRENCE_OR_SCAR");
  }

  @Test
  void shouldReadMissingImagingFindingsAsNothingFound() {
    assertThat(table.evaluate(with(unremarkable(), "imagingFindings", null)).<String>collectEntries("hypothesis")).isEmpty();
  }
}
