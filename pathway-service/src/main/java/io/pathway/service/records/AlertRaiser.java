package io.pathway.service.records;

import io.pathway.bpmn.PathwayModel.Vars;
import io.pathway.model.codes.AlertType;
import io.pathway.model.codes.Severity;
import io.pathway.service.engine.ProcessVariables;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Raises the alert the model describes ({@code alertType}, {@code alertSeverity}, {@code alertMessage}). A step that
 * names an error code for failure (the red-flag alert, raised in the red flag's own transaction) writes it under a
 * savepoint ({@link TriedAtOnce}) and hands it to its retried copy when it cannot.
 */
@Component("alertRaiser")
class AlertRaiser implements JavaDelegate {

  private final Alerts alerts;
  private final TriedAtOnce atOnce;

  AlertRaiser(Alerts alerts, TriedAtOnce atOnce) {
    this.alerts = alerts;
    this.atOnce = atOnce;
  }

  @Override
  public void execute(DelegateExecution execution) {
    atOnce.run(execution, "Alert", () -> raise(execution));
  }

  private void raise(DelegateExecution execution) {
    alerts.raise(ProcessVariables.pathwayId(execution), ProcessVariables.required(execution, Vars.PATIENT_REF),
        Severity.valueOf(ProcessVariables.required(execution, Vars.ALERT_SEVERITY)),
        AlertType.valueOf(ProcessVariables.required(execution, Vars.ALERT_TYPE)),
        ProcessVariables.required(execution, Vars.ALERT_MESSAGE));
  }
}
