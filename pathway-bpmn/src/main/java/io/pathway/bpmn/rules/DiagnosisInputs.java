package io.pathway.bpmn.rules;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The inputs of the definitive-diagnosis table, derived from the results the platform recorded for
 * its own orders (the latest result of each test), so that a variable written at a start or a task
 * completion cannot stand in for a test that was never done.
 */
public final class DiagnosisInputs {

  private DiagnosisInputs() {}

  public static Map<String, Object> from(RuleFacts facts) {
    Map<String, Object> v = new LinkedHashMap<>();
    RuleFacts.Result mri = latest(facts, "CONTRAST_MRI");
    v.put("mriOutcome", outcome(facts, mri, "CONTRAST_MRI"));
    v.put("mriFinding", mri == null ? null : mri.mriFinding());
    RuleFacts.Result snrb = latest(facts, "SELECTIVE_NERVE_ROOT_BLOCK");
    v.put("snrbOutcome", outcome(facts, snrb, "SELECTIVE_NERVE_ROOT_BLOCK"));
    v.put("snrbLevel", snrb == null ? null : snrb.level());
    v.put("snrbReliefPercent", snrb == null ? null : snrb.reliefPercent());
    RuleFacts.Result mbb = latest(facts, "MEDIAL_BRANCH_BLOCK");
    v.put("medialBranchBlockOutcome", outcome(facts, mbb, "MEDIAL_BRANCH_BLOCK"));
    v.put("medialBranchBlockReliefPercent", mbb == null ? null : mbb.reliefPercent());
    v.put("medialBranchBlockSide", mbb == null ? null : mbb.side());
    v.put("medialBranchBlockLevel", mbb == null ? null : mbb.level());
    RuleFacts.Result si = latest(facts, "SI_JOINT_BLOCK");
    v.put("siJointBlockOutcome", outcome(facts, si, "SI_JOINT_BLOCK"));
    v.put("siJointBlockReliefPercent", si == null ? null : si.reliefPercent());
    v.put("siJointBlockSide", si == null ? null : si.side());
    // a neuropathic diagnosis needs a positive screen recorded at enrolment, not a hypothesis made of symptom duration (F10)
    v.put("neuropathicScreenPositive", facts.neuropathicScreenPositive());
    v.put("blockEvidence", new TreatmentRules(facts, new RuleSettings(0, 0, 0), java.time.Instant.EPOCH).blockEvidence());
    return v;
  }

  /**
   * The inputs of the work-up table (F18): whether an invasive test of this pathway already has a valid result (its
   * latest result POSITIVE or NEGATIVE; INCONCLUSIVE, not done or cancelled is not one), so that the table does not
   * propose it again. A clinician may still order it, with a reason.
   */
  public static Map<String, Object> workup(RuleFacts facts) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("snrbValidResult", valid(latest(facts, "SELECTIVE_NERVE_ROOT_BLOCK")));
    v.put("discographyValidResult", valid(latest(facts, "DISCOGRAPHY")));
    v.put("medialBranchBlockValidResult", valid(latest(facts, "MEDIAL_BRANCH_BLOCK")));
    v.put("siJointBlockValidResult", valid(latest(facts, "SI_JOINT_BLOCK")));
    return v;
  }

  private static boolean valid(RuleFacts.Result r) {
    return r != null && ("POSITIVE".equals(r.outcome()) || "NEGATIVE".equals(r.outcome()));
  }

  /**
   * The outcome the form shows and the table reads: the latest real result; without one, NOT_DONE or CANCELLED when a
   * chase closed the test that way (F11: the clinician sees the gap, never a blank), else null.
   */
  private static String outcome(RuleFacts facts, RuleFacts.Result latest, String test) {
    if (latest != null) {
      return latest.outcome();
    }
    String closed = null;
    for (RuleFacts.Result r : facts.results()) {
      if (test.equals(r.test()) && !r.resulted()) {
        closed = r.outcome();
      }
    }
    return closed;
  }

  /** The discography findings are not part of {@link RuleFacts.Result}; they stay as delivered. */
  private static RuleFacts.Result latest(RuleFacts facts, String test) {
    RuleFacts.Result latest = null;
    for (RuleFacts.Result r : facts.results()) {
      if (test.equals(r.test()) && r.resulted()) {
        latest = r;
      }
    }
    return latest;
  }
}
