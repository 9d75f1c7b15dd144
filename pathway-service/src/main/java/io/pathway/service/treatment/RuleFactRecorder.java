package io.pathway.service.treatment;

import io.pathway.bpmn.PathwayModel.Vars;
import io.pathway.bpmn.rules.DiagnosisInputs;
import io.pathway.bpmn.rules.Labels;
import io.pathway.service.engine.ProcessVariables;
import io.pathway.service.platform.PathwayProperties;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.stereotype.Component;

/**
 * Engine edge of the fact store ({@code ${ruleFactRecorder.*}} in the pathway model): records what the
 * pathway's own steps established, at the moment they establish it, in the same transaction.
 */
@Component("ruleFactRecorder")
public class RuleFactRecorder {

  private final RuleFactStore store;
  private final PathwayProperties.Clinical clinical;

  RuleFactRecorder(RuleFactStore store, PathwayProperties properties) {
    this.store = store;
    this.clinical = properties.clinical();
  }

  /** End of the initialisation: the enrolment as started (the start transaction, no user step in between). */
  public void enrolled(DelegateExecution execution) {
    String pathwayId = execution.getProcessInstanceId();
    // F17: a start by a person (Tasklist or the REST API: the start event's initiator) carries a coordinator's entries,
    // unverified until a clinician confirms them; a hospital enrolment event (no initiator) carries the hospital's record
    boolean verified = execution.getVariable(Vars.ENROLLED_BY) == null;
    String onset = ProcessVariables.string(execution, Vars.SYMPTOM_ONSET_DATE);
    // the start's checks refuse a bad level or side with 400; this holds for every other way in
    String level = io.pathway.service.platform.EnrolmentCodes.level(ProcessVariables.string(execution, Vars.IMAGING_LEVEL));
    String side = io.pathway.service.platform.EnrolmentCodes.side(ProcessVariables.string(execution, Vars.IMAGING_SIDE));
    store.enrolled(new RuleFactStore.Enrolment(pathwayId, ProcessVariables.required(execution, Vars.PATIENT_REF),
        ProcessVariables.required(execution, Vars.STEROID_KIND), LocalDate.parse(date(ProcessVariables.required(execution, Vars.STEROID_DATE))),
        ProcessVariables.string(execution, Vars.IMAGING_FINDINGS), ProcessVariables.string(execution, Vars.PAIN_PATTERN),
        onset == null || onset.isBlank() ? null : LocalDate.parse(date(onset)),
        execution.getVariable(Vars.NEUROPATHIC_SCORE) instanceof Number dn4 ? dn4.intValue() : null, verified, level, side));
    execution.setVariable(Vars.FINDINGS_VERIFIED, verified);
    String findings = Labels.imaging(execution.getVariable(Vars.IMAGING_FINDINGS));
    execution.setVariable(Vars.IMAGING_FINDINGS_TEXT, level == null && side == null ? findings + "\nLesion level and side: not given"
        : findings + "\nLesion at " + (level == null ? "an unnamed level" : level) + ", " + (side == null ? "side not given"
        : side.toLowerCase(java.util.Locale.ROOT) + " side"));
  }

  /**
   * Completion of "Record follow-up assessment": the coordinator's answer on lasting relief is required
   * (yes or no, never a default); it counts as sustained only from the configured days after the steroid.
   */
  public void followUpRecorded(DelegateTask task) {
    String pathwayId = task.getProcessInstanceId();
    Object answer = task.getVariable(Vars.RELIEF_SUSTAINED);
    if (answer == null || !(answer.toString().equals("true") || answer.toString().equals("false"))) {
      throw new ProcessEngineException("reliefSustained is required: answer yes (true) or no (false)");
    }
    Object percent = task.getVariable(Vars.PAIN_REDUCTION_PERCENT);
    if (!(percent instanceof Number n) || n.intValue() < 0 || n.intValue() > 100) {
      throw new ProcessEngineException("painReductionPercent is required: 0 to 100");
    }
    Instant now = ClockUtil.getCurrentTime().toInstant();
    var enrolment = store.enrolment(pathwayId).orElseThrow(() -> new ProcessEngineException("no enrolment recorded for the pathway"));
    int minDays = store.settingsRow(pathwayId).map(s -> s[3]).orElse(clinical.sustainedReliefMinDays());
    long days = ChronoUnit.DAYS.between(enrolment.steroidDate(), now.atZone(ZoneOffset.UTC).toLocalDate());
    boolean sustained = Boolean.parseBoolean(answer.toString()) && days >= minDays;
    task.setVariable(Vars.RELIEF_SUSTAINED, sustained);
    task.setVariable(Vars.FOLLOW_UP_ASSESSED_AT, now.toString());
    store.followUp(pathwayId, RuleFactStore.FollowUpStatus.APPLIED, enrolment.steroidKind(), n.intValue(), sustained, now,
        RuleFactStore.FollowUpSource.TASK);
  }

