package io.pathway.bpmn.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathway.bpmn.rules.TreatmentRules.Choice;
import io.pathway.bpmn.rules.TreatmentRules.Rule;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The boundary of each hard rule, on recorded facts only. */
class TreatmentRulesTest {

  private static final Instant FAILURE_DOCUMENTED = Instant.parse("2026-03-20T10:00:00Z");
  private static final RuleSettings DEFAULTS = new RuleSettings(90, 2, 50);
  private static final String REASON = "Clinically indicated after review";

  private Set<String> imaging = Set.of();
  private String painPattern = "RADICULAR";
  private final List<RuleFacts.Result> results = new ArrayList<>();
  private final List<RuleFacts.Outcome> outcomes = new ArrayList<>();
  private String diagnosis;
  private String proposed = "TARGETED_PHYSICAL_THERAPY";
  private String proposedProcedure;
  private Instant followUp = FAILURE_DOCUMENTED;
  private Integer neuropathicScore = 2;
  private boolean findingsVerified = true;
  private String steroidKind = "EPIDURAL_STEROID_INJECTION";
  private String imagingLevel;
  private String imagingSide;

  private RuleFacts facts() {
    return new RuleFacts(steroidKind, LocalDate.of(2026, 2, 20), imaging, painPattern, followUp, results, outcomes,
        diagnosis, proposed, proposedProcedure, neuropathicScore, findingsVerified, imagingLevel, imagingSide);
  }

  private TreatmentRules.Verdict check(int daysAfterFailure, String treatment, String procedure, String reason) {
    return new TreatmentRules(facts(), DEFAULTS, FAILURE_DOCUMENTED.plus(daysAfterFailure, ChronoUnit.DAYS))
        .check(new Choice(treatment, procedure, reason));
  }

  private void result(String test, String outcome, String side, String level) {
    results.add(new RuleFacts.Result("ORD-" + results.size(), test, outcome, side, level, 90, null, FAILURE_DOCUMENTED));
  }

  private void failed(String treatment) {
    outcomes.add(new RuleFacts.Outcome("PROC-" + outcomes.size(), treatment, 10, FAILURE_DOCUMENTED));
  }

  private void electiveCandidate() {
    diagnosis = "MECHANICAL_COMPRESSION";
    imaging = Set.of("LARGE_DISC_HERNIATION");
    imagingLevel = "L4-L5";
    imagingSide = "LEFT";
    result("SELECTIVE_NERVE_ROOT_BLOCK", "POSITIVE", "LEFT", "L5");
    failed("TARGETED_PHYSICAL_THERAPY");
    failed("REPEAT_IMAGE_GUIDED_INJECTION");
    proposed = "ELECTIVE_SURGICAL_REFERRAL";
    proposedProcedure = "MICRODISCECTOMY";
  }

  // ------------------------------------------------------------------ elective surgery

  @Test
  void shouldRefuseElectiveSurgeryOnDay89AfterTheDocumentedFailureAndAllowItOnDay90() {
    electiveCandidate();

    assertThat(check(89, "ELECTIVE_SURGICAL_REFERRAL", "MICRODISCECTOMY", null).rule()).isEqualTo(Rule.ELECTIVE_SURGERY);
    assertThat(check(90, "ELECTIVE_SURGICAL_REFERRAL", "MICRODISCECTOMY", null).rule()).isEqualTo(Rule.ALLOWED);
  }

  @Test
  void shouldRefuseElectiveSurgeryWithoutADocumentedSteroidFailure() {
    electiveCandidate();
    followUp = null;

    var verdict = check(400, "ELECTIVE_SURGICAL_REFERRAL", "MICRODISCECTOMY", null);

    assertThat(verdict.rule()).isEqualTo(Rule.ELECTIVE_SURGERY);
    assertThat(verdict.refusalReason()).contains("none documented");
  }

  @Test
  void shouldRefuseElectiveSurgeryOnMriOrImagingAloneWithoutAPositiveNerveRootBlock() {
    electiveCandidate();
    results.clear();
    results.add(new RuleFacts.Result("MRI", "CONTRAST_MRI", "POSITIVE", null, null, null, "RECURRENT_HERNIATION", FAILURE_DOCUMENTED));

    var verdict = check(120, "ELECTIVE_SURGICAL_REFERRAL", "MICRODISCECTOMY", null);

    assertThat(verdict.rule()).isEqualTo(Rule.ELECTIVE_SURGERY);
    assertThat(verdict.refusalReason()).contains("no positive selective nerve root block");
  }

