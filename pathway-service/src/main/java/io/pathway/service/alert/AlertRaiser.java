package io.pathway.service.alert;

import io.pathway.model.codes.AlertType;
import io.pathway.model.codes.Severity;
import io.pathway.service.engine.ProcessVariables;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Raises the alert the model describes ({@code alertType}, {@code alertSeverity}, {@code alertMessage}). */
@Component("alertRaiser")
class AlertRaiser implements JavaDelegate {

  private final Alerts alerts;

  AlertRaiser(Alerts alerts) {
    this.alerts = alerts;
  }

  @Override
  public void execute(DelegateExecution execution) {
    alerts.raise(ProcessVariables.pathwayId(execution), ProcessVariables.required(execution, "patientRef"),
        Severity.valueOf(ProcessVariables.required(execution, "alertSeverity")),
        AlertType.valueOf(ProcessVariables.required(execution, "alertType")),
        ProcessVariables.required(execution, "alertMessage"));
  }
}
