package io.pathway.bpmn.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The decision tables' inputs derived from recorded results (DiagnosisInputs), and the imaging labels the forms
 * show, without an engine: the mutation run found them covered by the process tests only.
 */
class DiagnosisInputsAndLabelsTest {

  private static final Instant PERFORMED = Instant.parse("2026-03-20T10:00:00Z");
  private final List<RuleFacts.Result> results = new ArrayList<>();
  private Integer neuropathicScore;

  private RuleFacts facts() {
    return new RuleFacts("EPIDURAL_STEROID_INJECTION", LocalDate.of(2026, 2, 20), Set.of(), "RADICULAR", PERFORMED, results,
        List.of(), null, null, null, neuropathicScore, true, null, null);
  }

  private void result(String test, String outcome, String side, String level, Integer relief, String mri) {
    results.add(new RuleFacts.Result("ORD-" + results.size(), test, outcome, side, level, relief, mri, PERFORMED));
  }

  @Test
  void shouldGiveTheDiagnosisTableNothingBeforeAnyResult() {
    Map<String, Object> inputs = DiagnosisInputs.from(facts());

    assertThat(inputs).containsEntry("mriOutcome", null).containsEntry("mriFinding", null).containsEntry("snrbOutcome", null)
        .containsEntry("snrbLevel", null).containsEntry("snrbReliefPercent", null).containsEntry("medialBranchBlockOutcome", null)
        .containsEntry("medialBranchBlockSide", null).containsEntry("siJointBlockOutcome", null)
        .containsEntry("neuropathicScreenPositive", false)
        .containsEntry("blockEvidence", "No test result recorded in this pathway.");
  }

  @Test
  void shouldGiveTheDiagnosisTableTheLatestRealResultOfEachTest() {
    result("CONTRAST_MRI", "POSITIVE", null, null, null, "SCAR_TISSUE");
    result("SELECTIVE_NERVE_ROOT_BLOCK", "NEGATIVE", null, "L4", 20, null);
    result("SELECTIVE_NERVE_ROOT_BLOCK", "POSITIVE", null, "L5", 80, null);
    result("SELECTIVE_NERVE_ROOT_BLOCK", RuleFacts.NOT_DONE, null, null, null, null);
    result("MEDIAL_BRANCH_BLOCK", "POSITIVE", "LEFT", "L4-L5", 70, null);
    result("SI_JOINT_BLOCK", "INCONCLUSIVE", "RIGHT", "S1", 30, null);
    neuropathicScore = RuleFacts.NEUROPATHIC_SCREEN_POSITIVE;

    Map<String, Object> inputs = DiagnosisInputs.from(facts());

    assertThat(inputs).containsEntry("mriOutcome", "POSITIVE").containsEntry("mriFinding", "SCAR_TISSUE")
        .containsEntry("snrbOutcome", "POSITIVE").containsEntry("snrbLevel", "L5").containsEntry("snrbReliefPercent", 80)
        .containsEntry("medialBranchBlockOutcome", "POSITIVE").containsEntry("medialBranchBlockReliefPercent", 70)
        .containsEntry("medialBranchBlockSide", "LEFT").containsEntry("medialBranchBlockLevel", "L4-L5")
        .containsEntry("siJointBlockOutcome", "INCONCLUSIVE").containsEntry("siJointBlockReliefPercent", 30)
        .containsEntry("siJointBlockSide", "RIGHT").containsEntry("neuropathicScreenPositive", true);
    assertThat((String) inputs.get("blockEvidence")).startsWith("CONTRAST_MRI POSITIVE, MRI SCAR_TISSUE").contains("\n");
  }

  @Test
  void shouldShowATestAChaseClosedWithoutAResultAsNotDoneOrCancelledNeverBlank() {
    result("SELECTIVE_NERVE_ROOT_BLOCK", RuleFacts.NOT_DONE, null, null, null, null);
    result("CONTRAST_MRI", RuleFacts.CANCELLED, null, null, null, null);

    Map<String, Object> inputs = DiagnosisInputs.from(facts());

    assertThat(inputs).containsEntry("snrbOutcome", RuleFacts.NOT_DONE).containsEntry("mriOutcome", RuleFacts.CANCELLED)
        .containsEntry("snrbLevel", null).containsEntry("medialBranchBlockOutcome", null);
  }

  @Test
  void shouldTellTheWorkupTableWhichInvasiveTestsHaveAValidResult() {
    result("SELECTIVE_NERVE_ROOT_BLOCK", "NEGATIVE", null, "L5", 10, null);
    result("DISCOGRAPHY", "INCONCLUSIVE", null, "L4-L5", null, null);
    result("MEDIAL_BRANCH_BLOCK", "POSITIVE", "LEFT", "L4-L5", 80, null);
    result("SI_JOINT_BLOCK", "POSITIVE", "RIGHT", "S1", 80, null);
    result("SI_JOINT_BLOCK", RuleFacts.NOT_DONE, null, null, null, null);

    assertThat(DiagnosisInputs.workup(facts())).isEqualTo(Map.of(
        "snrbValidResult", true, "discographyValidResult", false, "medialBranchBlockValidResult", true,
        "siJointBlockValidResult", true));
    assertThat(DiagnosisInputs.workup(new RuleFacts(null, null, null, null, null, null, null, null, null, null, null, true, null, null)))
        .containsEntry("snrbValidResult", false).containsEntry("siJointBlockValidResult", false);
  }

  @Test
  void shouldLabelImagingCodesForTheFormsAndKeepAnUnknownCodeAsItCame() {
    assertThat(Labels.imaging("SEVERE_STENOSIS, SPONDYLOLISTHESIS")).isEqualTo("Severe spinal stenosis; Spondylolisthesis (instability)");
    assertThat(Labels.imaging("LARGE_DISC_HERNIATION,,NEW_CODE")).isEqualTo("Large disc herniation; NEW_CODE");
    assertThat(Labels.imaging(null)).isEqualTo("None recorded");
    assertThat(Labels.imaging(" ")).isEqualTo("None recorded");
  }
}