  @Test
  void shouldRefuseElectiveSurgeryWithoutImagingOfAMechanicalSource() {
    electiveCandidate();
    imaging = Set.of("DISC_DEGENERATION");

    assertThat(check(120, "ELECTIVE_SURGICAL_REFERRAL", "MICRODISCECTOMY", null).refusalReason()).contains("no imaging");
  }

  @Test
  void shouldAcceptARecurrentHerniationOnTheOrderedMriAsImagingConfirmation() {
    electiveCandidate();
    imaging = Set.of();
    results.add(new RuleFacts.Result("MRI", "CONTRAST_MRI", "POSITIVE", "LEFT", "L4-L5", null, "RECURRENT_HERNIATION",
        FAILURE_DOCUMENTED));

    assertThat(check(120, "ELECTIVE_SURGICAL_REFERRAL", "MICRODISCECTOMY", null).allowed()).isTrue();
  }

  @Test
  void shouldRefuseElectiveSurgeryUnlessBothAConservativeAndAnInterventionalTreatmentFailed() {
    electiveCandidate();
    steroidKind = "ORAL_CORTICOSTEROID"; // oral steroids are not interventional care
    outcomes.clear();
    failed("TARGETED_PHYSICAL_THERAPY");
    assertThat(check(120, "ELECTIVE_SURGICAL_REFERRAL", "MICRODISCECTOMY", null).refusalReason())
        .contains("no interventional treatment has failed");

    outcomes.clear();
    failed("REPEAT_IMAGE_GUIDED_INJECTION");
    assertThat(check(120, "ELECTIVE_SURGICAL_REFERRAL", "MICRODISCECTOMY", null).refusalReason())
        .contains("no conservative treatment has failed");

    outcomes.clear();
    outcomes.add(new RuleFacts.Outcome("P", "TARGETED_PHYSICAL_THERAPY", 50, FAILURE_DOCUMENTED)); // 50% is relief, not failure
    failed("REPEAT_IMAGE_GUIDED_INJECTION");
    assertThat(check(120, "ELECTIVE_SURGICAL_REFERRAL", "MICRODISCECTOMY", null).allowed()).isFalse();
  }

  @Test
  void shouldRefuseElectiveSurgeryForADiagnosisOtherThanMechanicalCompression() {
    electiveCandidate();
    diagnosis = "DISCOGENIC_PAIN";

    assertThat(check(120, "ELECTIVE_SURGICAL_REFERRAL", "MICRODISCECTOMY", REASON).refusalReason())
        .contains("not MECHANICAL_COMPRESSION");
  }

  // ------------------------------------------------------------------ corrected and superseded results (F9)

  @Test
  void shouldRefuseAblationWhenTheLatestBlockOfThatJointIsNegativeAfterAnOlderPositiveOne() {
    diagnosis = "FACET_JOINT_PAIN";
    proposed = "RADIOFREQUENCY_ABLATION";
    result("MEDIAL_BRANCH_BLOCK", "POSITIVE", "LEFT", "L4-L5");
    assertThat(check(0, "RADIOFREQUENCY_ABLATION", null, null).allowed()).isTrue();

    result("MEDIAL_BRANCH_BLOCK", "NEGATIVE", "LEFT", "L4-L5"); // a repeat block in a later round, or the order's correction

    assertThat(check(0, "RADIOFREQUENCY_ABLATION", null, REASON).rule()).isEqualTo(Rule.ABLATION);
    assertThat(new TreatmentRules(facts(), DEFAULTS, FAILURE_DOCUMENTED).proposalInputs()).containsEntry("facetBlockPositive", false)
        .containsEntry("ablationCriteriaMet", false);
  }