  /**
   * Completion of "Review failure hypotheses", the first clinical gate (F17): a clinician who ticks {@code findingsConfirmed}
   * confirms the imaging findings and pain pattern a coordinator entered on the start form; from then on the hard rules
   * read them. Without it they stay unverified and the rules do not read them.
   */
  public void findingsReviewed(DelegateTask task) {
    if (Boolean.TRUE.equals(task.getVariable(Vars.FINDINGS_VERIFIED))) {
      return;
    }
    Object confirmed = task.getVariable(Vars.FINDINGS_CONFIRMED);
    if (confirmed != null && Boolean.parseBoolean(confirmed.toString())) {
      var authentication = task.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
      store.findingsConfirmed(task.getProcessInstanceId(), authentication != null ? authentication.getUserId() : task.getAssignee());
      task.setVariable(Vars.FINDINGS_VERIFIED, true);
    }
  }

  /**
   * Completion of "Schedule procedure" (in {@code order-and-await-result}): the date the procedure is booked for is
   * required, and recorded on the order; the procedure's outcome counts only from that date plus its minimum interval.
   */
  public void procedureScheduled(DelegateTask task) {
    Object scheduledFor = task.getVariable(Vars.SCHEDULED_FOR);
    LocalDate date;
    try {
      date = LocalDate.parse(date(scheduledFor instanceof java.util.Date d
          ? d.toInstant().atZone(ZoneOffset.UTC).toLocalDate().toString() : scheduledFor.toString()));
    } catch (RuntimeException e) {
      throw new ProcessEngineException("scheduledFor is required: the date the procedure is booked for (YYYY-MM-DD)");
    }
    store.procedureScheduled(task.getProcessInstanceId(), date);
  }

  /**
   * Start of "Relief after steroid?" (after its asynchronous boundary): whether the steroid relieved the
   * pain, from the follow-up the service accepted, not from variables that could have changed meanwhile.
   */
  public void steroidResponse(DelegateExecution execution) {
    String pathwayId = execution.getProcessInstanceId();
    var settings = store.settings(pathwayId).orElse(new io.pathway.bpmn.rules.RuleSettings(clinical.electiveMinFailedCareDays(),
        clinical.neuromodulationMinFailedMeasures(), clinical.reliefThresholdPercent(), clinical.blockReliefThresholdPercent()));
    Object[] followUp = store.appliedFollowUp(pathwayId).orElse(new Object[2]);
    execution.setVariable(Vars.STEROID_RELIEVED,
        io.pathway.bpmn.rules.TreatmentRules.steroidRelieved((Integer) followUp[0], (Boolean) followUp[1], settings));
  }

  /** Start of the work-up proposal: which invasive tests already have a valid result (recorded), so none is repeated. */
  public void workupInputs(DelegateExecution execution) {
    execution.setVariables(DiagnosisInputs.workup(store.facts(execution.getProcessInstanceId())));
  }

  /** Start of the diagnosis proposal: the table reads the results the service recorded, not variables. */
  public void diagnosisInputs(DelegateExecution execution) {
    execution.setVariables(DiagnosisInputs.from(store.facts(execution.getProcessInstanceId())));
    execution.setVariable(Vars.CHASE_NOTES, store.chaseNotes(execution.getProcessInstanceId()));
  }

  /** End of the diagnosis gate: the diagnosis as confirmed there (after its override check). */
  public void diagnosisConfirmed(DelegateExecution execution) {
    store.decision(execution.getProcessInstanceId(), "DIAGNOSIS", ProcessVariables.string(execution, Vars.DEFINITIVE_DIAGNOSIS), null);
  }

  /** Right after the treatment table: its proposal, before any user step could change the variables. */
  public void treatmentProposed(DelegateExecution execution) {
    store.decision(execution.getProcessInstanceId(), "TREATMENT_PROPOSAL", ProcessVariables.string(execution, Vars.PROPOSED_TREATMENT),
        ProcessVariables.string(execution, Vars.PROPOSED_SURGICAL_PROCEDURE));
  }

  private static String date(String isoDateOrDateTime) {
    return isoDateOrDateTime.length() > 10 ? isoDateOrDateTime.substring(0, 10) : isoDateOrDateTime;
  }
}
