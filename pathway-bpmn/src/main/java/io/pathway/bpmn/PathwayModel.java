package io.pathway.bpmn;

/**
 * Names shared by the models of this module and the code that runs them: process keys, decision
 * keys, user-task ids and process variables. The message names are the event types of
 * {@code io.pathway.model.EventTypes}.
 */
public final class PathwayModel {

  private PathwayModel() {}

  /** Classpath folders of the deployable resources. */
  public static final String BPMN_FOLDER = "bpmn/";
  public static final String DMN_FOLDER = "dmn/";
  public static final String FORMS_FOLDER = "forms/";

  /** Process definition keys. */
  public static final class Processes {
    public static final String PATHWAY = "steroid-failure-escalation";
    public static final String ORDER_AND_AWAIT_RESULT = "order-and-await-result";
    public static final String RED_FLAG_ESCALATION = "red-flag-escalation";

    private Processes() {}
  }

  /** Decision definition keys. */
  public static final class Decisions {
    public static final String FAILURE_HYPOTHESES = "failure-hypotheses";
    public static final String DIAGNOSTIC_WORKUP = "diagnostic-workup";
    public static final String DEFINITIVE_DIAGNOSIS = "definitive-diagnosis";
    public static final String TREATMENT_SELECTION = "treatment-selection";
    public static final String RED_FLAG_TRIAGE = "red-flag-triage";

    private Decisions() {}
  }

  /** User task ids (task definition keys) and the form each one uses. */
  public static final class Tasks {
    public static final String RECORD_FOLLOW_UP_ASSESSMENT = "Task_RecordFollowUpAssessment";
    public static final String REVIEW_FAILURE_HYPOTHESES = "Task_ReviewFailureHypotheses";
    public static final String REVIEW_DIAGNOSTIC_WORKUP = "Task_ReviewDiagnosticWorkup";
    public static final String CONFIRM_DEFINITIVE_DIAGNOSIS = "Task_ConfirmDefinitiveDiagnosis";
    public static final String CONFIRM_TREATMENT = "Task_ConfirmTreatment";
    public static final String CONFIRM_SURGICAL_CONSULT_BOOKED = "Task_ConfirmSurgicalConsultBooked";
    /** After the consult date (F21): did the consult take place? */
    public static final String CONFIRM_SURGICAL_CONSULT_HELD = "Task_ConfirmSurgicalConsultHeld";
    /** In {@code order-and-await-result}. */
    public static final String SCHEDULE_PROCEDURE = "Task_ScheduleProcedure";
    public static final String CHASE_OVERDUE_RESULT = "Task_ChaseOverdueResult";
    public static final String CHASE_OVERDUE_OUTCOME = "Task_ChaseOverdueOutcome";
    /** In {@code red-flag-escalation}. */
    public static final String CONFIRM_EMERGENCY_TRANSFER = "Task_ConfirmEmergencyTransfer";
    public static final String CONFIRM_URGENT_SURGICAL_REFERRAL = "Task_ConfirmUrgentSurgicalReferral";
    /** In {@code steroid-failure-escalation}: a result of one of its orders was corrected (F9). */
    public static final String REVIEW_CORRECTED_RESULT = "Task_ReviewCorrectedResult";

    private Tasks() {}
  }

  /** Service steps the service implements (besides the beans of docs/process-interface.md). */
  public static final class Steps {
    /** Derives the hard-rule inputs from recorded facts and checks the treatment choice, right before the gate. */
    public static final String CHECK_TREATMENT_RULES = "Task_CheckTreatmentRules";
    /** The order of the chosen treatment; a procedure under way is held here when its evidence is withdrawn. */
    public static final String DELIVER_TREATMENT = "CallActivity_DeliverTreatment";
    /** The elective surgical referral stage: its referral is stood down when a red flag or a withdrawal interrupts it. */
    public static final String SURGICAL_REFERRAL = "SubProcess_SurgicalReferral";

    private Steps() {}
  }

