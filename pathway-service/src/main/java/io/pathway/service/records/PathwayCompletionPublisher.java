package io.pathway.service.records;

import io.pathway.bpmn.PathwayModel.Vars;
import io.pathway.model.Topics;
import io.pathway.model.codes.PathwayOutcome;
import io.pathway.model.events.PathwayCompleted;
import io.pathway.service.engine.ProcessVariables;
import io.pathway.service.records.JournaledOutbox;
import io.pathway.service.records.PathwayRegistry;
import java.time.Instant;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** When the pathway ends: records the outcome and publishes {@code pathway.completed.v1}. */
@Component("pathwayCompletionPublisher")
class PathwayCompletionPublisher implements ExecutionListener {

  private static final Logger log = LoggerFactory.getLogger(PathwayCompletionPublisher.class);

  private final JournaledOutbox outbox;
  private final PathwayRegistry registry;

  PathwayCompletionPublisher(JournaledOutbox outbox, PathwayRegistry registry) {
    this.outbox = outbox;
    this.registry = registry;
  }

  @Override
  public void notify(DelegateExecution execution) {
    String pathwayId = ProcessVariables.pathwayId(execution);
    String outcome = ProcessVariables.string(execution, Vars.PATHWAY_OUTCOME);
    if (outcome == null) {
      // ended by an operator in Cockpit rather than by the pathway: recorded as a withdrawal
      log.warn("Pathway {} ended without an outcome; recorded as WITHDRAWN", pathwayId);
      outcome = PathwayOutcome.WITHDRAWN.name();
    }
    registry.ended(pathwayId, outcome);
    outbox.append(Topics.STATUS, pathwayId, new PathwayCompleted(pathwayId, ProcessVariables.required(execution, Vars.PATIENT_REF),
        PathwayOutcome.valueOf(outcome), Instant.now()));
  }
}
