package io.pathway.bpmn.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathway.bpmn.rules.TreatmentRules.Choice;
import io.pathway.bpmn.rules.TreatmentRules.Rule;
import io.pathway.bpmn.rules.TreatmentRules.Verdict;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The cases the mutation run (docs/mutation.md, {@code -Pmutation}) found no test for: each test here fails on a
 * mutant of the hard rules that survived TreatmentRulesTest and the decision tests. Kept apart from
 * TreatmentRulesTest, which the rules' own changes edit.
 */
class TreatmentRulesMutationKillTest {

  private static final Instant FAILURE_DOCUMENTED = Instant.parse("2026-03-20T10:00:00Z");
  private static final Instant NOW = FAILURE_DOCUMENTED.plus(120, ChronoUnit.DAYS);
  private static final RuleSettings DEFAULTS = new RuleSettings(90, 2, 50);
  private static final String REASON = "Clinically indicated after review";

  private Set<String> imaging = Set.of();
  private String painPattern = "RADICULAR";
  private final List<RuleFacts.Result> results = new ArrayList<>();
  private final List<RuleFacts.Outcome> outcomes = new ArrayList<>();
  private String diagnosis;
  private String proposed = TreatmentRules.PHYSICAL_THERAPY;
  private String proposedProcedure;
  private Integer neuropathicScore = 2;
  private boolean findingsVerified = true;
  private Instant steroidFailure = FAILURE_DOCUMENTED;
  private String imagingLevel;
  private String imagingSide;

  private TreatmentRules rules() {
    return new TreatmentRules(new RuleFacts("EPIDURAL_STEROID_INJECTION", LocalDate.of(2026, 2, 20), imaging, painPattern,
        steroidFailure, results, outcomes, diagnosis, proposed, proposedProcedure, neuropathicScore, findingsVerified,
        imagingLevel, imagingSide), DEFAULTS, NOW);
  }

  private Verdict check(String treatment, String procedure, String reason) {
    return rules().check(new Choice(treatment, procedure, reason));
  }

  private static RuleFacts.Result block(String test, String outcome, String side, String level, Integer relief) {
    return new RuleFacts.Result("ORD-" + test, test, outcome, side, level, relief, null, FAILURE_DOCUMENTED);
  }

  private static RuleFacts.Result mri(String finding) {
    return mri(finding, null, null);
  }

  private static RuleFacts.Result mri(String finding, String level, String side) {
    return new RuleFacts.Result("ORD-MRI-" + finding, "CONTRAST_MRI", "POSITIVE", side, level, null, finding, FAILURE_DOCUMENTED);
  }

  private void failed(String treatment) {
    outcomes.add(new RuleFacts.Outcome("PROC-" + outcomes.size(), treatment, 10, FAILURE_DOCUMENTED));
  }

  // ------------------------------------------------------------------ code list and override (check)

  @Test
  void shouldRefuseAChoiceWithoutATreatmentAsAnUnknownCode() {
    assertThat(check(null, null, REASON).rule()).isEqualTo(Rule.UNKNOWN_CODE);
  }

  @Test
  void shouldRefuseAnElectiveReferralWithoutAProcedureOfTheListBeforeItsCriteria() {
    proposed = TreatmentRules.ELECTIVE_REFERRAL;
    proposedProcedure = "MICRODISCECTOMY";

    assertThat(check(TreatmentRules.ELECTIVE_REFERRAL, null, REASON).rule()).isEqualTo(Rule.UNKNOWN_CODE);
    assertThat(check(TreatmentRules.ELECTIVE_REFERRAL, "LAMINECTOMY", REASON).rule()).isEqualTo(Rule.UNKNOWN_CODE);
  }