  /** Candidate groups of the user tasks. */
  public static final class Groups {
    public static final String CARE_COORDINATORS = "care-coordinators";
    public static final String SPINE_CLINICIANS = "spine-clinicians";

    private Groups() {}
  }

  /** Process variables. */
  public static final class Vars {
    // start (enrolment)
    public static final String REFERRAL_ID = "referralId";
    public static final String PATIENT_REF = "patientRef";
    public static final String STEROID_KIND = "steroidKind";
    public static final String STEROID_DATE = "steroidDate";
    public static final String IMAGE_GUIDED = "imageGuided";
    public static final String CONTRAST_SPREAD_CONFIRMED = "contrastSpreadConfirmed";
    public static final String PAIN_PATTERN = "painPattern";
    public static final String BASELINE_PAIN_SCORE = "baselinePainScore";
    public static final String NEUROPATHIC_SCORE = "neuropathicScore";
    public static final String PRIOR_SPINE_SURGERY = "priorSpineSurgery";
    public static final String IMAGING_FINDINGS = "imagingFindings";
    /** Level of the lesion the imaging shows (segment {@code L4-L5} or root {@code L5}); optional. */
    public static final String IMAGING_LEVEL = "imagingLevel";
    /** Side of that lesion: LEFT, RIGHT, BILATERAL or CENTRAL; optional. */
    public static final String IMAGING_SIDE = "imagingSide";
    public static final String RED_FLAGS = "redFlags";
    public static final String SYMPTOM_ONSET_DATE = "symptomOnsetDate";
    // set by pathwayInitialiser
    public static final String PATHWAY_ID = "pathwayId";
    public static final String FOLLOW_UP_DUE_AT = "followUpDueAt";
    public static final String TREATMENTS_TRIED = "treatmentsTried";
    // configuration
    public static final String FOLLOW_UP_DELAY = "followUpDelay";
    public static final String RELIEF_THRESHOLD_PERCENT = "reliefThresholdPercent";
    public static final String RESULT_OVERDUE_AFTER = "resultOverdueAfter";
    public static final String TREATMENT_OUTCOME_OVERDUE_AFTER = "treatmentOutcomeOverdueAfter";
    public static final String EMERGENCY_TRANSFER_SLA = "emergencyTransferSla";
    public static final String URGENT_REFERRAL_SLA = "urgentReferralSla";
    public static final String SURGICAL_CONSULT_BOOKING_SLA = "surgicalConsultBookingSla";
    public static final String CLINICAL_TASK_DUE = "clinicalTaskDue";
    public static final String ELECTIVE_MIN_FAILED_CARE_DAYS = "electiveMinFailedCareDays";
    public static final String NEUROMODULATION_MIN_FAILED_MEASURES = "neuromodulationMinFailedMeasures";
    public static final String NEUROPATHIC_MIN_SYMPTOM_MONTHS = "neuropathicMinSymptomMonths";
    public static final String SUSTAINED_RELIEF_MIN_DAYS = "sustainedReliefMinDays";
    // stage and outcome
    public static final String STAGE = "stage";
    public static final String CURRENT_STAGE = "currentStage";
    public static final String PATHWAY_OUTCOME = "pathwayOutcome";
    // follow-up (message or task)
    public static final String PAIN_REDUCTION_PERCENT = "painReductionPercent";
    public static final String RELIEF_SUSTAINED = "reliefSustained";
    // withdrawal
    public static final String WITHDRAWAL_REASON = "withdrawalReason";
    /** Who withdrew the patient through the service's REST API (kept in the history only). */
    public static final String WITHDRAWN_BY = "withdrawnBy";
    // orders (order-and-await-result)
    public static final String ORDER_KIND = "orderKind";
    public static final String ORDER_CODE = "orderCode";
    public static final String ORDER_REASON = "orderReason";
    public static final String ORDER_ID = "orderId";
    /**
     * The result's outcome (POSITIVE, NEGATIVE, ...) as the order instance receives it. The pathway reads it
     * under a per-test name through the call activity's out mapping: {@link #MRI_OUTCOME}, {@link #SNRB_OUTCOME},
     * {@link #DISCOGRAPHY_OUTCOME}, {@link #MEDIAL_BRANCH_BLOCK_OUTCOME}, {@link #SI_JOINT_BLOCK_OUTCOME}.
     */
    public static final String RESULT_OUTCOME = "resultOutcome";
    /** The test the result is for, as the order instance receives it (kept in the history only). */
    public static final String RESULT_TEST = "resultTest";
    /** The side of a block result, as the order instance receives it (kept in the history only). */
    public static final String BLOCK_SIDE = "blockSide";
    public static final String MRI_FINDING = "mriFinding";
    public static final String BLOCK_LEVEL = "blockLevel";
    public static final String BLOCK_RELIEF_PERCENT = "blockReliefPercent";
    public static final String CONCORDANT_PAIN = "concordantPain";
    public static final String CONTRAST_LEAK = "contrastLeak";
    public static final String RESULT_PERFORMED_AT = "resultPerformedAt";
    public static final String OUTCOME_PAIN_REDUCTION_PERCENT = "outcomePainReductionPercent";
    public static final String OUTCOME_ASSESSED_AT = "outcomeAssessedAt";
    public static final String SCHEDULED_FOR = "scheduledFor";
    public static final String CHASE_NOTE = "chaseNote";
    /** KEEP_WAITING, NOT_DONE or CANCELLED, from the chase form. */
    public static final String CHASE_OUTCOME = "chaseOutcome";
    /** How the order ended: RESULTED, NOT_DONE or CANCELLED. */
    public static final String ORDER_STATUS = "orderStatus";
    /** Set on the order by the order placer: how often an overdue result is chased again. */
    public static final String RESULT_CHASE_INTERVAL = "resultChaseInterval";
    // red flags
    /** When the red flag was observed (the event's {@code observedAt}). */
    public static final String RED_FLAG_OBSERVED_AT = "redFlagObservedAt";
    /** Why the pathway was interrupted (RED_FLAG), read by the order cancellation. */
    public static final String INTERRUPTION_REASON = "interruptionReason";
    /** A further red flag delivered to the escalation under way. */
    public static final String FURTHER_FLAG = "furtherFlag";
    public static final String FURTHER_FLAG_OBSERVED_AT = "furtherFlagObservedAt";
    /** Set when the reported observation time was ahead of the receipt: what the task shows (null otherwise). */
    public static final String RED_FLAG_CLOCK_NOTE = "redFlagClockNote";
    /** The urgency of the referral an upgraded escalation supersedes. */
    public static final String SUPERSEDED_URGENCY = "supersededUrgency";
    /** Red flags of an escalation that ran or runs for the patient before this pathway. */
    public static final String RED_FLAG_HISTORY = "redFlagHistory";
    /** The stand-alone escalation a new pathway waits for (enrolled while it ran). */
    public static final String ADOPTED_ESCALATION_ID = "adoptedEscalationId";
    /** How the adopted escalation concluded: the pathway's conditional event reads it. */
    public static final String RED_FLAG_ESCALATION_OUTCOME = "redFlagEscalationOutcome";
    /** The escalation's own id (its process instance id), set by its first step; the service reads it. */
    public static final String ESCALATION_ID = "escalationId";
    /** The patient's last pathway, passed to a stand-alone escalation (recorded with it). */
    public static final String PREVIOUS_PATHWAY_ID = "previousPathwayId";
    // referrals and alerts (inputs of referralIssuer / alertRaiser)
    public static final String REFERRAL_URGENCY = "referralUrgency";
    public static final String REFERRAL_REASON = "referralReason";
    public static final String SUGGESTED_PROCEDURE = "suggestedProcedure";
    public static final String REFERRAL_EVIDENCE = "referralEvidence";
    public static final String ALERT_TYPE = "alertType";
    public static final String ALERT_SEVERITY = "alertSeverity";
    public static final String ALERT_MESSAGE = "alertMessage";
    // failure analysis
    public static final String PROPOSED_HYPOTHESES = "proposedHypotheses";
    /** The enrolment's imaging findings as labels, for the forms. */
    public static final String IMAGING_FINDINGS_TEXT = "imagingFindingsText";
    public static final String HYPOTHESIS_STRUCTURAL_COMPRESSION = "hypothesisStructuralCompression";
    public static final String HYPOTHESIS_TECHNICAL_FAILURE = "hypothesisTechnicalFailure";
    public static final String HYPOTHESIS_NEUROPATHIC = "hypothesisNeuropathicOrCentralSensitization";
    public static final String HYPOTHESIS_POSSIBLE_MISDIAGNOSIS = "hypothesisPossibleMisdiagnosis";
    public static final String HYPOTHESIS_RECURRENCE_OR_SCAR = "hypothesisRecurrenceOrScar";
    public static final String HYPOTHESES_OVERRIDE_REASON = "hypothesesOverrideReason";
    public static final String HYPOTHESES_REFUSAL_REASON = "hypothesesRefusalReason";
    // diagnostic re-evaluation
    public static final String PROPOSED_WORKUP = "proposedWorkup";
    public static final String ORDER_CONTRAST_MRI = "orderContrastMri";
    public static final String ORDER_SNRB = "orderSelectiveNerveRootBlock";
    public static final String ORDER_DISCOGRAPHY = "orderDiscography";
    public static final String ORDER_MEDIAL_BRANCH_BLOCK = "orderMedialBranchBlock";
    public static final String ORDER_SI_JOINT_BLOCK = "orderSiJointBlock";
    public static final String ORDER_REPEAT_INJECTION = "orderRepeatInjection";
    public static final String WORKUP_OVERRIDE_REASON = "workupOverrideReason";
    public static final String WORKUP_REFUSAL_REASON = "workupRefusalReason";
    public static final String MRI_OUTCOME = "mriOutcome";
    public static final String SNRB_OUTCOME = "snrbOutcome";
    public static final String SNRB_LEVEL = "snrbLevel";
    public static final String SNRB_RELIEF_PERCENT = "snrbReliefPercent";
    public static final String DISCOGRAPHY_OUTCOME = "discographyOutcome";
    public static final String DISCOGRAPHY_CONCORDANT_PAIN = "discographyConcordantPain";
    public static final String DISCOGRAPHY_CONTRAST_LEAK = "discographyContrastLeak";
    public static final String MEDIAL_BRANCH_BLOCK_OUTCOME = "medialBranchBlockOutcome";
    public static final String MEDIAL_BRANCH_BLOCK_RELIEF_PERCENT = "medialBranchBlockReliefPercent";
    public static final String SI_JOINT_BLOCK_OUTCOME = "siJointBlockOutcome";
    public static final String SI_JOINT_BLOCK_RELIEF_PERCENT = "siJointBlockReliefPercent";
    public static final String REPEAT_INJECTION_RELIEF_PERCENT = "repeatInjectionReliefPercent";
    public static final String PROPOSED_DIAGNOSIS = "proposedDiagnosis";
    public static final String DEFINITIVE_DIAGNOSIS = "definitiveDiagnosis";
    public static final String DIAGNOSIS_EVIDENCE = "diagnosisEvidence";
    public static final String DIAGNOSIS_OVERRIDE_REASON = "diagnosisOverrideReason";
    public static final String DIAGNOSIS_REFUSAL_REASON = "diagnosisRefusalReason";
    // treatment
    public static final String FACET_BLOCK_POSITIVE = "facetBlockPositive";
    public static final String SI_BLOCK_POSITIVE = "siBlockPositive";
    public static final String FAILED_CARE_DAYS = "failedCareDays";
    public static final String PROPOSED_TREATMENT = "proposedTreatment";
    public static final String SELECTED_TREATMENT = "selectedTreatment";
    public static final String PROPOSED_SURGICAL_PROCEDURE = "proposedSurgicalProcedure";
    public static final String SELECTED_SURGICAL_PROCEDURE = "selectedSurgicalProcedure";
    public static final String TREATMENT_RATIONALE = "treatmentRationale";
    public static final String TREATMENT_OVERRIDE_REASON = "treatmentOverrideReason";
    public static final String TREATMENT_REFUSAL_REASON = "treatmentRefusalReason";
    public static final String TREATMENT_RELIEF_PERCENT = "treatmentReliefPercent";
    // written by the hard-rule step from recorded facts (io.pathway.bpmn.rules.TreatmentRules)
    public static final String TREATMENT_RULE = "treatmentRule";
    public static final String TREATMENT_ORDER_REASON = "treatmentOrderReason";
    public static final String BLOCK_EVIDENCE = "blockEvidence";
    /** Tests a chase closed without a result, with the coordinator's note (F11); empty when none. */
    public static final String CHASE_NOTES = "chaseNotes";
    public static final String MECHANICAL_SOURCE_EVIDENCE = "mechanicalSourceEvidence";
    public static final String ELECTIVE_CRITERIA_MET = "electiveCriteriaMet";
    public static final String ABLATION_CRITERIA_MET = "ablationCriteriaMet";
    public static final String MILD_CRITERIA_MET = "mildCriteriaMet";
    public static final String NEUROMODULATION_CRITERIA_MET = "neuromodulationCriteriaMet";
    public static final String SYMPTOM_DURATION_MONTHS = "symptomDurationMonths";
    public static final String FOLLOW_UP_ASSESSED_AT = "followUpAssessedAt";
    public static final String STEROID_RELIEVED = "steroidRelieved";
    // confirmations
    public static final String EMERGENCY_TRANSFER_CONFIRMED = "emergencyTransferConfirmed";
    public static final String URGENT_REFERRAL_CONFIRMED = "urgentReferralConfirmed";
    public static final String SURGICAL_CONSULT_DATE = "surgicalConsultDate";
    /** When the pathway asks whether the booked consult took place (ISO instant), set when the booking is confirmed. */
    public static final String SURGICAL_CONSULT_CHECK_AT = "surgicalConsultCheckAt";
    /** The coordinator's answer after the consult date: true when the consult took place. */
    public static final String CONSULT_HELD = "consultHeld";
    /** Why the consult did not take place (when it did not). */
    public static final String CONSULT_NOT_HELD_REASON = "consultNotHeldReason";
    // corrected results (F9): set by the service when a second result of an order differs from the first
    /** The test whose result was corrected. */
    public static final String CORRECTED_TEST = "correctedTest";
    /** The order whose result was corrected. */
    public static final String CORRECTED_ORDER_ID = "correctedOrderId";
    /** What changed, old and new, for the clinician's review task. */
    public static final String RESULT_CORRECTION = "resultCorrection";
    /** True when the correction withdrew positive evidence; the treatment under way is held (its order cancelled). */
    public static final String EVIDENCE_WITHDRAWN = "evidenceWithdrawn";
    /** The clinician's note on the review of a corrected result. */
    public static final String CORRECTION_REVIEW_NOTE = "correctionReviewNote";
    // outcomes that happened (F12)
    /** Whether the delivered outcome says the relief lasted (absent in the event means not known: false). */
    public static final String OUTCOME_SUSTAINED = "outcomeSustained";
    /** The treatment's outcome said sustained (out mapping of the delivery); relief resolves only with it. */
    public static final String TREATMENT_RELIEF_SUSTAINED = "treatmentReliefSustained";
    /** The same for the repeat injection of the work-up. */
    public static final String REPEAT_INJECTION_RELIEF_SUSTAINED = "repeatInjectionReliefSustained";
    // findings a clinician confirmed (F17)
    /** Who started the pathway through Tasklist or the REST API (the start event's initiator); null for a hospital event. */
    public static final String ENROLLED_BY = "enrolledBy";
    /** Whether the imaging findings and pain pattern are verified (from the hospital, or confirmed by a clinician). */
    public static final String FINDINGS_VERIFIED = "findingsVerified";
    /** The clinician's confirmation, at the hypotheses gate, of findings a coordinator entered on the start form. */
    public static final String FINDINGS_CONFIRMED = "findingsConfirmed";

    private Vars() {}
  }
}
