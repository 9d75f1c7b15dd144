package io.pathway.service.redflag;

import io.pathway.service.engine.ProcessVariables;
import io.pathway.service.registry.PathwayRegistry;
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
    String patientRef = ProcessVariables.required(execution, "patientRef");
    execution.setVariable("escalationId", escalationId);
    String pathwayId = ProcessVariables.string(execution, "pathwayId");
    boolean standAlone = pathwayId == null;
    if (standAlone) {
      pathwayId = escalationId;
      execution.setVariable("pathwayId", escalationId);
      execution.setVariable("referralId", "ESC-" + escalationId);
      registry.registerStandAloneEscalation(escalationId, "ESC-" + escalationId, patientRef);
    }
    String observedAt = ProcessVariables.string(execution, "redFlagObservedAt");
    if (observedAt == null) {
      observedAt = Instant.now().toString();
      execution.setVariable("redFlagObservedAt", observedAt);
    }
    String previous = ProcessVariables.string(execution, "previousPathwayId");
    escalations.register(escalationId, patientRef, standAlone ? null : pathwayId, previous,
        ProcessVariables.required(execution, "redFlags"), Instant.parse(observedAt));
  }
}
