package io.pathway.service.diagnostics;

import io.pathway.bpmn.PathwayModel.Vars;
import io.pathway.model.Topics;
import io.pathway.model.codes.OrderKind;
import io.pathway.model.events.OrderPlaced;
import io.pathway.service.engine.ProcessVariables;
import io.pathway.service.records.JournaledOutbox;
import io.pathway.service.records.PathwayRegistry;
import io.pathway.service.treatment.RuleFactStore;
import io.pathway.service.platform.PathwayProperties;
import java.time.Instant;
import java.util.UUID;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Places a diagnostic test or procedure: a new order id, registered for correlation, and {@code pathway.order.placed.v1}.
 * It also gives the order its chase interval ({@code resultChaseInterval}, from {@code pathway.clinical.result-chase-interval})
 * unless the caller passed one in: the order's own model reads it, the pathway does not.
 */
@Component("orderPlacer")
class OrderPlacer implements JavaDelegate {

  private final JournaledOutbox outbox;
  private final PathwayRegistry registry;
  private final PathwayProperties properties;
  private final RuleFactStore facts;

  OrderPlacer(JournaledOutbox outbox, PathwayRegistry registry, PathwayProperties properties, RuleFactStore facts) {
    this.outbox = outbox;
    this.registry = registry;
    this.properties = properties;
    this.facts = facts;
  }

  @Override
  public void execute(DelegateExecution execution) {
    String orderId = UUID.randomUUID().toString();
    String pathwayId = ProcessVariables.pathwayId(execution);
    String patientRef = ProcessVariables.required(execution, Vars.PATIENT_REF);
    OrderKind kind = OrderKind.valueOf(ProcessVariables.required(execution, Vars.ORDER_KIND));
    String code = ProcessVariables.required(execution, Vars.ORDER_CODE);
    String reason = ProcessVariables.string(execution, Vars.ORDER_REASON);
    execution.getProcessInstance().setVariable(Vars.ORDER_ID, orderId);
    if (ProcessVariables.string(execution, Vars.RESULT_CHASE_INTERVAL) == null) {
      execution.getProcessInstance().setVariable(Vars.RESULT_CHASE_INTERVAL, properties.clinical().resultChaseInterval());
    }
    registry.registerOrder(new PathwayRegistry.OrderRef(orderId, pathwayId, execution.getProcessInstanceId(), patientRef, kind.name(), code));
    if (kind == OrderKind.PROCEDURE) {
      facts.procedureOrdered(orderId, properties.clinical().outcomeMinInterval().of(code));
    }
    outbox.append(Topics.ORDERS, pathwayId, new OrderPlaced(orderId, pathwayId, patientRef, kind, code, reason, Instant.now()));
  }
}