  @Test
  void shouldRefuseElectiveSurgeryWhenTheLatestNerveRootBlockIsNotPositive() {
    electiveCandidate();
    assertThat(check(120, "ELECTIVE_SURGICAL_REFERRAL", "MICRODISCECTOMY", null).allowed()).isTrue();

    result("SELECTIVE_NERVE_ROOT_BLOCK", "INCONCLUSIVE", "LEFT", "L5");

    var verdict = check(120, "ELECTIVE_SURGICAL_REFERRAL", "MICRODISCECTOMY", null);
    assertThat(verdict.rule()).isEqualTo(Rule.ELECTIVE_SURGERY);
    assertThat(verdict.refusalReason()).contains("no positive selective nerve root block");
  }

  // ------------------------------------------------------------------ a block that confirms (F16)

  private void block(String test, String side, String level, Integer relief) {
    results.add(new RuleFacts.Result("ORD-" + results.size(), test, "POSITIVE", side, level, relief, null, FAILURE_DOCUMENTED));
  }

  @Test
  void shouldAblateOnlyOnABlockWithTheReliefThresholdAndItsLevelAndSide() {
    diagnosis = "FACET_JOINT_PAIN";
    proposed = "RADIOFREQUENCY_ABLATION";

    block("MEDIAL_BRANCH_BLOCK", "LEFT", "L4-L5", 49);
    var weak = check(0, "RADIOFREQUENCY_ABLATION", null, null);
    assertThat(weak.rule()).isEqualTo(Rule.ABLATION);
    assertThat(weak.refusalReason()).contains("does not confirm the joint", "50%");

    results.clear();
    block("MEDIAL_BRANCH_BLOCK", "LEFT", null, 90);
    assertThat(check(0, "RADIOFREQUENCY_ABLATION", null, null).rule()).isEqualTo(Rule.ABLATION);

    results.clear();
    block("MEDIAL_BRANCH_BLOCK", "LEFT", "L4-L5", null);
    assertThat(check(0, "RADIOFREQUENCY_ABLATION", null, null).rule()).isEqualTo(Rule.ABLATION);

    results.clear();
    block("MEDIAL_BRANCH_BLOCK", "LEFT", "L4-L5", 50);
    var allowed = check(0, "RADIOFREQUENCY_ABLATION", null, null);
    assertThat(allowed.allowed()).isTrue();
    // the order names the joint, side and level the block confirmed
    assertThat(allowed.orderReason()).contains("MEDIAL_BRANCH_BLOCK POSITIVE", "side LEFT", "level L4-L5", "relief 50%");

    // a stricter configured threshold (e.g. 80% for a dual-block protocol)
    var strict = new TreatmentRules(facts(), new RuleSettings(90, 2, 50, 80), FAILURE_DOCUMENTED);
    assertThat(strict.check(new Choice("RADIOFREQUENCY_ABLATION", null, null)).rule()).isEqualTo(Rule.ABLATION);
    assertThat(strict.proposalInputs()).containsEntry("ablationCriteriaMet", false).containsEntry("facetBlockPositive", false);
  }

  @Test
  void shouldRefuseElectiveSurgeryOnANerveRootBlockWithoutEnoughReliefOrWithoutItsLevel() {
    electiveCandidate();
    results.clear();
    block("SELECTIVE_NERVE_ROOT_BLOCK", null, "S1", 10);

    var verdict = check(120, "ELECTIVE_SURGICAL_REFERRAL", "MICRODISCECTOMY", null);
    assertThat(verdict.rule()).isEqualTo(Rule.ELECTIVE_SURGERY);
    assertThat(verdict.refusalReason()).contains("does not confirm a root");

    results.clear();
    block("SELECTIVE_NERVE_ROOT_BLOCK", null, null, 90);
    assertThat(check(120, "ELECTIVE_SURGICAL_REFERRAL", "MICRODISCECTOMY", null).rule()).isEqualTo(Rule.ELECTIVE_SURGERY);

    results.clear();
    block("SELECTIVE_NERVE_ROOT_BLOCK", "LEFT", "L5", 60);
    assertThat(check(120, "ELECTIVE_SURGICAL_REFERRAL", "MICRODISCECTOMY", null).allowed()).isTrue();
  }