  @Test
  void shouldRefuseAnotherTreatmentThanTheProposalWithoutAReason() {
    proposed = TreatmentRules.PHYSICAL_THERAPY;

    assertThat(check(TreatmentRules.REPEAT_INJECTION, null, "because").rule()).isEqualTo(Rule.CHANGE_WITHOUT_REASON);
    assertThat(check(TreatmentRules.REPEAT_INJECTION, null, REASON).rule()).isEqualTo(Rule.ALLOWED);
    assertThat(check(TreatmentRules.PHYSICAL_THERAPY, null, null).rule()).isEqualTo(Rule.ALLOWED);
  }

  @Test
  void shouldRefuseAnotherSurgicalProcedureThanTheProposalWithoutAReason() {
    proposed = TreatmentRules.ELECTIVE_REFERRAL;
    proposedProcedure = "MICRODISCECTOMY";

    Verdict verdict = check(TreatmentRules.ELECTIVE_REFERRAL, "SPINAL_FUSION", null);

    assertThat(verdict.rule()).isEqualTo(Rule.CHANGE_WITHOUT_REASON);
    assertThat(verdict.refusalReason()).contains(String.valueOf(RuleSettings.MIN_REASON_LENGTH));
  }

  // ------------------------------------------------------------------ ablation: the block that confirms

  @Test
  void shouldNotTakeAJointBlockForAnotherDiagnosisAsTheConfirmingBlock() {
    diagnosis = "MECHANICAL_COMPRESSION";
    results.add(block("MEDIAL_BRANCH_BLOCK", "POSITIVE", "LEFT", "L4-L5", 90));
    proposed = TreatmentRules.ABLATION;

    assertThat(rules().confirmingBlock()).isEmpty();
    assertThat(check(TreatmentRules.ABLATION, null, null).rule()).isEqualTo(Rule.ABLATION);
  }

  @Test
  void shouldOfferTheConfirmingBlockOfTheDiagnosisToTheTableAndTheOrder() {
    diagnosis = "SI_JOINT_PAIN";
    RuleFacts.Result si = block("SI_JOINT_BLOCK", "POSITIVE", "RIGHT", "S1", 80);
    results.add(si);

    assertThat(rules().confirmingBlock()).contains(si);
    assertThat(rules().proposalInputs()).containsEntry("ablationCriteriaMet", true).containsEntry("siBlockPositive", true)
        .containsEntry("facetBlockPositive", false);
  }

  @Test
  void shouldConfirmNothingWithABlockThatNamesNoLevel() {
    TreatmentRules rules = rules();

    assertThat(rules.confirms(block("MEDIAL_BRANCH_BLOCK", "POSITIVE", "LEFT", null, 90))).isFalse();
    assertThat(rules.confirms(block("SELECTIVE_NERVE_ROOT_BLOCK", "POSITIVE", null, null, 90))).isFalse();
    assertThat(rules.confirms(block("SELECTIVE_NERVE_ROOT_BLOCK", "POSITIVE", null, " ", 90))).isFalse();
  }

  @Test
  void shouldWantASideOfAJointBlockButNotOfARootBlock() {
    TreatmentRules rules = rules();

    assertThat(rules.confirms(block("MEDIAL_BRANCH_BLOCK", "POSITIVE", null, "L4-L5", 90))).isFalse();
    assertThat(rules.confirms(block("MEDIAL_BRANCH_BLOCK", "POSITIVE", " ", "L4-L5", 90))).isFalse();
    assertThat(rules.confirms(block("SI_JOINT_BLOCK", "POSITIVE", null, "S1", 90))).isFalse();
    assertThat(rules.confirms(block("SI_JOINT_BLOCK", "POSITIVE", "", "S1", 90))).isFalse();
    assertThat(rules.confirms(block("MEDIAL_BRANCH_BLOCK", "POSITIVE", "LEFT", "L4-L5", 90))).isTrue();
    assertThat(rules.confirms(block("SELECTIVE_NERVE_ROOT_BLOCK", "POSITIVE", null, "L5", 90))).isTrue();
  }

