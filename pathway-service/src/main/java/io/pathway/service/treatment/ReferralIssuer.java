package io.pathway.service.treatment;

import io.pathway.bpmn.PathwayModel.Vars;
import io.pathway.model.Topics;
import io.pathway.model.codes.ReferralReason;
import io.pathway.model.codes.Urgency;
import io.pathway.model.events.ReferralIssued;
import io.pathway.service.engine.ProcessVariables;
import io.pathway.service.records.JournaledOutbox;
import io.pathway.service.records.PathwayRegistry;
import io.pathway.service.records.TriedAtOnce;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Issues a surgical referral on {@code pathway.referrals}: at most one per pathway and urgency.
 *
 * <p>A step that names an error code for failure ({@link io.pathway.bpmn.support.FailureRoute}: the red-flag
 * escalation's referral, done in the red flag's own transaction) writes the referral under a savepoint
 * ({@link TriedAtOnce}), so that the red flag, its escalation, its alert and its task still commit when it cannot, and
 * the model's retried copy of the step issues the referral as a job of its own.
 */
@Component("referralIssuer")
class ReferralIssuer implements JavaDelegate {

  private static final Logger log = LoggerFactory.getLogger(ReferralIssuer.class);

  private final JournaledOutbox outbox;
  private final PathwayRegistry registry;
  private final TriedAtOnce atOnce;

  ReferralIssuer(JournaledOutbox outbox, PathwayRegistry registry, TriedAtOnce atOnce) {
    this.outbox = outbox;
    this.registry = registry;
    this.atOnce = atOnce;
  }

  @Override
  public void execute(DelegateExecution execution) {
    atOnce.run(execution, "Referral", () -> issue(execution));
  }

  private void issue(DelegateExecution execution) {
    String pathwayId = ProcessVariables.pathwayId(execution);
    Urgency urgency = Urgency.valueOf(ProcessVariables.required(execution, Vars.REFERRAL_URGENCY));
    ReferralReason reason = ReferralReason.valueOf(ProcessVariables.required(execution, Vars.REFERRAL_REASON));
    ReferralIssued referral = new ReferralIssued(ProcessVariables.required(execution, Vars.REFERRAL_ID), pathwayId,
        ProcessVariables.required(execution, Vars.PATIENT_REF), urgency, reason,
        ProcessVariables.string(execution, Vars.SUGGESTED_PROCEDURE), evidence(execution.getVariable(Vars.REFERRAL_EVIDENCE)), Instant.now());
    // one referral per urgency and episode: a red-flag escalation is its own episode (a patient may
    // need a second emergency referral months after the first), an elective referral is the pathway's
    String claim = execution.getVariable(Vars.ESCALATION_ID) != null ? ProcessVariables.string(execution, Vars.ESCALATION_ID) : pathwayId;
    if (!registry.claimReferral(claim, urgency.name())) {
      log.info("Pathway {} already has its {} referral for {}; not issued again", pathwayId, urgency, claim);
      return;
    }
    var envelope = outbox.append(Topics.REFERRALS, pathwayId, referral);
    registry.referralEvent(claim, urgency.name(), envelope.id());
  }

  static List<String> evidence(Object value) {
    if (value == null) {
      return List.of();
    }
    if (value instanceof Collection<?> c) {
      return c.stream().map(String::valueOf).toList();
    }
    return Arrays.stream(value.toString().split("[;\\n]")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
