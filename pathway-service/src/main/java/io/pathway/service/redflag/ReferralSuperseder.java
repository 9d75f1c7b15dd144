package io.pathway.service.redflag;

import io.pathway.bpmn.PathwayModel.Vars;
import io.pathway.service.engine.ProcessVariables;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** An urgent escalation upgraded to an emergency: its urgent referral is kept, marked superseded. */
@Component("referralSuperseder")
class ReferralSuperseder implements JavaDelegate {

  private final Escalations escalations;

  ReferralSuperseder(Escalations escalations) {
    this.escalations = escalations;
  }

  @Override
  public void execute(DelegateExecution execution) {
    escalations.supersede(ProcessVariables.required(execution, Vars.ESCALATION_ID),
        ProcessVariables.string(execution, Vars.SUPERSEDED_URGENCY) == null ? "URGENT" : ProcessVariables.string(execution, Vars.SUPERSEDED_URGENCY));
  }
}
