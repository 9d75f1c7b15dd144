package io.pathway.service.fhir;

import io.pathway.bpmn.PathwayModel.Vars;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * A user task was created, assigned, updated, completed or deleted: its pathway is marked for
 * projection, in the engine's transaction (Camunda's Spring eventing publishes every task event).
 */
@Component
class TaskChanges {

  private final JdbcTemplate jdbc;

  TaskChanges(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @EventListener
  void onTask(DelegateTask task) {
    if (task.getProcessInstanceId() == null) {
      return;
    }
    String owner = task.getProcessInstanceId();
    try {
      Object pathwayId = task.getVariable(Vars.PATHWAY_ID);
      if (pathwayId != null) {
        owner = pathwayId.toString();
      }
    } catch (RuntimeException unreadable) {
      // a task of an instance being torn down: its own instance names the pathway (fhir_owner, order_ref)
    }
    jdbc.queryForList("select pathway.fhir_mark_stale(pathway.fhir_owner(?))", owner);
  }
}
