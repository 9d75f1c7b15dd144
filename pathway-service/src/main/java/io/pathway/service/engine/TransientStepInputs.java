package io.pathway.service.engine;

import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.impl.bpmn.helper.BpmnProperties;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.core.variable.mapping.InputParameter;
import org.camunda.bpm.engine.impl.core.variable.mapping.IoMapping;
import org.camunda.bpm.engine.impl.core.variable.scope.AbstractVariableScope;
import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.camunda.bpm.engine.variable.Variables;
import org.camunda.bpm.engine.variable.value.TypedValue;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The input parameters of an automatic step (a service task: {@code referralIssuer}'s {@code suggestedProcedure} and
 * {@code referralEvidence}, {@code alertRaiser}'s {@code alertType}, {@code alertSeverity} and {@code alertMessage})
 * are transient variables: the step's delegate reads them as before, and they are neither stored nor written to the
 * history.
 *
 * <p>Such a step starts and ends in one transaction, and its local variables end with it; Camunda nevertheless inserted
 * each one as a runtime variable, a history variable and a history detail, then deleted the runtime row at the step's
 * end: on the red-flag path five variables (fifteen rows) per red flag, for values that are expressions over the
 * process variables the history keeps. What the step did is in the journal and the outbox (the referral with its
 * procedure and evidence, the alert with its message). User tasks, whose inputs a person reads later, call activities,
 * and steps continued asynchronously after their end keep Camunda's stored variables. Applied when a model is parsed,
 * so no model carries it; {@code pathway.engine.transient-step-inputs=false} turns it off.
 */
@Component
class TransientStepInputs extends AbstractProcessEnginePlugin {

  private final boolean enabled;

  TransientStepInputs(@Value("${pathway.engine.transient-step-inputs:true}") boolean enabled) {
    this.enabled = enabled;
  }

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    if (!enabled) {
      return;
    }
    if (configuration.getCustomPostBPMNParseListeners() == null) {
      configuration.setCustomPostBPMNParseListeners(new ArrayList<>());
    }
    configuration.getCustomPostBPMNParseListeners().add(new AbstractBpmnParseListener() {
      @Override
      public void parseProcess(Element processElement, ProcessDefinitionEntity processDefinition) {
        makeTransient(processDefinition);
      }
    });
  }

  /** Makes the inputs of every service task in the scope (and its sub-scopes) transient. */
  static void makeTransient(ScopeImpl scope) {
    for (ActivityImpl activity : scope.getActivities()) {
      if (automatic(activity)) {
        IoMapping mapping = activity.getIoMapping();
        List<InputParameter> transientInputs = new ArrayList<>();
        for (InputParameter input : mapping.getInputParameters()) {
          transientInputs.add(input instanceof TransientInput ? input : new TransientInput(input));
        }
        mapping.setInputParameters(transientInputs);
      }
      makeTransient(activity);
    }
  }

  /** A service task that is its own scope (it has inputs) and ends in the transaction it ran in. */
  static boolean automatic(ActivityImpl activity) {
    return "serviceTask".equals(activity.getProperties().get(BpmnProperties.TYPE)) && activity.isScope()
        && activity.getIoMapping() != null && !activity.getIoMapping().getInputParameters().isEmpty()
        && !activity.isAsyncAfter();
  }

  /** Camunda's input parameter, set as a transient variable of the step's scope. */
  static final class TransientInput extends InputParameter {

    TransientInput(InputParameter input) {
      super(input.getName(), input.getValueProvider());
    }

    @Override
    protected void execute(AbstractVariableScope innerScope, AbstractVariableScope outerScope) {
      Object value = valueProvider.getValue(outerScope);
      // a typed value from an expression keeps its own (stored) kind
      innerScope.setVariableLocal(name, value instanceof TypedValue ? value : Variables.untypedValue(value, true));
    }
  }
}
