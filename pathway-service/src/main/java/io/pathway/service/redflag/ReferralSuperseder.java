package io.pathway.service.redflag;

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
    escalations.supersede(ProcessVariables.required(execution, "escalationId"),
        ProcessVariables.string(execution, "supersededUrgency") == null ? "URGENT" : ProcessVariables.string(execution, "supersededUrgency"));
  }
}
