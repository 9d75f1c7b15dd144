package io.pathway.bpmn;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every clinical figure the specification marks as a default, defined once. The service's settings
 * ({@code pathway.clinical.*}, which a hospital overrides) take their defaults from here, the hard rules and the
 * models' reason checks read {@link #MIN_REASON_LENGTH} from here, and the conventions tests hold the forms and the
 * documentation to the same values. Durations are ISO-8601 as the engine's timers read them; numbers are given as
 * text because annotation defaults must be constant strings.
 */
public final class ClinicalDefaults {

  private ClinicalDefaults() {
  }

  /** Shortest text (after trimming) accepted as a reason: for a change from a proposal, a refusal, a "not confirmed". */
  public static final int MIN_REASON_LENGTH = 10;

  public static final String FOLLOW_UP_DELAY = "P28D";
  /** Pain reduction (percent) from which a steroid or a treatment relieved the pain. */
  public static final String RELIEF_THRESHOLD_PERCENT = "50";
  public static final String RESULT_OVERDUE_AFTER = "P14D";
  public static final String TREATMENT_OUTCOME_OVERDUE_AFTER = "P84D";
  public static final String EMERGENCY_TRANSFER_SLA = "PT30M";
  public static final String URGENT_REFERRAL_SLA = "PT4H";
  public static final String SURGICAL_CONSULT_BOOKING_SLA = "P14D";
  public static final String SURGICAL_CONSULT_CHECK_AFTER = "P1D";
  public static final String CLINICAL_TASK_DUE = "P3D";
  public static final String ELECTIVE_MIN_FAILED_CARE_DAYS = "90";
  public static final String NEUROMODULATION_MIN_FAILED_MEASURES = "2";
  public static final String NEUROPATHIC_MIN_SYMPTOM_MONTHS = "3";
  public static final String SUSTAINED_RELIEF_MIN_DAYS = "21";
  public static final String RESULT_CHASE_INTERVAL = "P7D";
  /** Immediate relief (percent) from which a positive diagnostic block confirms its root or joint. */
  public static final String BLOCK_RELIEF_THRESHOLD_PERCENT = "50";
  /** Per treatment: how long after its scheduled date an outcome counts. */
  public static final String OUTCOME_MIN_INTERVAL_PHYSICAL_THERAPY = "P42D";
  public static final String OUTCOME_MIN_INTERVAL_INJECTION = "P14D";
  public static final String OUTCOME_MIN_INTERVAL_ABLATION = "P28D";
  public static final String OUTCOME_MIN_INTERVAL_MILD = "P28D";
  public static final String OUTCOME_MIN_INTERVAL_NEUROMODULATION = "P5D";

  /** The configuration variables a pathway starts with when nothing is overridden (docs/process-interface.md). */
  public static Map<String, Object> configuration() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put(PathwayModel.Vars.FOLLOW_UP_DELAY, FOLLOW_UP_DELAY);
    c.put(PathwayModel.Vars.RELIEF_THRESHOLD_PERCENT, Integer.parseInt(RELIEF_THRESHOLD_PERCENT));
    c.put(PathwayModel.Vars.RESULT_OVERDUE_AFTER, RESULT_OVERDUE_AFTER);
    c.put(PathwayModel.Vars.TREATMENT_OUTCOME_OVERDUE_AFTER, TREATMENT_OUTCOME_OVERDUE_AFTER);
    c.put(PathwayModel.Vars.EMERGENCY_TRANSFER_SLA, EMERGENCY_TRANSFER_SLA);
    c.put(PathwayModel.Vars.URGENT_REFERRAL_SLA, URGENT_REFERRAL_SLA);
    c.put(PathwayModel.Vars.SURGICAL_CONSULT_BOOKING_SLA, SURGICAL_CONSULT_BOOKING_SLA);
    c.put(PathwayModel.Vars.CLINICAL_TASK_DUE, CLINICAL_TASK_DUE);
    c.put(PathwayModel.Vars.ELECTIVE_MIN_FAILED_CARE_DAYS, Integer.parseInt(ELECTIVE_MIN_FAILED_CARE_DAYS));
    c.put(PathwayModel.Vars.NEUROMODULATION_MIN_FAILED_MEASURES, Integer.parseInt(NEUROMODULATION_MIN_FAILED_MEASURES));
    c.put(PathwayModel.Vars.NEUROPATHIC_MIN_SYMPTOM_MONTHS, Integer.parseInt(NEUROPATHIC_MIN_SYMPTOM_MONTHS));
    c.put(PathwayModel.Vars.SUSTAINED_RELIEF_MIN_DAYS, Integer.parseInt(SUSTAINED_RELIEF_MIN_DAYS));
    return c;
  }
}
