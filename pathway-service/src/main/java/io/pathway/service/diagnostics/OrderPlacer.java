package io.pathway.service.diagnostics;

import io.pathway.model.Topics;
import io.pathway.model.codes.OrderKind;
import io.pathway.model.events.OrderPlaced;
import io.pathway.service.engine.ProcessVariables;
import io.pathway.service.outbox.OutboxWriter;
import io.pathway.service.registry.PathwayRegistry;
import java.time.Instant;
import java.util.UUID;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Places a diagnostic test or procedure: a new order id, registered for correlation, and {@code pathway.order.placed.v1}. */
@Component("orderPlacer")
class OrderPlacer implements JavaDelegate {

  private final OutboxWriter outbox;
  private final PathwayRegistry registry;

  OrderPlacer(OutboxWriter outbox, PathwayRegistry registry) {
    this.outbox = outbox;
    this.registry = registry;
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
    registry.registerOrder(new PathwayRegistry.OrderRef(orderId, pathwayId, execution.getProcessInstanceId(), patientRef, kind.name(), code));
    outbox.append(Topics.ORDERS, pathwayId, new OrderPlaced(orderId, pathwayId, patientRef, kind, code, reason, Instant.now()));
  }
}
