package io.pathway.service.records;

import io.pathway.bpmn.PathwayModel.Vars;
import io.pathway.model.Topics;
import io.pathway.model.codes.Stage;
import io.pathway.model.events.StageChanged;
import io.pathway.service.engine.ProcessVariables;
import io.pathway.service.records.JournaledOutbox;
import io.pathway.service.records.PathwayRegistry;
import java.time.Instant;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.springframework.stereotype.Component;

/** On entering a stage: records it, sets {@code currentStage} and publishes {@code pathway.stage.changed.v1}. */
@Component("stagePublisher")
class StagePublisher implements ExecutionListener {

  private final JournaledOutbox outbox;
  private final PathwayRegistry registry;

  StagePublisher(JournaledOutbox outbox, PathwayRegistry registry) {
    this.outbox = outbox;
    this.registry = registry;
  }

  @Override
  public void notify(DelegateExecution execution) {
    Stage stage = Stage.valueOf(ProcessVariables.required(execution, Vars.STAGE));
    String pathwayId = ProcessVariables.pathwayId(execution);
    execution.getProcessInstance().setVariable(Vars.CURRENT_STAGE, stage.name());
    registry.stageChanged(pathwayId, stage.name());
    outbox.append(Topics.STATUS, pathwayId,
        new StageChanged(pathwayId, ProcessVariables.required(execution, Vars.PATIENT_REF), stage, Instant.now()));
  }
}
