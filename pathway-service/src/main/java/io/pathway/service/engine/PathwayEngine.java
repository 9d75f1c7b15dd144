package io.pathway.service.engine;

import io.pathway.bpmn.PathwayModel.Processes;
import io.pathway.bpmn.PathwayModel.Vars;
import io.pathway.bpmn.support.Deliveries;
import java.util.Map;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.stereotype.Component;

/**
 * The one place where the service starts pathways and correlates messages: the engine edge.
 * Everything else speaks in pathway terms, so a compatible engine (Operaton) replaces this class.
 */
@Component
public class PathwayEngine {

  /** Process key of the main pathway. */
  public static final String PATHWAY_PROCESS = Processes.PATHWAY;

  /** Process key of the red-flag escalation, called by the pathway or run stand-alone for a patient without one. */
  public static final String ESCALATION_PROCESS = Processes.RED_FLAG_ESCALATION;

  /**
   * The job priority of the red-flag escalation's steps (red-flag-escalation.bpmn's {@code camunda:jobPriority}; its
   * referral 110): the job executor takes them first and runs them in their own lane, and background work stands aside
   * while one waits.
   */
  public static final int RED_FLAG_JOB_PRIORITY = 100;

  private final RuntimeService runtime;

  /** Whether a failure is a collision with a concurrent change (the engine's or the database's): try again later. */
  public static boolean collided(RuntimeException e) {
    return e instanceof ConcurrencyFailureException || e instanceof OptimisticLockingException;
  }

  PathwayEngine(RuntimeService runtime) {
    this.runtime = runtime;
  }

  /** Starts a pathway; returns its id (the process instance id). */
  public String start(String referralId, Map<String, Object> variables) {
    return runtime.createProcessInstanceByKey(PATHWAY_PROCESS)
        .businessKey(referralId)
        .setVariables(variables)
        .execute()
        .getId();
  }

  /** Starts a stand-alone red-flag escalation for a patient with no active pathway; returns its id. */
  public String startEscalation(String patientRef, Map<String, Object> variables) {
    return runtime.createProcessInstanceByKey(ESCALATION_PROCESS)
        .businessKey(patientRef)
        .setVariables(variables)
        .execute()
        .getId();
  }

  /**
   * Delivers a message to one process instance. Returns false when that instance has no step
   * waiting for the message (yet), so the caller can keep the event for later.
   */
  public boolean deliver(String message, String processInstanceId, Map<String, Object> variables) {
    // through the instance's executions (Deliveries): both joins are indexed, whereas the event-subscription
    // table has no index on the process instance id and would be scanned whole
    return Deliveries.deliver(runtime, message, processInstanceId, variables);
  }

  /**
   * Tells a running pathway that waits for an escalation under way how it concluded (the model's
   * conditional event on {@code redFlagEscalationOutcome}); false when the pathway is no longer running.
   */
  public boolean escalationConcluded(String pathwayId, String outcome) {
    if (!isRunning(pathwayId)) {
      return false;
    }
    runtime.setVariable(pathwayId, Vars.RED_FLAG_ESCALATION_OUTCOME, outcome);
    return true;
  }

  /**
   * Holds the treatment under way: when the pathway is delivering a treatment (its procedure order is open),
   * records why ({@code interruptionReason}, read by the order cancellation) and sets {@code evidenceWithdrawn},
   * which the model's conditional boundary event on the delivery catches: the order is cancelled towards the
   * hospital and the pathway goes back to re-evaluation, where a clinician decides again. False when no
   * treatment is under way (nothing to hold).
   */
  public boolean holdTreatment(String pathwayId, String reason) {
    boolean delivering = runtime.createExecutionQuery().processInstanceId(pathwayId)
        .activityId(io.pathway.bpmn.PathwayModel.Steps.DELIVER_TREATMENT).count() > 0;
    if (!delivering) {
      return false;
    }
    runtime.setVariable(pathwayId, Vars.INTERRUPTION_REASON, reason);
    runtime.setVariable(pathwayId, Vars.EVIDENCE_WITHDRAWN, true);
    return true;
  }

  /**
   * Holds the elective referral (F9, F20): when the pathway is in its surgical referral stage, records why and sets
   * {@code evidenceWithdrawn}, which the model's conditional boundary event on that stage catches: the issued elective
   * referral is stood down towards the surgeons and the pathway goes back to re-evaluation. False when the pathway is not
   * in that stage.
   */
  public boolean holdReferral(String pathwayId, String reason) {
    org.camunda.bpm.engine.runtime.ActivityInstance tree = runtime.getActivityInstance(pathwayId);
    boolean referring = tree != null && tree.getActivityInstances(io.pathway.bpmn.PathwayModel.Steps.SURGICAL_REFERRAL).length > 0;
    if (!referring) {
      return false;
    }
    runtime.setVariable(pathwayId, Vars.INTERRUPTION_REASON, reason);
    runtime.setVariable(pathwayId, Vars.EVIDENCE_WITHDRAWN, true);
    return true;
  }

  /**
   * Tells a running pathway that a result of one of its orders was corrected: the variables first (the evidence
   * the forms show), then {@code resultCorrection}, whose change starts the model's non-interrupting "A result
   * was corrected" sub-process (a clinician's review task). False when the pathway is no longer running.
   */
  public boolean correctionRecorded(String pathwayId, Map<String, Object> variables, String correction) {
    if (!isRunning(pathwayId)) {
      return false;
    }
    runtime.setVariables(pathwayId, variables);
    runtime.setVariable(pathwayId, Vars.RESULT_CORRECTION, correction);
    return true;
  }

  /** True while the process instance is running. */
  public boolean isRunning(String processInstanceId) {
    return runtime.createProcessInstanceQuery().processInstanceId(processInstanceId).count() > 0;
  }
}
