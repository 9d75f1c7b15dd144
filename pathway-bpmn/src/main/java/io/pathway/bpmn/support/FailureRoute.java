package io.pathway.bpmn.support;

import java.util.Optional;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.model.bpmn.instance.ExtensionElements;
import org.camunda.bpm.model.bpmn.instance.FlowElement;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperty;

/**
 * A step done at once, in the transaction that reaches it, with a retried copy of itself for when it cannot be done
 * there. The model names, in the step's extension property {@value #PROPERTY}, the code of the BPMN error its delegate
 * throws in place of failing; a boundary error event with that code leads to the copy, an asynchronous step with the
 * engine's retries and incidents. The delegate undoes its own database writes first (a savepoint), so the
 * transaction that reached the step commits everything else: the red flag's receipt, its escalation, its other steps.
 */
public final class FailureRoute {

  /** The extension property of a step that is tried at once: the error code its delegate throws when it fails. */
  public static final String PROPERTY = "errorCodeOnFailure";

  private FailureRoute() {
  }

  /** The error code the current step's delegate throws in place of failing; empty for a step that simply fails. */
  public static Optional<String> errorCode(DelegateExecution execution) {
    FlowElement element = execution.getBpmnModelElementInstance();
    ExtensionElements extensions = element == null ? null : element.getExtensionElements();
    if (extensions == null) {
      return Optional.empty();
    }
    for (CamundaProperties properties : extensions.getElementsQuery().filterByType(CamundaProperties.class).list()) {
      for (CamundaProperty p : properties.getCamundaProperties()) {
        if (PROPERTY.equals(p.getCamundaName()) && p.getCamundaValue() != null && !p.getCamundaValue().isBlank()) {
          return Optional.of(p.getCamundaValue().trim());
        }
      }
    }
    return Optional.empty();
  }
}
