package io.pathway.service.redflag;

import io.pathway.bpmn.PathwayModel.Vars;
import io.pathway.service.engine.ProcessVariables;
import io.pathway.service.settings.PathwayProperties;
import java.time.Instant;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * A red flag reported before the enrolment is carried into it, however the pathway starts (event or
 * Tasklist start form): while the patient's stand-alone escalation runs, the new pathway waits for it
 * and ends with its outcome (one escalation, one referral, one confirmation task); an escalation that
 * concluded shortly before ({@code pathway.red-flag-carry-over}) is shown on the new pathway as history.
 */
@Component
public class RedFlagCarryOver {

  private final Escalations escalations;
  private final PathwayProperties properties;

  RedFlagCarryOver(Escalations escalations, PathwayProperties properties) {
    this.escalations = escalations;
    this.properties = properties;
  }

  public void intoNewPathway(DelegateExecution execution, String pathwayId) {
    String patientRef = ProcessVariables.required(execution, Vars.PATIENT_REF);
    escalations.lockPatient(patientRef);
    var open = escalations.openFor(patientRef).filter(Escalations.Escalation::standAlone);
    if (open.isPresent()) {
      escalations.adopt(open.get().escalationId(), pathwayId);
      execution.setVariable(Vars.ADOPTED_ESCALATION_ID, open.get().escalationId());
      execution.setVariable(Vars.RED_FLAG_HISTORY, open.get().flags());
      return;
    }
    escalations.concludedSince(patientRef, Instant.now().minus(properties.redFlagCarryOver()))
        .ifPresent(done -> execution.setVariable(Vars.RED_FLAG_HISTORY, done.flags()));
  }
}
