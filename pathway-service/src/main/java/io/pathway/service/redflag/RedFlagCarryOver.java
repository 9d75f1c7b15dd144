package io.pathway.service.redflag;

import io.pathway.bpmn.PathwayModel.Vars;
import io.pathway.model.EventTypes;
import io.pathway.service.engine.PathwayEngine;
import io.pathway.service.engine.ProcessVariables;
import java.util.Map;
import org.springframework.context.annotation.Lazy;
import io.pathway.service.platform.PathwayProperties;
import java.time.Instant;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * A red flag reported before the enrolment is carried into it, however the pathway starts (event or
 * Tasklist start form): while the patient's stand-alone escalation runs, the new pathway waits for it
 * and ends with its outcome (one escalation, one referral, one confirmation task), and the red flags the
 * enrolment itself lists join that escalation as further flags (a cauda equina sign upgrades an urgent one,
 * its deadline from the enrolment's observation time); an escalation that concluded shortly before
 * ({@code pathway.red-flag-carry-over}) is shown on the new pathway as history.
 */
@Component
public class RedFlagCarryOver {

  private final Escalations escalations;
  private final PathwayProperties properties;
  private final PathwayEngine engine;

  RedFlagCarryOver(Escalations escalations, PathwayProperties properties, @Lazy PathwayEngine engine) {
    this.escalations = escalations;
    this.properties = properties;
    this.engine = engine;
  }

  public void intoNewPathway(DelegateExecution execution, String pathwayId) {
    String patientRef = ProcessVariables.required(execution, Vars.PATIENT_REF);
    escalations.lockPatient(patientRef);
    var open = escalations.openFor(patientRef).filter(Escalations.Escalation::standAlone);
    if (open.isPresent()) {
      String escalationId = open.get().escalationId();
      if (!escalations.adopt(escalationId, pathwayId)) {
        // it ended meanwhile (its confirmation committed first), or another pathway of the patient waits for it
        // (a second active pathway, which the registry refuses): either way this start is retried afresh
        throw new IllegalStateException("escalation " + escalationId + " ended or is adopted by another pathway; try again");
      }
      execution.setVariable(Vars.ADOPTED_ESCALATION_ID, escalationId);
      String own = ProcessVariables.string(execution, Vars.RED_FLAGS);
      if (own != null && !own.isBlank()) {
        String observedAt = ProcessVariables.string(execution, Vars.RED_FLAG_OBSERVED_AT);
        if (!engine.deliver(EventTypes.RED_FLAG_RAISED, escalationId, Map.of(Vars.FURTHER_FLAG, own,
            Vars.FURTHER_FLAG_OBSERVED_AT, observedAt == null ? Instant.now().toString() : observedAt))) {
          throw new IllegalStateException("escalation " + escalationId + " did not take the enrolment's red flags");
        }
        execution.setVariable(Vars.RED_FLAG_HISTORY, open.get().flags() + "," + own);
      } else {
        execution.setVariable(Vars.RED_FLAG_HISTORY, open.get().flags());
      }
      return;
    }
    escalations.concludedSince(patientRef, Instant.now().minus(properties.redFlagCarryOver()))
        .ifPresent(done -> execution.setVariable(Vars.RED_FLAG_HISTORY, done.flags()));
  }
}
