package io.pathway.service.redflag;

import io.pathway.bpmn.PathwayModel.Vars;
import io.pathway.service.engine.ProcessVariables;
import io.pathway.service.records.PathwayRegistry;
import io.pathway.service.engine.PathwayEngine;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * When an escalation ends (its transfer or referral confirmed): records the outcome; a stand-alone
 * escalation ends its listing; a pathway that was enrolled while it ran, and waits for it, learns the
 * outcome and ends with it.
 */
@Component("escalationCloser")
class EscalationCloser implements ExecutionListener {

  private static final Logger log = LoggerFactory.getLogger(EscalationCloser.class);

  private final Escalations escalations;
  private final PathwayRegistry registry;
  private final PathwayEngine engine;

  EscalationCloser(Escalations escalations, PathwayRegistry registry, @Lazy PathwayEngine engine) {
    this.escalations = escalations;
    this.registry = registry;
    this.engine = engine;
  }

  @Override
  public void notify(DelegateExecution execution) {
    String escalationId = ProcessVariables.string(execution, Vars.ESCALATION_ID);
    if (escalationId == null) {
      return; // ended before it was registered (an operator deleted it)
    }
    String outcome = ProcessVariables.string(execution, Vars.PATHWAY_OUTCOME);
    // serialised with an enrolment's carry-over by the escalation row itself (both update it on condition
    // ended_at is null): a pathway either adopts the escalation before it ends, and is told below, or finds
    // it ended; it never adopts one that has just ended and waits for ever
    escalations.ended(escalationId, outcome);
    var escalation = escalations.byId(escalationId).orElseThrow();
    if (!escalation.standAlone()) {
      return;
    }
    registry.ended(escalationId, outcome == null ? "WITHDRAWN" : outcome);
    if (escalation.adoptedBy() != null && outcome != null && engine.escalationConcluded(escalation.adoptedBy(), outcome)) {
      log.info("Escalation {} concluded {}; pathway {} that waited for it ends with it", escalationId, outcome, escalation.adoptedBy());
    }
  }
}
