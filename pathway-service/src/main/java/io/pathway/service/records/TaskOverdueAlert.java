package io.pathway.service.records;

import io.pathway.bpmn.PathwayModel.Vars;
import io.pathway.model.codes.AlertType;
import io.pathway.model.codes.Severity;
import io.pathway.service.engine.ProcessVariables;
import java.time.Instant;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.stereotype.Component;

/**
 * A clinician's or coordinator's task passed its due date and is still open: a {@code TASK_OVERDUE} alert,
 * raised by the task's timeout listener when the task falls due and again every {@code clinicalTaskDue}
 * while it stays open (the timer ends with the task). The message names the step as the model labels it
 * and the due date; the task's own name carries the patient reference and is not used.
 */
@Component("taskOverdueAlert")
class TaskOverdueAlert implements TaskListener {

  private final Alerts alerts;

  TaskOverdueAlert(Alerts alerts) {
    this.alerts = alerts;
  }

  @Override
  public void notify(DelegateTask task) {
    String step = task.getBpmnModelElementInstance() != null && task.getBpmnModelElementInstance().getName() != null
        ? task.getBpmnModelElementInstance().getName() : task.getTaskDefinitionKey();
    String due = task.getDueDate() == null ? "" : " (due " + task.getDueDate().toInstant() + ")";
    alerts.raise(ProcessVariables.pathwayId(task.getExecution()), ProcessVariables.required(task, Vars.PATIENT_REF),
        Severity.HIGH, AlertType.TASK_OVERDUE, "Task overdue: " + step + due + ", still open at " + Instant.now());
  }
}
