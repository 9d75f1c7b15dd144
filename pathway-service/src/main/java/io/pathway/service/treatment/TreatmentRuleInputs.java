package io.pathway.service.treatment;

import io.pathway.service.engine.ProcessVariables;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.stereotype.Component;

/** Start of treatment selection: the table's inputs and the form's evidence, derived from recorded facts. */
@Component("treatmentRuleInputs")
class TreatmentRuleInputs implements ExecutionListener {

  private final TreatmentRuleService rules;

  TreatmentRuleInputs(TreatmentRuleService rules) {
    this.rules = rules;
  }

  @Override
  public void notify(DelegateExecution execution) {
    execution.setVariables(rules.proposalInputs(execution.getProcessInstanceId(), ClockUtil.getCurrentTime().toInstant()));
  }
}