  @Test
  void shouldConfirmAtTheBlockReliefThresholdAndNotBelowIt() {
    TreatmentRules rules = rules();
    int threshold = DEFAULTS.blockReliefThresholdPercent();

    assertThat(rules.confirms(block("SELECTIVE_NERVE_ROOT_BLOCK", "POSITIVE", null, "L5", threshold))).isTrue();
    assertThat(rules.confirms(block("SELECTIVE_NERVE_ROOT_BLOCK", "POSITIVE", null, "L5", threshold - 1))).isFalse();
    assertThat(rules.confirms(block("SELECTIVE_NERVE_ROOT_BLOCK", "POSITIVE", null, "L5", null))).isFalse();
    assertThat(rules.confirms(block("SELECTIVE_NERVE_ROOT_BLOCK", "NEGATIVE", null, "L5", 90))).isFalse();
  }

  @Test
  void shouldLetAChaseThatRecordedABlockAsNotDoneLeaveTheEarlierResultStanding() {
    diagnosis = "FACET_JOINT_PAIN";
    RuleFacts.Result positive = block("MEDIAL_BRANCH_BLOCK", "POSITIVE", "LEFT", "L4-L5", 90);
    results.add(positive);
    results.add(block("MEDIAL_BRANCH_BLOCK", RuleFacts.NOT_DONE, null, null, null));
    results.add(block("MEDIAL_BRANCH_BLOCK", RuleFacts.CANCELLED, null, null, null));

    assertThat(rules().latestIfPositive("MEDIAL_BRANCH_BLOCK")).contains(positive);
    assertThat(positive.resulted()).isTrue();
    assertThat(block("X", RuleFacts.NOT_DONE, null, null, null).resulted()).isFalse();
  }

  // ------------------------------------------------------------------ elective surgery

  @Test
  void shouldConfirmAMechanicalSourceOnlyWithImagingAndAConfirmingRootBlockTogether() {
    imaging = Set.of("LARGE_DISC_HERNIATION");
    imagingLevel = "L4-L5";
    imagingSide = "LEFT";
    assertThat(rules().mechanicalSourceConfirmed()).as("imaging alone").isFalse();

    results.add(block("SELECTIVE_NERVE_ROOT_BLOCK", "POSITIVE", "LEFT", "L5", 90));
    assertThat(rules().mechanicalSourceConfirmed()).isTrue();

    imaging = Set.of();
    assertThat(rules().mechanicalSourceConfirmed()).as("the block alone").isFalse();

    results.add(mri("RECURRENT_HERNIATION", "L5-S1", "LEFT"));
    assertThat(rules().mechanicalSourceConfirmed()).as("the pathway's MRI and the block").isTrue();
  }

  @Test
  void shouldNotLetARootBlockWithoutLevelOrSideAgreeWithEvenACentralLesion() {
    imaging = Set.of("LARGE_DISC_HERNIATION");
    imagingLevel = "L4-L5";
    imagingSide = "CENTRAL";
    TreatmentRules rules = rules();

    assertThat(rules.agreesWithImaging(block("SELECTIVE_NERVE_ROOT_BLOCK", "POSITIVE", "LEFT", "L5", 90))).isTrue();
    assertThat(rules.agreesWithImaging(block("SELECTIVE_NERVE_ROOT_BLOCK", "POSITIVE", "LEFT", null, 90))).isFalse();
    assertThat(rules.agreesWithImaging(block("SELECTIVE_NERVE_ROOT_BLOCK", "POSITIVE", "LEFT", " ", 90))).isFalse();
    assertThat(rules.agreesWithImaging(block("SELECTIVE_NERVE_ROOT_BLOCK", "POSITIVE", null, "L5", 90))).isFalse();
    assertThat(rules.agreesWithImaging(block("SELECTIVE_NERVE_ROOT_BLOCK", "POSITIVE", "", "L5", 90))).isFalse();
  }

