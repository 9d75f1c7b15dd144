package io.pathway.service.engine;

import io.pathway.bpmn.PathwayModel.Vars;
import org.camunda.bpm.engine.delegate.VariableScope;

/** Typed reads of process variables for the delegates. */
public final class ProcessVariables {

  private ProcessVariables() {}

  public static String string(VariableScope scope, String name) {
    Object v = scope.getVariable(name);
    return v == null ? null : v.toString();
  }

  public static String required(VariableScope scope, String name) {
    String v = string(scope, name);
    if (v == null || v.isBlank()) {
      throw new IllegalStateException("process variable '" + name + "' is required here");
    }
    return v;
  }

  /** The pathway id: the main process instance id, passed into every call activity as {@code pathwayId}. */
  public static String pathwayId(org.camunda.bpm.engine.delegate.DelegateExecution execution) {
    String id = string(execution, Vars.PATHWAY_ID);
    return id != null ? id : execution.getProcessInstanceId();
  }
}
