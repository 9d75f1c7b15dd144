package io.pathway.service.redflag;

import io.pathway.bpmn.PathwayModel.Vars;
import io.pathway.model.EventTypes;
import io.pathway.service.engine.PathwayEngine;
import io.pathway.service.engine.ProcessVariables;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * A red flag that reaches a pathway whose escalation is already under way joins that escalation as a
 * further flag (evidence, or an upgrade), however it was delivered: it never restarts the escalation,
 * its task or its deadline.
 */
@Component("redFlagForwarder")
class RedFlagForwarder implements JavaDelegate {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RedFlagForwarder.class);

  private final Escalations escalations;
  private final PathwayEngine engine;

  RedFlagForwarder(Escalations escalations, @Lazy PathwayEngine engine) {
    this.escalations = escalations;
    this.engine = engine;
  }

  @Override
  public void execute(DelegateExecution execution) {
    String patientRef = ProcessVariables.required(execution, Vars.PATIENT_REF);
    escalations.lockPatient(patientRef);
    String flags = ProcessVariables.required(execution, Vars.RED_FLAGS);
    String observedAt = ProcessVariables.string(execution, Vars.RED_FLAG_OBSERVED_AT);
    if (observedAt == null) {
      observedAt = java.time.Instant.now().toString();
    }
    var open = escalations.openFor(patientRef);
    if (open.isEmpty()) {
      // the escalation this pathway waited for has ended without telling it: the flag must still escalate,
      // so it runs its own escalation rather than fail (and be only an alert after the retries)
      log.error("Pathway {} has no escalation under way for a red flag: a stand-alone escalation runs for it",
          execution.getProcessInstanceId());
      engine.startEscalation(patientRef, Map.of(Vars.PATIENT_REF, patientRef, Vars.RED_FLAGS, flags,
          Vars.RED_FLAG_OBSERVED_AT, observedAt,
          Vars.EMERGENCY_TRANSFER_SLA, ProcessVariables.required(execution, Vars.EMERGENCY_TRANSFER_SLA),
          Vars.URGENT_REFERRAL_SLA, ProcessVariables.required(execution, Vars.URGENT_REFERRAL_SLA),
          Vars.CLINICAL_TASK_DUE, ProcessVariables.required(execution, Vars.CLINICAL_TASK_DUE)));
      return;
    }
    boolean delivered = engine.deliver(EventTypes.RED_FLAG_RAISED, open.get().escalationId(), Map.of(
        Vars.FURTHER_FLAG, flags, Vars.FURTHER_FLAG_OBSERVED_AT, observedAt));
    if (!delivered) {
      throw new IllegalStateException("escalation " + open.get().escalationId() + " did not take the further red flag");
    }
  }
}
