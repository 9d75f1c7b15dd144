package io.pathway.service.records;

import io.pathway.bpmn.PathwayModel.Vars;
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
    alerts.raise(ProcessVariables.pathwayId(execution), ProcessVariables.required(execution, Vars.PATIENT_REF),
        Severity.valueOf(ProcessVariables.required(execution, Vars.ALERT_SEVERITY)),
        AlertType.valueOf(ProcessVariables.required(execution, Vars.ALERT_TYPE)),
        ProcessVariables.required(execution, Vars.ALERT_MESSAGE));
  }
}