  /**
   * F16: the root block must test a root at the imaged lesion and on its side. The review's case: a large herniation at
   * L4-L5 on the left and a positive S1 block on the right.
   */
  @Test
  void shouldReferElectivelyOnlyWhenTheRootBlockAgreesWithTheImagedLesionInLevelAndSide() {
    electiveCandidate();
    assertThat(check(120, "ELECTIVE_SURGICAL_REFERRAL", "MICRODISCECTOMY", null).allowed()).isTrue(); // L5 left, L4-L5 left

    results.clear();
    block("SELECTIVE_NERVE_ROOT_BLOCK", "RIGHT", "S1", 90);
    var otherRoot = check(120, "ELECTIVE_SURGICAL_REFERRAL", "MICRODISCECTOMY", null);
    assertThat(otherRoot.rule()).isEqualTo(Rule.ELECTIVE_SURGERY);
    assertThat(otherRoot.refusalReason()).contains("does not agree with the imaged lesion", "L4-L5 LEFT");

    results.clear();
    block("SELECTIVE_NERVE_ROOT_BLOCK", "RIGHT", "L5", 90); // right level, wrong side
    assertThat(check(120, "ELECTIVE_SURGICAL_REFERRAL", "MICRODISCECTOMY", null).rule()).isEqualTo(Rule.ELECTIVE_SURGERY);

    results.clear();
    block("SELECTIVE_NERVE_ROOT_BLOCK", "LEFT", "L4", 90); // the exiting root of the segment
    assertThat(check(120, "ELECTIVE_SURGICAL_REFERRAL", "MICRODISCECTOMY", null).allowed()).isTrue();

    results.clear();
    block("SELECTIVE_NERVE_ROOT_BLOCK", null, "L5", 90); // no side: agrees with nothing
    assertThat(check(120, "ELECTIVE_SURGICAL_REFERRAL", "MICRODISCECTOMY", null).rule()).isEqualTo(Rule.ELECTIVE_SURGERY);

    results.clear();
    block("SELECTIVE_NERVE_ROOT_BLOCK", "RIGHT", "L5", 90);
    imagingSide = "CENTRAL"; // a central lesion can compress either side
    assertThat(check(120, "ELECTIVE_SURGICAL_REFERRAL", "MICRODISCECTOMY", null).allowed()).isTrue();

    imagingLevel = null; // imaging that names no level locates nothing
    var unlocated = check(120, "ELECTIVE_SURGICAL_REFERRAL", "MICRODISCECTOMY", null);
    assertThat(unlocated.rule()).isEqualTo(Rule.ELECTIVE_SURGERY);
    assertThat(unlocated.refusalReason()).contains("names no level and side");
    assertThat(new TreatmentRules(facts(), DEFAULTS, FAILURE_DOCUMENTED.plus(120, ChronoUnit.DAYS)).proposalInputs())
        .containsEntry("electiveCriteriaMet", false);
  }

  // ------------------------------------------------------------------ code lists

  @Test
  void shouldRefuseAnUnknownTreatmentOrProcedureInsteadOfDefaulting() {
    electiveCandidate();

    assertThat(check(120, "SPINAL_FUSION", null, REASON).rule()).isEqualTo(Rule.UNKNOWN_CODE);
    assertThat(check(120, null, null, REASON).rule()).isEqualTo(Rule.UNKNOWN_CODE);
    assertThat(check(120, "ELECTIVE_SURGICAL_REFERRAL", "LAMINECTOMY", REASON).rule()).isEqualTo(Rule.UNKNOWN_CODE);
    assertThat(check(120, "ELECTIVE_SURGICAL_REFERRAL", null, REASON).rule()).isEqualTo(Rule.UNKNOWN_CODE);
  }

  // ------------------------------------------------------------------ override reasons

  @Test
  void shouldNeedAReasonOfAtLeastTenCharactersForAChange() {
    diagnosis = "DISCOGENIC_PAIN";
    proposed = "TARGETED_PHYSICAL_THERAPY";

    assertThat(check(0, "REPEAT_IMAGE_GUIDED_INJECTION", null, null).rule()).isEqualTo(Rule.CHANGE_WITHOUT_REASON);
    assertThat(check(0, "REPEAT_IMAGE_GUIDED_INJECTION", null, ".").rule()).isEqualTo(Rule.CHANGE_WITHOUT_REASON);
    assertThat(check(0, "REPEAT_IMAGE_GUIDED_INJECTION", null, "  123456789  ").rule()).isEqualTo(Rule.CHANGE_WITHOUT_REASON);
    assertThat(check(0, "REPEAT_IMAGE_GUIDED_INJECTION", null, " 1234567890 ").rule()).isEqualTo(Rule.ALLOWED);
    assertThat(check(0, "TARGETED_PHYSICAL_THERAPY", null, null).rule()).isEqualTo(Rule.ALLOWED);
  }

