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

  private final Escalations escalations;
  private final PathwayEngine engine;

  RedFlagForwarder(Escalations escalations, @Lazy PathwayEngine engine) {
    this.escalations = escalations;
    this.engine = engine;
  }

  @Override
  public void execute(DelegateExecution execution) {
    String patientRef = ProcessVariables.required(execution, Vars.PATIENT_REF);
    var open = escalations.openFor(patientRef)
        .orElseThrow(() -> new IllegalStateException("pathway " + execution.getProcessInstanceId() + " has no escalation under way"));
    String observedAt = ProcessVariables.string(execution, Vars.RED_FLAG_OBSERVED_AT);
    boolean delivered = engine.deliver(EventTypes.RED_FLAG_RAISED, open.escalationId(), Map.of(
        Vars.FURTHER_FLAG, ProcessVariables.required(execution, Vars.RED_FLAGS),
        Vars.FURTHER_FLAG_OBSERVED_AT, observedAt == null ? java.time.Instant.now().toString() : observedAt));
    if (!delivered) {
      throw new IllegalStateException("escalation " + open.escalationId() + " did not take the further red flag");
    }
  }
}
