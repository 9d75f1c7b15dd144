package io.pathway.service.upgrade;

import io.pathway.bpmn.PathwayModel.Steps;
import io.pathway.bpmn.PathwayModel.Vars;
import io.pathway.service.engine.ProcessVariables;
import java.util.ArrayList;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * The hard-rule gate ({@code Task_CheckTreatmentRules}, in every version of the model) reports its verdict
 * here when it ends, in its own transaction: a pathway migrated to a new version has its re-check recorded
 * on its timeline the first time it passes the gate after the move. Added at parse time, so no model
 * version has to carry it.
 */
@Component
class UpgradeGate extends AbstractProcessEnginePlugin {

  private final UpgradeService upgrades;

  UpgradeGate(@Lazy UpgradeService upgrades) {
    this.upgrades = upgrades;
  }

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    if (configuration.getCustomPostBPMNParseListeners() == null) {
      configuration.setCustomPostBPMNParseListeners(new ArrayList<>());
    }
    ExecutionListener listener = this::checked;
    configuration.getCustomPostBPMNParseListeners().add(new AbstractBpmnParseListener() {
      @Override
      public void parseServiceTask(Element element, ScopeImpl scope, ActivityImpl activity) {
        if (Steps.CHECK_TREATMENT_RULES.equals(activity.getId())) {
          activity.addListener(ExecutionListener.EVENTNAME_END, listener);
        }
      }
    });
  }

  private void checked(DelegateExecution execution) {
    upgrades.gateChecked(execution.getProcessInstanceId(), ProcessVariables.string(execution, Vars.TREATMENT_RULE));
  }
}