  // ------------------------------------------------------------------ ablation

  @Test
  void shouldAllowAblationOnlyOnAPositiveBlockOfThatJointAndCarryItsSideAndLevel() {
    diagnosis = "FACET_JOINT_PAIN";
    proposed = "RADIOFREQUENCY_ABLATION";
    result("MEDIAL_BRANCH_BLOCK", "POSITIVE", "RIGHT", "L4-L5");

    var verdict = check(0, "RADIOFREQUENCY_ABLATION", null, null);

    assertThat(verdict.allowed()).isTrue();
    assertThat(verdict.orderReason()).contains("MEDIAL_BRANCH_BLOCK POSITIVE", "side RIGHT", "level L4-L5");
  }

  @Test
  void shouldRefuseFacetAblationOnAPositiveSiBlockAndSiAblationOnAPositiveFacetBlock() {
    proposed = "RADIOFREQUENCY_ABLATION";
    result("SI_JOINT_BLOCK", "POSITIVE", "LEFT", null);
    diagnosis = "FACET_JOINT_PAIN";
    assertThat(check(0, "RADIOFREQUENCY_ABLATION", null, null).rule()).isEqualTo(Rule.ABLATION);

    results.clear();
    result("MEDIAL_BRANCH_BLOCK", "POSITIVE", "LEFT", "L4-L5");
    diagnosis = "SI_JOINT_PAIN";
    assertThat(check(0, "RADIOFREQUENCY_ABLATION", null, null).rule()).isEqualTo(Rule.ABLATION);
  }

  @Test
  void shouldRefuseAblationOnANegativeBlockOrABlockWithoutSide() {
    diagnosis = "FACET_JOINT_PAIN";
    proposed = "RADIOFREQUENCY_ABLATION";
    result("MEDIAL_BRANCH_BLOCK", "NEGATIVE", "RIGHT", "L4-L5");
    assertThat(check(0, "RADIOFREQUENCY_ABLATION", null, null).rule()).isEqualTo(Rule.ABLATION);

    results.clear();
    result("MEDIAL_BRANCH_BLOCK", "POSITIVE", null, "L4-L5");
    assertThat(check(0, "RADIOFREQUENCY_ABLATION", null, null).refusalReason()).contains("names no side");
  }

  @Test
  void shouldNeedAReasonForARepeatAblationAfterAFailedOne() {
    diagnosis = "FACET_JOINT_PAIN";
    proposed = "RADIOFREQUENCY_ABLATION";
    result("MEDIAL_BRANCH_BLOCK", "POSITIVE", "RIGHT", "L4-L5");
    failed("RADIOFREQUENCY_ABLATION");

    assertThat(check(0, "RADIOFREQUENCY_ABLATION", null, null).rule()).isEqualTo(Rule.ABLATION);
    assertThat(check(0, "RADIOFREQUENCY_ABLATION", null, "Technical failure of the lesioning").rule()).isEqualTo(Rule.ALLOWED);
  }

  // ------------------------------------------------------------------ mild

  @Test
  void shouldAllowMildOnlyForStenosisWithLigamentHypertrophyAndClaudication() {
    diagnosis = "LUMBAR_SPINAL_STENOSIS";
    proposed = "MINIMALLY_INVASIVE_LUMBAR_DECOMPRESSION";
    painPattern = "NEUROGENIC_CLAUDICATION";
    imaging = Set.of("SEVERE_STENOSIS", "SPONDYLOLISTHESIS");
    assertThat(check(0, "MINIMALLY_INVASIVE_LUMBAR_DECOMPRESSION", null, REASON).rule()).isEqualTo(Rule.MILD);

    imaging = Set.of("SEVERE_STENOSIS", "LIGAMENTUM_FLAVUM_HYPERTROPHY");
    painPattern = "RADICULAR";
    assertThat(check(0, "MINIMALLY_INVASIVE_LUMBAR_DECOMPRESSION", null, REASON).rule()).isEqualTo(Rule.MILD);

    painPattern = "NEUROGENIC_CLAUDICATION";
    assertThat(check(0, "MINIMALLY_INVASIVE_LUMBAR_DECOMPRESSION", null, null).rule()).isEqualTo(Rule.ALLOWED);
  }

