package io.pathway.service.cancellation;

import io.pathway.bpmn.PathwayModel.Vars;
import io.pathway.model.Topics;
import io.pathway.model.codes.CancelReason;
import io.pathway.model.events.OrderCancelled;
import io.pathway.service.engine.ProcessVariables;
import io.pathway.service.journal.JournaledOutbox;
import java.time.Instant;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * End listener of every order step: when the step is cancelled (a red flag, a withdrawal or the
 * pathway moving on ended it) while its order is open, the hospital is told with
 * {@code pathway.order.cancelled.v1}, once, so that no test or procedure is left standing for a patient
 * on another route. The reason is the one the interruption recorded on the pathway.
 */
@Component("orderCancellation")
class OrderCancellation implements ExecutionListener {

  private final JdbcTemplate jdbc;
  private final JournaledOutbox outbox;

  OrderCancellation(JdbcTemplate jdbc, JournaledOutbox outbox) {
    this.jdbc = jdbc;
    this.outbox = outbox;
  }

  @Override
  public void notify(DelegateExecution execution) {
    String orderId = ProcessVariables.string(execution, Vars.ORDER_ID);
    if (!execution.isCanceled() || orderId == null) {
      return; // completed with its result, or cancelled before the order went out
    }
    CancelReason reason = reason(execution);
    int open = jdbc.update("update pathway.order_ref set cancelled_at = now(), cancel_reason = ? where order_id = ? and cancelled_at is null",
        reason.name(), orderId);
    if (open == 0) {
      return;
    }
    String pathwayId = ProcessVariables.pathwayId(execution);
    outbox.append(Topics.ORDERS, pathwayId,
        new OrderCancelled(orderId, pathwayId, ProcessVariables.required(execution, Vars.PATIENT_REF), reason, Instant.now()));
  }

  private static CancelReason reason(DelegateExecution execution) {
    DelegateExecution pathway = execution.getProcessInstance().getSuperExecution();
    Object recorded = pathway == null ? null : pathway.getVariable(Vars.INTERRUPTION_REASON);
    try {
      return recorded == null ? CancelReason.SUPERSEDED : CancelReason.valueOf(recorded.toString());
    } catch (IllegalArgumentException unknown) {
      return CancelReason.SUPERSEDED;
    }
  }
}
