package io.pathway.bpmn.rules;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/**
 * What the platform itself recorded about one pathway, and nothing a user could have written into a
 * process variable: the enrolment as it was started, results of the orders the platform placed (the
 * result's test equal to the order's code, the same patient), outcomes of the procedures it ordered,
 * the follow-up it accepted, and the decisions confirmed at their gates.
 *
 * @param steroidKind the steroid treatment at enrolment
 * @param steroidDate its date
 * @param imagingFindings imaging codes at enrolment
 * @param painPattern pain pattern at enrolment
 * @param steroidFailureDocumentedAt {@code assessedAt} of the follow-up the pathway accepted (the documented
 *     failure of the steroid); null while there is none
 * @param results results of diagnostic tests the platform ordered, oldest first
 * @param treatments outcomes of procedures the platform ordered, oldest first
 * @param confirmedDiagnosis the definitive diagnosis as confirmed at its gate (after its override check)
 * @param proposedTreatment what the treatment table proposed last
 * @param proposedSurgicalProcedure the procedure it proposed with it (elective referral), or null
 * @param neuropathicScore the neuropathic screen (DN4, 0-10) at enrolment, or null when none was recorded
 * @param findingsVerified whether the imaging findings and pain pattern came from the hospital or a clinician confirmed
 *     them (F17); findings a coordinator entered on the start form and no clinician confirmed are not read by the rules
 * @param imagingLevel where the lesion of the enrolment's imaging lies (a segment such as {@code L4-L5} or a root such as
 *     {@code L5}), or null when the imaging named none (F16)
 * @param imagingSide the side of that lesion ({@code LEFT}, {@code RIGHT}, {@code BILATERAL}, {@code CENTRAL}), or null
 */
public record RuleFacts(
    String steroidKind,
    LocalDate steroidDate,
    Set<String> imagingFindings,
    String painPattern,
    Instant steroidFailureDocumentedAt,
    List<Result> results,
    List<Outcome> treatments,
    String confirmedDiagnosis,
    String proposedTreatment,
    String proposedSurgicalProcedure,
    Integer neuropathicScore,
    boolean findingsVerified,
    String imagingLevel,
    String imagingSide) {

  /** Outcomes a chase records for a test that never resulted (not results: the rules skip them, the forms show them). */
  public static final String NOT_DONE = "NOT_DONE";
  public static final String CANCELLED = "CANCELLED";

  /** DN4 at or above this is a positive neuropathic screen (the DN4 questionnaire's validated cut-off). */
  public static final int NEUROPATHIC_SCREEN_POSITIVE = 4;

  public RuleFacts {
    imagingFindings = imagingFindings == null ? Set.of() : Set.copyOf(imagingFindings);
    results = results == null ? List.of() : List.copyOf(results);
    treatments = treatments == null ? List.of() : List.copyOf(treatments);
  }

  /** Whether the neuropathic screen recorded at enrolment is positive (DN4 of {@value #NEUROPATHIC_SCREEN_POSITIVE} or more). */
  public boolean neuropathicScreenPositive() {
    return neuropathicScore != null && neuropathicScore >= NEUROPATHIC_SCREEN_POSITIVE;
  }

  /** The result of a diagnostic test the platform ordered. */
  public record Result(String orderId, String test, String outcome, String side, String level, Integer reliefPercent,
      String mriFinding, Instant performedAt) {

    public boolean positive() {
      return "POSITIVE".equals(outcome);
    }

    /** A real result (not the "not done" or "cancelled" a chase recorded for its order). */
    public boolean resulted() {
      return !NOT_DONE.equals(outcome) && !CANCELLED.equals(outcome);
    }
  }

  /** The outcome of a procedure the platform ordered. */
  public record Outcome(String orderId, String treatment, int painReductionPercent, Instant assessedAt) {}
}