  @Test
  void shouldRefuseMildForStenosisWithSpondylolisthesisEvenWithAReason() {
    // F19: instability goes to a surgical assessment (fusion), never to the mild procedure
    diagnosis = "LUMBAR_SPINAL_STENOSIS";
    proposed = "TARGETED_PHYSICAL_THERAPY";
    painPattern = "NEUROGENIC_CLAUDICATION";
    imaging = Set.of("LIGAMENTUM_FLAVUM_HYPERTROPHY", "SPONDYLOLISTHESIS");

    var verdict = check(0, "MINIMALLY_INVASIVE_LUMBAR_DECOMPRESSION", null, REASON);
    assertThat(verdict.rule()).isEqualTo(Rule.MILD);
    assertThat(verdict.refusalReason()).contains("spondylolisthesis");
    assertThat(new TreatmentRules(facts(), DEFAULTS, FAILURE_DOCUMENTED).proposalInputs()).containsEntry("mildCriteriaMet", false);
  }

  @Test
  void shouldRefuseMildForANeuropathicPatientEvenWithAReason() {
    diagnosis = "NEUROPATHIC_PAIN";
    imaging = Set.of("LIGAMENTUM_FLAVUM_HYPERTROPHY");
    painPattern = "NEUROGENIC_CLAUDICATION";

    assertThat(check(0, "MINIMALLY_INVASIVE_LUMBAR_DECOMPRESSION", null, "Claudication on walking").rule()).isEqualTo(Rule.MILD);
  }

  // ------------------------------------------------------------------ neuromodulation

  @Test
  void shouldAllowNeuromodulationForNeuropathicPainOnlyAfterTwoOtherMeasuresFailed() {
    diagnosis = "NEUROPATHIC_PAIN";
    neuropathicScore = 7;
    proposed = "NEUROMODULATION_TRIAL";
    followUp = null; // no documented steroid failure: only the pathway's own treatments count
    failed("TARGETED_PHYSICAL_THERAPY");
    assertThat(check(0, "NEUROMODULATION_TRIAL", null, null).rule()).isEqualTo(Rule.NEUROMODULATION);

    failed("TARGETED_PHYSICAL_THERAPY"); // the same treatment failing twice is one measure
    assertThat(check(0, "NEUROMODULATION_TRIAL", null, null).rule()).isEqualTo(Rule.NEUROMODULATION);

    failed("REPEAT_IMAGE_GUIDED_INJECTION");
    assertThat(check(0, "NEUROMODULATION_TRIAL", null, null).rule()).isEqualTo(Rule.ALLOWED);
  }

  /**
   * F18: the steroid treatment whose failure the pathway documented is a measure that failed, so central sensitisation
   * reaches neuromodulation after it and one more failed treatment, without an injection that cannot help; the steroid
   * alone is never enough.
   */
  @Test
  void shouldCountTheDocumentedSteroidFailureAsOneFailedMeasure() {
    diagnosis = "NEUROPATHIC_PAIN";
    neuropathicScore = 7;
    proposed = "NEUROMODULATION_TRIAL";
    assertThat(check(0, "NEUROMODULATION_TRIAL", null, null).refusalReason()).contains("(now 1)");

    failed("TARGETED_PHYSICAL_THERAPY");
    assertThat(check(0, "NEUROMODULATION_TRIAL", null, null).allowed()).isTrue();

    followUp = null; // without the documented failure the steroid is not counted
    assertThat(check(0, "NEUROMODULATION_TRIAL", null, null).refusalReason()).contains("(now 1)");
  }

