package io.pathway.service.redflag;

import io.pathway.bpmn.PathwayModel.Vars;
import io.pathway.service.engine.ProcessVariables;
import io.pathway.service.records.PathwayRegistry;
import java.time.Instant;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * First step of every red-flag escalation: gives it its ids and its observation time, and records it
 * as the patient's escalation under way, so that further red flags join it instead of starting another.
 * A stand-alone escalation (no pathway) is its own episode: its id serves as pathway and referral id.
 */
@Component("escalationRegistrar")
class EscalationRegistrar implements JavaDelegate {

  private final Escalations escalations;
  private final PathwayRegistry registry;

  EscalationRegistrar(Escalations escalations, PathwayRegistry registry) {
    this.escalations = escalations;
    this.registry = registry;
  }

  @Override
  public void execute(DelegateExecution execution) {
    String escalationId = execution.getProcessInstanceId();
    String patientRef = ProcessVariables.required(execution, Vars.PATIENT_REF);
    execution.setVariable(Vars.ESCALATION_ID, escalationId);
    String pathwayId = ProcessVariables.string(execution, Vars.PATHWAY_ID);
    boolean standAlone = pathwayId == null;
    if (standAlone) {
      pathwayId = escalationId;
      execution.setVariable(Vars.PATHWAY_ID, escalationId);
      execution.setVariable(Vars.REFERRAL_ID, "ESC-" + escalationId);
      registry.registerStandAloneEscalation(escalationId, "ESC-" + escalationId, patientRef);
    }
    String observedAt = ProcessVariables.string(execution, Vars.RED_FLAG_OBSERVED_AT);
    if (observedAt == null) {
      observedAt = Instant.now().toString();
      execution.setVariable(Vars.RED_FLAG_OBSERVED_AT, observedAt);
    }
    String previous = ProcessVariables.string(execution, Vars.PREVIOUS_PATHWAY_ID);
    escalations.register(escalationId, patientRef, standAlone ? null : pathwayId, previous,
        ProcessVariables.required(execution, Vars.RED_FLAGS), Instant.parse(observedAt));
  }
}
