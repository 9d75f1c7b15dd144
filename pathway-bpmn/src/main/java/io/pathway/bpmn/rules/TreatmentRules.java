package io.pathway.bpmn.rules;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The hard rules of treatment selection, in one place, as the clinical source gives them. They read
 * only {@link RuleFacts} (what the platform recorded itself) and the clinician's choice; the
 * treatment table uses {@link #proposalInputs} so that the proposal and the gate agree.
 *
 * <ul>
 *   <li><b>Code list:</b> the treatment is one of {@link #TREATMENTS}; an elective referral names one of
 *       {@link #SURGICAL_PROCEDURES}. Anything else is refused, never defaulted.</li>
 *   <li><b>Override:</b> a choice that differs from the proposal needs a reason of at least
 *       {@value RuleSettings#MIN_REASON_LENGTH} characters.</li>
 *   <li><b>Radiofrequency ablation:</b> facet joint pain with a positive medial branch block, or SI joint
 *       pain with a positive SI joint block, that names its side; the order carries that side and level.
 *       A repeat after a failed ablation needs a reason.</li>
 *   <li><b>Elective surgical referral:</b> mechanical compression confirmed by imaging and by a positive
 *       selective nerve root block of a root at the imaged lesion's level and on its side; at least N days since the
 *       documented steroid failure; at least one conservative and one interventional treatment failed (the documented
 *       failure of the enrolment's epidural steroid injection is interventional care that failed). (Red flags take
 *       their own route and never reach this gate.)</li>
 *   <li><b>mild:</b> lumbar spinal stenosis with ligamentum flavum hypertrophy on imaging and neurogenic
 *       claudication.</li>
 *   <li><b>Neuromodulation:</b> neuropathic pain with a recorded neuropathic fact (a positive neuropathic
 *       screen at enrolment, or scar on the pathway's contrast MRI; never symptom duration alone) and at least K
 *       other measures failed: the treatments the pathway ordered, and the documented failure of the enrolment's
 *       steroid treatment.</li>
 * </ul>
 */
public final class TreatmentRules {

  public static final String PHYSICAL_THERAPY = "TARGETED_PHYSICAL_THERAPY";
  public static final String REPEAT_INJECTION = "REPEAT_IMAGE_GUIDED_INJECTION";
  public static final String ABLATION = "RADIOFREQUENCY_ABLATION";
  public static final String MILD = "MINIMALLY_INVASIVE_LUMBAR_DECOMPRESSION";
  public static final String NEUROMODULATION = "NEUROMODULATION_TRIAL";
  public static final String ELECTIVE_REFERRAL = "ELECTIVE_SURGICAL_REFERRAL";

  /** What a clinician may choose at the treatment gate. */
  public static final Set<String> TREATMENTS =
      Set.of(PHYSICAL_THERAPY, REPEAT_INJECTION, ABLATION, MILD, NEUROMODULATION, ELECTIVE_REFERRAL);
  public static final Set<String> SURGICAL_PROCEDURES = Set.of("MICRODISCECTOMY", "SPINAL_FUSION");
  /** Conservative care among the treatments the pathway orders. */
  public static final Set<String> CONSERVATIVE = Set.of(PHYSICAL_THERAPY);
  /** Interventional care among the treatments the pathway orders. */
  public static final Set<String> INTERVENTIONAL = Set.of(REPEAT_INJECTION, ABLATION, MILD, NEUROMODULATION);
  /** Imaging at enrolment that shows a mechanical source. */
  public static final Set<String> MECHANICAL_IMAGING =
      Set.of("LARGE_DISC_HERNIATION", "SPONDYLOLISTHESIS", "SEVERE_STENOSIS", "NERVE_ROOT_COMPRESSION");
  /** Contrast MRI findings (ordered by the pathway) that show a mechanical source. */
  public static final Set<String> MECHANICAL_MRI = Set.of("RECURRENT_HERNIATION", "RECURRENT_HERNIATION_AND_SCAR");
  /** Contrast MRI findings (ordered by the pathway) that show epidural scar: a neuropathic fact. */
  public static final Set<String> SCAR_MRI = Set.of("SCAR_TISSUE", "RECURRENT_HERNIATION_AND_SCAR");

  /** Which rule refused the choice ({@code ALLOWED} when none). */
  public enum Rule { ALLOWED, UNKNOWN_CODE, CHANGE_WITHOUT_REASON, ABLATION, ELECTIVE_SURGERY, MILD, NEUROMODULATION }

  /** The clinician's choice at the treatment gate. */
  public record Choice(String treatment, String surgicalProcedure, String overrideReason) {}

  /**
   * @param rule the rule that refused, or {@code ALLOWED}
   * @param refusalReason what the clinician is told (null when allowed)
   * @param orderReason the reason the order carries (ablation: the joint, side and level the block confirmed)
   */
  public record Verdict(Rule rule, String refusalReason, String orderReason) {
    public boolean allowed() {
      return rule == Rule.ALLOWED;
    }
  }

  private final RuleFacts facts;
  private final RuleSettings settings;
  private final Instant now;

  public TreatmentRules(RuleFacts facts, RuleSettings settings, Instant now) {
    this.facts = facts;
    this.settings = settings;
    this.now = now;
  }

  // ------------------------------------------------------------------ the gate

  public Verdict check(Choice choice) {
    String treatment = choice.treatment();
    String diagnosis = facts.confirmedDiagnosis();
    if (treatment == null || !TREATMENTS.contains(treatment)) {
      return refuse(Rule.UNKNOWN_CODE, "The treatment chosen is not one of this pathway's treatments: choose one from the list.");
    }
    boolean elective = ELECTIVE_REFERRAL.equals(treatment);
    if (elective && (choice.surgicalProcedure() == null || !SURGICAL_PROCEDURES.contains(choice.surgicalProcedure()))) {
      return refuse(Rule.UNKNOWN_CODE, "Choose the surgical procedure to suggest (microdiscectomy or spinal fusion).");
    }
    boolean changed = !treatment.equals(facts.proposedTreatment())
        || (elective && !choice.surgicalProcedure().equals(facts.proposedSurgicalProcedure()));
    if (changed && !RuleSettings.isReason(choice.overrideReason())) {
      return refuse(Rule.CHANGE_WITHOUT_REASON, "You changed the proposed treatment: give the reason for the change (at least "
          + RuleSettings.MIN_REASON_LENGTH + " characters).");
    }
    String orderReason = "Definitive diagnosis " + diagnosis;
    switch (treatment) {
      case ABLATION -> {
        // the latest block of the diagnosis' joint, if positive (confirmingBlock() is this one when it also confirms)
        Optional<RuleFacts.Result> positive = switch (String.valueOf(diagnosis)) {
          case "FACET_JOINT_PAIN" -> latestIfPositive("MEDIAL_BRANCH_BLOCK");
          case "SI_JOINT_PAIN" -> latestIfPositive("SI_JOINT_BLOCK");
          default -> Optional.empty();
        };
        if (positive.isEmpty()) {
          return refuse(Rule.ABLATION, "Radiofrequency ablation needs a positive diagnostic block of the painful joint, ordered by "
              + "this pathway: a medial branch block for facet joint pain, a sacroiliac joint block for SI joint pain.");
        }
        if (positive.get().side() == null) {
          return refuse(Rule.ABLATION, "The positive diagnostic block names no side, so the ablation cannot be tied to the joint "
              + "it confirmed: ask for the block's side, or repeat the block.");
        }
        if (!confirms(positive.get())) {
          return refuse(Rule.ABLATION, "The positive diagnostic block does not confirm the joint: it needs immediate relief of at "
              + "least " + settings.blockReliefThresholdPercent() + "% and the level and side it tested (" + describe(positive.get())
              + "): ask for them, or repeat the block.");
        }
        Optional<RuleFacts.Result> block = positive;
        if (failed().contains(ABLATION) && !RuleSettings.isReason(choice.overrideReason())) {
          return refuse(Rule.ABLATION, "A radiofrequency ablation has already failed in this pathway: a repeat needs its reason "
              + "(at least " + RuleSettings.MIN_REASON_LENGTH + " characters).");
        }
        orderReason = orderReason + "; ablation of the joint the block confirmed: " + describe(block.get());
      }
      case ELECTIVE_REFERRAL -> {
        List<String> missing = electiveCriteriaMissing();
        if (!missing.isEmpty()) {
          return refuse(Rule.ELECTIVE_SURGERY, "Elective surgical referral is not allowed yet: " + String.join("; ", missing)
              + ". Red flags take their own urgent route.");
        }
        orderReason = "Diagnosis MECHANICAL_COMPRESSION; " + mechanicalSourceEvidence() + "; " + failedCareDays()
            + " days since the documented steroid failure; failed treatments: "
            + String.join(", ", epiduralInjectionFailed() ? prepend("EPIDURAL_STEROID_INJECTION (enrolment)", failed()) : failed());
      }
      case MILD -> {
        if (!mildCriteriaMet()) {
          return refuse(Rule.MILD, "The mild procedure is only for lumbar spinal stenosis with ligamentum flavum hypertrophy on "
              + "imaging and neurogenic claudication, without instability (spondylolisthesis needs a surgical assessment)"
              + (facts.findingsVerified() ? "." : "; the imaging findings and pain pattern entered on the start form are not "
              + "confirmed by a clinician."));
        }
      }
      case NEUROMODULATION -> {
        if (!neuromodulationCriteriaMet()) {
          return refuse(Rule.NEUROMODULATION, "Neuromodulation is only for neuropathic pain that resisted other measures: it needs "
              + "the diagnosis NEUROPATHIC_PAIN, a recorded neuropathic fact (a positive neuropathic screen, DN4 of "
              + RuleFacts.NEUROPATHIC_SCREEN_POSITIVE + " or more, at enrolment, or scar on this pathway's contrast MRI; now "
              + (neuropathicFactRecorded() ? "recorded" : "none") + ") and at least " + settings.neuromodulationMinFailedMeasures()
              + " other measures failed: the documented steroid failure and the treatments of this pathway (now "
              + failedMeasures() + ").");
        }
      }
      default -> { }
    }
    return new Verdict(Rule.ALLOWED, null, orderReason);
  }

  private static List<String> prepend(String first, Set<String> rest) {
    List<String> all = new ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return all;
  }

  private static Verdict refuse(Rule rule, String reason) {
    return new Verdict(rule, reason, null);
  }

  // ------------------------------------------------------------------ criteria

  /**
   * Whether the steroid relieved the pain, from the follow-up the pathway accepted: relief at or above the
   * threshold and sustained. False without an accepted follow-up (the pathway goes on, never ends resolved).
   */
  public static boolean steroidRelieved(Integer painReductionPercent, Boolean sustained, RuleSettings settings) {
    return painReductionPercent != null && painReductionPercent >= settings.reliefThresholdPercent() && Boolean.TRUE.equals(sustained);
  }

  /** The block that confirms the confirmed diagnosis' joint: the latest result of that block, if it is positive. */
  public Optional<RuleFacts.Result> confirmingBlock() {
    String test = switch (String.valueOf(facts.confirmedDiagnosis())) {
      case "FACET_JOINT_PAIN" -> "MEDIAL_BRANCH_BLOCK";
      case "SI_JOINT_PAIN" -> "SI_JOINT_BLOCK";
      default -> null;
    };
    return test == null ? Optional.empty() : latestIfPositive(test).filter(this::confirms);
  }

  /**
   * Whether a positive block confirms what it tested (F16): immediate relief at or above the block threshold
   * ({@code pathway.clinical.block-relief-threshold-percent}, default 50%) and the level it tested; a joint
   * block (medial branch, SI joint) also names its side. A positive block without them confirms nothing.
   */
  public boolean confirms(RuleFacts.Result block) {
    if (!block.positive() || block.reliefPercent() == null || block.reliefPercent() < settings.blockReliefThresholdPercent()
        || block.level() == null || block.level().isBlank()) {
      return false;
    }
    boolean jointBlock = "MEDIAL_BRANCH_BLOCK".equals(block.test()) || "SI_JOINT_BLOCK".equals(block.test());
    return !jointBlock || (block.side() != null && !block.side().isBlank());
  }

  /** The latest selective nerve root block, if it is positive and confirms its root (relief and level). */
  public Optional<RuleFacts.Result> confirmingRootBlock() {
    return latestIfPositive("SELECTIVE_NERVE_ROOT_BLOCK").filter(this::confirms);
  }

  /**
   * The latest result of the test (the facts hold the latest result of each order, a correction included),
   * if that one is positive. An older positive result never stands in for a later negative or inconclusive
   * one, nor for its own correction.
   */
  public Optional<RuleFacts.Result> latestIfPositive(String test) {
    return latest(test).filter(RuleFacts.Result::positive);
  }

  /** The latest result of the test, whatever its outcome (a test recorded as not done is no result). */
  public Optional<RuleFacts.Result> latest(String test) {
    RuleFacts.Result latest = null;
    for (RuleFacts.Result r : facts.results()) {
      if (test.equals(r.test()) && r.resulted()) {
        latest = r;
      }
    }
    return Optional.ofNullable(latest);
  }

  /** The enrolment's imaging findings, if verified (from the hospital or confirmed by a clinician, F17); else none. */
  private Set<String> imaging() {
    return facts.findingsVerified() ? facts.imagingFindings() : Set.of();
  }

  /** The enrolment's pain pattern, if verified; else null. */
  private String painPattern() {
    return facts.findingsVerified() ? facts.painPattern() : null;
  }

  public boolean imagingShowsMechanicalSource() {
    return imaging().stream().anyMatch(MECHANICAL_IMAGING::contains)
        || facts.results().stream().anyMatch(r -> "CONTRAST_MRI".equals(r.test()) && MECHANICAL_MRI.contains(r.mriFinding()));
  }

  public boolean mechanicalSourceConfirmed() {
    return imagingShowsMechanicalSource() && confirmingRootBlock().filter(this::agreesWithImaging).isPresent();
  }

  /** Where an imaging study located a mechanical lesion: a level (segment or root) and a side. */
  public record Lesion(String source, String level, String side) {}

  /**
   * The mechanical lesions imaging located (F16): the enrolment's imaging level and side when its findings show a
   * mechanical source and are verified, and each contrast MRI of the pathway that shows a mechanical source with the
   * level and side it names. A lesion without a level or a side is not located and is not returned.
   */
  public List<Lesion> locatedLesions() {
    List<Lesion> lesions = new ArrayList<>();
    if (imaging().stream().anyMatch(MECHANICAL_IMAGING::contains) && present(facts.imagingLevel()) && present(facts.imagingSide())) {
      lesions.add(new Lesion("imaging at enrolment", facts.imagingLevel(), facts.imagingSide()));
    }
    for (RuleFacts.Result r : facts.results()) {
      if ("CONTRAST_MRI".equals(r.test()) && MECHANICAL_MRI.contains(r.mriFinding()) && present(r.level()) && present(r.side())) {
        lesions.add(new Lesion("contrast MRI", r.level(), r.side()));
      }
    }
    return lesions;
  }

  /**
   * Whether a root block tested a root at a located lesion, on its side (F16): the block's root is the lesion's root, or
   * one of the two roots of the lesion's segment (an {@code L4-L5} lesion can compress the exiting L4 or the traversing
   * L5 root); the sides are equal, or the lesion is central or bilateral. A block naming no side agrees with nothing.
   */
  public boolean agreesWithImaging(RuleFacts.Result rootBlock) {
    if (!present(rootBlock.level()) || !present(rootBlock.side())) {
      return false;
    }
    Set<String> roots = roots(rootBlock.level());
    for (Lesion lesion : locatedLesions()) {
      boolean level = roots(lesion.level()).stream().anyMatch(roots::contains);
      boolean side = lesion.side().equals(rootBlock.side()) || "CENTRAL".equals(lesion.side()) || "BILATERAL".equals(lesion.side());
      if (level && side) {
        return true;
      }
    }
    return false;
  }

  private static Set<String> roots(String level) {
    return Set.of(level.trim().split("-"));
  }

  private static boolean present(String s) {
    return s != null && !s.isBlank();
  }

  /** Whether the documented steroid failure is on record: the follow-up the pathway accepted said the steroid failed. */
  public boolean steroidFailureDocumented() {
    return facts.steroidFailureDocumentedAt() != null;
  }

  /**
   * The documented failure of an epidural steroid injection at enrolment (F18): interventional care that failed, so the
   * pathway need not give another injection to meet the elective rule. Read only when the enrolment is verified (from
   * the hospital, or confirmed by a clinician at the first gate).
   */
  public boolean epiduralInjectionFailed() {
    return steroidFailureDocumented() && facts.findingsVerified() && "EPIDURAL_STEROID_INJECTION".equals(facts.steroidKind());
  }

  /** Whole days (UTC calendar) since the documented steroid failure; null while none is documented. */
  public Long failedCareDays() {
    if (facts.steroidFailureDocumentedAt() == null) {
      return null;
    }
    LocalDate from = facts.steroidFailureDocumentedAt().atZone(ZoneOffset.UTC).toLocalDate();
    return ChronoUnit.DAYS.between(from, now.atZone(ZoneOffset.UTC).toLocalDate());
  }

  /** Treatments ordered by the pathway whose outcome was below the relief threshold, in order, each once. */
  public Set<String> failed() {
    Set<String> failed = new LinkedHashSet<>();
    for (RuleFacts.Outcome o : facts.treatments()) {
      if (o.painReductionPercent() < settings.reliefThresholdPercent()) {
        failed.add(o.treatment());
      }
    }
    return failed;
  }

  /**
   * Measures that failed, other than neuromodulation itself: the treatments the pathway ordered whose outcome was below
   * the relief threshold, and the documented failure of the enrolment's steroid treatment (F18).
   */
  public int failedMeasures() {
    return (int) failed().stream().filter(t -> !NEUROMODULATION.equals(t)).count() + (steroidFailureDocumented() ? 1 : 0);
  }

  public List<String> electiveCriteriaMissing() {
    List<String> missing = new ArrayList<>();
    if (!"MECHANICAL_COMPRESSION".equals(facts.confirmedDiagnosis())) {
      missing.add("the diagnosis is not MECHANICAL_COMPRESSION");
    }
    if (!imagingShowsMechanicalSource()) {
      missing.add(facts.findingsVerified() ? "no imaging shows a mechanical source"
          : "no imaging shows a mechanical source (the findings entered on the start form are not confirmed by a clinician)");
    }
    if (latestIfPositive("SELECTIVE_NERVE_ROOT_BLOCK").isEmpty()) {
      missing.add("no positive selective nerve root block (the latest one recorded must be positive)");
    } else if (confirmingRootBlock().isEmpty()) {
      missing.add("the positive selective nerve root block does not confirm a root: it needs immediate relief of at least "
          + settings.blockReliefThresholdPercent() + "% and the level it tested");
    } else if (!agreesWithImaging(confirmingRootBlock().get())) {
      List<Lesion> lesions = locatedLesions();
      missing.add(lesions.isEmpty()
          ? "the imaging names no level and side of the lesion, so the root block (" + describe(confirmingRootBlock().get())
              + ") cannot be shown to agree with it"
          : "the selective nerve root block (" + describe(confirmingRootBlock().get()) + ") does not agree with the imaged lesion ("
              + String.join("; ", lesions.stream().map(l -> l.source() + " " + l.level() + " " + l.side()).toList())
              + "): the root must lie at the lesion's level and on its side");
    }
    Long days = failedCareDays();
    if (days == null || days < settings.electiveMinFailedCareDays()) {
      missing.add("less than " + settings.electiveMinFailedCareDays() + " days since the documented steroid failure ("
          + (days == null ? "none documented" : days + " days") + ")");
    }
    Set<String> failed = failed();
    if (failed.stream().noneMatch(CONSERVATIVE::contains)) {
      missing.add("no conservative treatment has failed");
    }
    if (failed.stream().noneMatch(INTERVENTIONAL::contains) && !epiduralInjectionFailed()) {
      missing.add("no interventional treatment has failed (neither an epidural steroid injection documented at enrolment nor "
          + "one the pathway ordered)");
    }
    return missing;
  }

  /** Stenosis from a thickened ligament with claudication, and no instability: spondylolisthesis goes to fusion (F19). */
  public boolean mildCriteriaMet() {
    return "LUMBAR_SPINAL_STENOSIS".equals(facts.confirmedDiagnosis())
        && imaging().contains("LIGAMENTUM_FLAVUM_HYPERTROPHY")
        && !facts.imagingFindings().contains("SPONDYLOLISTHESIS")
        && "NEUROGENIC_CLAUDICATION".equals(painPattern());
  }

  public boolean neuromodulationCriteriaMet() {
    return "NEUROPATHIC_PAIN".equals(facts.confirmedDiagnosis())
        && neuropathicFactRecorded()
        && failedMeasures() >= settings.neuromodulationMinFailedMeasures();
  }

  /**
   * An objective neuropathic fact the platform recorded (F10): a positive neuropathic screen at enrolment (DN4 of
   * {@value RuleFacts#NEUROPATHIC_SCREEN_POSITIVE} or more), or epidural scar on the latest contrast MRI this pathway
   * ordered. Symptom duration alone is never one, nor a label a clinician set.
   */
  public boolean neuropathicFactRecorded() {
    return facts.neuropathicScreenPositive()
        || latest("CONTRAST_MRI").map(r -> SCAR_MRI.contains(r.mriFinding())).orElse(false);
  }

  // ------------------------------------------------------------------ for the table and the forms

  /**
   * The variables the treatment table and the treatment form read, all derived from the facts (they
   * overwrite whatever a user may have set under the same names).
   */
  public Map<String, Object> proposalInputs() {
    Set<String> failed = failed();
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("facetBlockPositive", latestIfPositive("MEDIAL_BRANCH_BLOCK").filter(this::confirms).isPresent());
    v.put("siBlockPositive", latestIfPositive("SI_JOINT_BLOCK").filter(this::confirms).isPresent());
    v.put("failedCareDays", failedCareDays());
    v.put("treatmentsTried", String.join(",", failed));
    v.put("physicalTherapyFailed", failed.contains(PHYSICAL_THERAPY));
    v.put("injectionFailed", failed.contains(REPEAT_INJECTION) || epiduralInjectionFailed());
    v.put("ablationFailed", failed.contains(ABLATION));
    v.put("mildFailed", failed.contains(MILD));
    v.put("failedMeasures", failedMeasures());
    v.put("ablationCriteriaMet", confirmingBlock().isPresent());
    v.put("electiveCriteriaMet", electiveCriteriaMissing().isEmpty());
    v.put("mildCriteriaMet", mildCriteriaMet());
    v.put("neuromodulationCriteriaMet", neuromodulationCriteriaMet());
    v.put("spondylolisthesis", imaging().contains("SPONDYLOLISTHESIS"));
    v.put("blockEvidence", blockEvidence());
    v.put("mechanicalSourceEvidence", mechanicalSourceEvidence());
    return v;
  }

  /** Every block and MRI result of the pathway, one line each, for the forms. */
  public String blockEvidence() {
    if (facts.results().isEmpty()) {
      return "No test result recorded in this pathway.";
    }
    List<String> lines = new ArrayList<>();
    for (RuleFacts.Result r : facts.results()) {
      lines.add(describe(r));
    }
    return String.join("\n", lines);
  }

  public String mechanicalSourceEvidence() {
    List<String> parts = new ArrayList<>();
    List<String> imaging = imaging().stream().filter(MECHANICAL_IMAGING::contains).sorted().toList();
    if (!imaging.isEmpty()) {
      parts.add("imaging at enrolment: " + String.join(", ", imaging));
    }
    facts.results().stream().filter(r -> "CONTRAST_MRI".equals(r.test()) && MECHANICAL_MRI.contains(r.mriFinding()))
        .forEach(r -> parts.add("contrast MRI: " + r.mriFinding() + performed(r)));
    locatedLesions().forEach(l -> parts.add("lesion located by " + l.source() + ": " + l.level() + " " + l.side()));
    confirmingRootBlock().ifPresent(r -> parts.add("selective nerve root block: " + describe(r)
        + (agreesWithImaging(r) ? " (agrees with the imaged lesion)" : " (does not agree with any located lesion)")));
    return parts.isEmpty() ? "Nothing recorded confirms a mechanical source." : String.join("; ", parts);
  }

  static String describe(RuleFacts.Result r) {
    StringBuilder s = new StringBuilder(r.test()).append(' ').append(r.outcome());
    if (r.side() != null) {
      s.append(", side ").append(r.side());
    }
    if (r.level() != null) {
      s.append(", level ").append(r.level());
    }
    if (r.reliefPercent() != null) {
      s.append(", relief ").append(r.reliefPercent()).append('%');
    }
    if (r.mriFinding() != null) {
      s.append(", MRI ").append(r.mriFinding());
    }
    return s.append(performed(r)).toString();
  }

  private static String performed(RuleFacts.Result r) {
    return r.performedAt() == null ? "" : " (performed " + r.performedAt().atZone(ZoneOffset.UTC).toLocalDate() + ")";
  }
}