  @Test
  void shouldSayWhenTheImagingOnTheStartFormIsNotConfirmedByAClinician() {
    diagnosis = "MECHANICAL_COMPRESSION";
    imaging = Set.of("LARGE_DISC_HERNIATION");

    findingsVerified = true;
    assertThat(rules().electiveCriteriaMissing()).doesNotContain("no imaging shows a mechanical source")
        .noneMatch(m -> m.contains("not confirmed by a clinician"));
    imaging = Set.of("FACET_ARTHROPATHY");
    assertThat(rules().electiveCriteriaMissing()).contains("no imaging shows a mechanical source");

    findingsVerified = false;
    imaging = Set.of("LARGE_DISC_HERNIATION");
    assertThat(rules().electiveCriteriaMissing()).contains(
        "no imaging shows a mechanical source (the findings entered on the start form are not confirmed by a clinician)");
  }

  // ------------------------------------------------------------------ mild

  @Test
  void shouldTellWhetherTheMildRefusalIsAboutUnconfirmedFindings() {
    diagnosis = "LUMBAR_SPINAL_STENOSIS";
    imaging = Set.of("LIGAMENTUM_FLAVUM_HYPERTROPHY");
    painPattern = "NEUROGENIC_CLAUDICATION";
    proposed = TreatmentRules.MILD;
    assertThat(check(TreatmentRules.MILD, null, null).rule()).isEqualTo(Rule.ALLOWED);

    findingsVerified = false;
    Verdict unconfirmed = check(TreatmentRules.MILD, null, null);
    assertThat(unconfirmed.rule()).isEqualTo(Rule.MILD);
    assertThat(unconfirmed.refusalReason()).endsWith("are not confirmed by a clinician.");

    findingsVerified = true;
    painPattern = "AXIAL";
    Verdict confirmed = check(TreatmentRules.MILD, null, null);
    assertThat(confirmed.rule()).isEqualTo(Rule.MILD);
    assertThat(confirmed.refusalReason()).endsWith("needs a surgical assessment).").doesNotContain("not confirmed");
  }

  // ------------------------------------------------------------------ neuromodulation

  @Test
  void shouldTellTheTableAnInjectionFailedWhenThePathwaysRepeatInjectionFailed() {
    steroidFailure = null; // no documented epidural failure at enrolment: only the pathway's own injection counts
    assertThat(rules().proposalInputs()).containsEntry("injectionFailed", false);

    failed(TreatmentRules.REPEAT_INJECTION);

    assertThat(rules().proposalInputs()).containsEntry("injectionFailed", true);
  }

  @Test
  void shouldNotCountAFailedNeuromodulationAmongTheOtherMeasures() {
    steroidFailure = null; // the documented steroid failure is a measure of its own
    failed(TreatmentRules.NEUROMODULATION);
    failed(TreatmentRules.PHYSICAL_THERAPY);

    assertThat(rules().failed()).containsExactly(TreatmentRules.NEUROMODULATION, TreatmentRules.PHYSICAL_THERAPY);
    assertThat(rules().failedMeasures()).isOne();
  }

  @Test
  void shouldTakeOnlyScarOnTheLatestContrastMriAsANeuropathicFact() {
    neuropathicScore = 2;
    results.add(mri("RECURRENT_HERNIATION"));
    assertThat(rules().neuropathicFactRecorded()).isFalse();

    results.add(mri("RECURRENT_HERNIATION_AND_SCAR"));
    assertThat(rules().neuropathicFactRecorded()).isTrue();

    results.add(mri("NO_CHANGE"));
    assertThat(rules().neuropathicFactRecorded()).as("a later MRI without scar").isFalse();
  }