  /**
   * F18: a documented failed epidural steroid injection is the interventional care that failed, so a compression goes to
   * an elective referral after physical therapy without another injection; oral steroids are not interventional, and a
   * coordinator's unconfirmed start form does not establish the injection.
   */
  @Test
  void shouldCountADocumentedFailedEpiduralInjectionAsFailedInterventionalCare() {
    electiveCandidate();
    outcomes.clear();
    failed("TARGETED_PHYSICAL_THERAPY");
    var rules = new TreatmentRules(facts(), DEFAULTS, FAILURE_DOCUMENTED.plus(120, ChronoUnit.DAYS));
    assertThat(rules.check(new Choice("ELECTIVE_SURGICAL_REFERRAL", "MICRODISCECTOMY", null)).allowed()).isTrue();
    assertThat(rules.proposalInputs()).containsEntry("injectionFailed", true).containsEntry("electiveCriteriaMet", true);
    assertThat(rules.check(new Choice("ELECTIVE_SURGICAL_REFERRAL", "MICRODISCECTOMY", null)).orderReason())
        .contains("EPIDURAL_STEROID_INJECTION (enrolment)");

    steroidKind = "ORAL_CORTICOSTEROID";
    assertThat(check(120, "ELECTIVE_SURGICAL_REFERRAL", "MICRODISCECTOMY", null).refusalReason())
        .contains("no interventional treatment has failed");

    steroidKind = "EPIDURAL_STEROID_INJECTION";
    followUp = null;
    assertThat(check(400, "ELECTIVE_SURGICAL_REFERRAL", "MICRODISCECTOMY", null).refusalReason())
        .contains("no interventional treatment has failed");

    followUp = FAILURE_DOCUMENTED;
    findingsVerified = false;
    assertThat(new TreatmentRules(facts(), DEFAULTS, FAILURE_DOCUMENTED).epiduralInjectionFailed()).isFalse();
  }

  @Test
  void shouldRefuseNeuromodulationWithoutARecordedNeuropathicFactWhateverTheLabelAndTheFailures() {
    // F10: the label NEUROPATHIC_PAIN (e.g. from symptom duration, or set by a clinician) and two failures are not enough
    diagnosis = "NEUROPATHIC_PAIN";
    proposed = "NEUROMODULATION_TRIAL";
    failed("TARGETED_PHYSICAL_THERAPY");
    failed("REPEAT_IMAGE_GUIDED_INJECTION");
    neuropathicScore = 3;

    var verdict = check(0, "NEUROMODULATION_TRIAL", null, REASON);
    assertThat(verdict.rule()).isEqualTo(Rule.NEUROMODULATION);
    assertThat(verdict.refusalReason()).contains("neuropathic fact", "now none");
    assertThat(new TreatmentRules(facts(), DEFAULTS, FAILURE_DOCUMENTED).proposalInputs()).containsEntry("neuromodulationCriteriaMet", false);

    neuropathicScore = 4; // the DN4 cut-off
    assertThat(check(0, "NEUROMODULATION_TRIAL", null, REASON).allowed()).isTrue();

    neuropathicScore = null; // no screen, but epidural scar on the pathway's contrast MRI
    results.add(new RuleFacts.Result("MRI", "CONTRAST_MRI", "POSITIVE", null, null, null, "SCAR_TISSUE", FAILURE_DOCUMENTED));
    assertThat(check(0, "NEUROMODULATION_TRIAL", null, REASON).allowed()).isTrue();
  }

  @Test
  void shouldRefuseNeuromodulationForAnotherDiagnosis() {
    diagnosis = "FACET_JOINT_PAIN";
    failed("RADIOFREQUENCY_ABLATION");
    failed("TARGETED_PHYSICAL_THERAPY");

    assertThat(check(0, "NEUROMODULATION_TRIAL", null, REASON).rule()).isEqualTo(Rule.NEUROMODULATION);
  }

  @Test
  void shouldFollowAConfiguredNumberOfFailedMeasures() {
    diagnosis = "NEUROPATHIC_PAIN";
    proposed = "NEUROMODULATION_TRIAL";
    failed("TARGETED_PHYSICAL_THERAPY");
    failed("REPEAT_IMAGE_GUIDED_INJECTION");
    neuropathicScore = 7;
    // PT, the injection and the documented steroid failure: three measures
    assertThat(new TreatmentRules(facts(), new RuleSettings(90, 4, 50), FAILURE_DOCUMENTED)
        .check(new Choice("NEUROMODULATION_TRIAL", null, null)).rule()).isEqualTo(Rule.NEUROMODULATION);
    assertThat(new TreatmentRules(facts(), new RuleSettings(90, 3, 50), FAILURE_DOCUMENTED)
        .check(new Choice("NEUROMODULATION_TRIAL", null, null)).allowed()).isTrue();
  }
}
