package io.pathway.service.diagnostics;

import io.pathway.model.Topics;
import io.pathway.model.codes.OrderKind;
import io.pathway.model.events.OrderPlaced;
import io.pathway.service.engine.ProcessVariables;
import io.pathway.service.journal.JournaledOutbox;
import io.pathway.service.registry.PathwayRegistry;
import io.pathway.service.settings.PathwayProperties;
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

  OrderPlacer(JournaledOutbox outbox, PathwayRegistry registry, PathwayProperties properties) {
    this.outbox = outbox;
    this.registry = registry;
    this.properties = properties;
  }

  @Override
  public void execute(DelegateExecution execution) {
    String orderId = UUID.randomUUID().toString();
    String pathwayId = ProcessVariables.pathwayId(execution);
    String patientRef = ProcessVariables.required(execution, "patientRef");
    OrderKind kind = OrderKind.valueOf(ProcessVariables.required(execution, "orderKind"));
    String code = ProcessVariables.required(execution, "orderCode");
    String reason = ProcessVariables.string(execution, "orderReason");
    execution.getProcessInstance().setVariable("orderId", orderId);
    if (ProcessVariables.string(execution, "resultChaseInterval") == null) {
      execution.getProcessInstance().setVariable("resultChaseInterval", properties.clinical().resultChaseInterval());
    }
    registry.registerOrder(new PathwayRegistry.OrderRef(orderId, pathwayId, execution.getProcessInstanceId(), patientRef, kind.name(), code));
    outbox.append(Topics.ORDERS, pathwayId, new OrderPlaced(orderId, pathwayId, patientRef, kind, code, reason, Instant.now()));
  }
}
