package io.pathway.service.treatment;

import io.pathway.bpmn.PathwayModel.Vars;
import io.pathway.bpmn.rules.TreatmentRules;
import io.pathway.service.engine.ProcessVariables;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.stereotype.Component;

/**
 * {@code Task_CheckTreatmentRules}: runs right after the clinician's treatment choice, in the same
 * transaction, and writes what the gate reads ({@code treatmentRule}) from recorded facts. Whatever a
 * completion set under the same names is overwritten here; a refused choice clears the override reason.
 * The pathway is this process instance (never the {@code pathwayId} variable, which a completion could set).
 */
@Component("treatmentRuleCheck")
class TreatmentRuleCheck implements JavaDelegate {

  private final TreatmentRuleService rules;

  TreatmentRuleCheck(TreatmentRuleService rules) {
    this.rules = rules;
  }

  @Override
  public void execute(DelegateExecution execution) {
    String pathwayId = execution.getProcessInstanceId();
    var now = ClockUtil.getCurrentTime().toInstant();
    TreatmentRules.Verdict verdict = rules.check(pathwayId, new TreatmentRules.Choice(
        ProcessVariables.string(execution, Vars.SELECTED_TREATMENT), ProcessVariables.string(execution, Vars.SELECTED_SURGICAL_PROCEDURE),
        ProcessVariables.string(execution, Vars.TREATMENT_OVERRIDE_REASON)), now);
    execution.setVariables(rules.proposalInputs(pathwayId, now));
    execution.setVariable(Vars.TREATMENT_RULE, verdict.rule().name());
    execution.setVariable(Vars.TREATMENT_REFUSAL_REASON, verdict.refusalReason());
    execution.setVariable(Vars.TREATMENT_ORDER_REASON, verdict.orderReason());
    if (!verdict.allowed()) {
      execution.setVariable(Vars.TREATMENT_OVERRIDE_REASON, null);
    }
  }
}