  @Test
  void shouldSayInTheNeuromodulationRefusalWhetherANeuropathicFactIsRecorded() {
    diagnosis = "NEUROPATHIC_PAIN";
    proposed = TreatmentRules.NEUROMODULATION;
    failed(TreatmentRules.PHYSICAL_THERAPY);
    steroidFailure = null; // one failed measure only: physical therapy

    neuropathicScore = 2;
    assertThat(check(TreatmentRules.NEUROMODULATION, null, null).refusalReason()).contains("now none)").contains("(now 1)");

    neuropathicScore = RuleFacts.NEUROPATHIC_SCREEN_POSITIVE;
    Verdict verdict = check(TreatmentRules.NEUROMODULATION, null, null);
    assertThat(verdict.rule()).isEqualTo(Rule.NEUROMODULATION);
    assertThat(verdict.refusalReason()).contains("now recorded)");

    failed(TreatmentRules.REPEAT_INJECTION);
    assertThat(check(TreatmentRules.NEUROMODULATION, null, null).rule()).isEqualTo(Rule.ALLOWED);
  }

  // ------------------------------------------------------------------ response assessment

  @Test
  void shouldCallTheSteroidSuccessfulOnlyAtOrAboveTheReliefThresholdAndSustained() {
    int threshold = DEFAULTS.reliefThresholdPercent();

    assertThat(TreatmentRules.steroidRelieved(threshold, true, DEFAULTS)).isTrue();
    assertThat(TreatmentRules.steroidRelieved(threshold - 1, true, DEFAULTS)).isFalse();
    assertThat(TreatmentRules.steroidRelieved(threshold, false, DEFAULTS)).isFalse();
    assertThat(TreatmentRules.steroidRelieved(threshold, null, DEFAULTS)).isFalse();
    assertThat(TreatmentRules.steroidRelieved(null, true, DEFAULTS)).isFalse();
  }

  // ------------------------------------------------------------------ evidence shown on the forms

  @Test
  void shouldListEveryResultAsEvidenceOneLineEach() {
    assertThat(rules().blockEvidence()).isEqualTo("No test result recorded in this pathway.");

    results.add(block("MEDIAL_BRANCH_BLOCK", "POSITIVE", "LEFT", "L4-L5", 80));
    results.add(mri("SCAR_TISSUE"));

    assertThat(rules().blockEvidence()).isEqualTo(
        "MEDIAL_BRANCH_BLOCK POSITIVE, side LEFT, level L4-L5, relief 80% (performed 2026-03-20)\n"
            + "CONTRAST_MRI POSITIVE, MRI SCAR_TISSUE (performed 2026-03-20)");
    assertThat(TreatmentRules.describe(new RuleFacts.Result("O", "CONTRAST_MRI", "NEGATIVE", null, null, null, null, null)))
        .isEqualTo("CONTRAST_MRI NEGATIVE");
  }

  @Test
  void shouldNameWhatConfirmsAMechanicalSource() {
    assertThat(rules().mechanicalSourceEvidence()).isEqualTo("Nothing recorded confirms a mechanical source.");

    imaging = Set.of("SEVERE_STENOSIS", "LARGE_DISC_HERNIATION", "FACET_ARTHROPATHY");
    results.add(mri("RECURRENT_HERNIATION"));
    results.add(block("SELECTIVE_NERVE_ROOT_BLOCK", "POSITIVE", "RIGHT", "L5", 70));

    assertThat(rules().mechanicalSourceEvidence()).isEqualTo("imaging at enrolment: LARGE_DISC_HERNIATION, SEVERE_STENOSIS; "
        + "contrast MRI: RECURRENT_HERNIATION (performed 2026-03-20); "
        + "selective nerve root block: SELECTIVE_NERVE_ROOT_BLOCK POSITIVE, side RIGHT, level L5, relief 70% (performed 2026-03-20)"
        + " (does not agree with any located lesion)");

    imagingLevel = "L4-L5";
    imagingSide = "BILATERAL";
    assertThat(rules().mechanicalSourceEvidence()).contains("; lesion located by imaging at enrolment: L4-L5 BILATERAL; ")
        .endsWith(" (agrees with the imaged lesion)");
  }
}
