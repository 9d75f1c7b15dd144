package io.pathway.service.diagnostics;

import io.pathway.bpmn.PathwayModel.Vars;
import io.pathway.model.Topics;
import io.pathway.bpmn.rules.RuleFacts;
import io.pathway.model.codes.CancelReason;
import io.pathway.model.codes.OrderKind;
import io.pathway.model.events.OrderCancelled;
import io.pathway.service.engine.ProcessVariables;
import io.pathway.service.records.JournaledOutbox;
import io.pathway.service.treatment.RuleFactStore;
import java.time.Instant;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * End listener of every order step: when the step is cancelled (a red flag, a withdrawal or the
 * pathway moving on ended it) while its order is open, the hospital is told with
 * {@code pathway.order.cancelled.v1}, once, so that no test or procedure is left standing for a patient
 * on another route. The reason is the one the interruption recorded on the pathway. A coordinator's "not done" or
 * "cancelled" on a chase also cancels the order towards the hospital ({@code NOT_DONE}).
 */
@Component("orderCancellation")
class OrderCancellation implements ExecutionListener {

  /** The chase outcomes that close an order without its result. */
  private static final java.util.Set<String> CHASE_CLOSED = java.util.Set.of(RuleFacts.NOT_DONE, RuleFacts.CANCELLED);

  private final JdbcTemplate jdbc;
  private final JournaledOutbox outbox;
  private final RuleFactStore facts;

  OrderCancellation(JdbcTemplate jdbc, JournaledOutbox outbox, RuleFactStore facts) {
    this.jdbc = jdbc;
    this.outbox = outbox;
    this.facts = facts;
  }

  @Override
  public void notify(DelegateExecution execution) {
    String orderId = ProcessVariables.string(execution, Vars.ORDER_ID);
    if (orderId == null) {
      return; // cancelled before the order went out
    }
    if (!execution.isCanceled()) {
      String status = ProcessVariables.string(execution, Vars.ORDER_STATUS);
      if (CHASE_CLOSED.contains(status)) {
        closedByChase(execution, orderId, status);
      }
      return; // otherwise completed with its result
    }
    cancel(execution, orderId, reason(execution));
  }

  /**
   * F11: a coordinator closed the chase of an overdue result or outcome as not done or cancelled. The hospital is told
   * ({@code NOT_DONE}), and a diagnostic test's status is recorded beside its results, so that the clinician's evidence
   * shows it as not done (never blank) and a result that still comes later is seen as late, not taken silently.
   */
  private void closedByChase(DelegateExecution execution, String orderId, String status) {
    if (cancel(execution, orderId, CancelReason.NOT_DONE) && OrderKind.DIAGNOSTIC.name().equals(
        ProcessVariables.string(execution, Vars.ORDER_KIND))) {
      String pathwayId = ProcessVariables.pathwayId(execution);
      facts.result(pathwayId, new RuleFacts.Result(orderId, ProcessVariables.required(execution, Vars.ORDER_CODE), status, null, null,
          null, null, null));
      facts.chaseNote(orderId, ProcessVariables.string(execution, Vars.CHASE_NOTE));
    }
  }

  private boolean cancel(DelegateExecution execution, String orderId, CancelReason reason) {
    int open = jdbc.update("update pathway.order_ref set cancelled_at = now(), cancel_reason = ? where order_id = ? and cancelled_at is null",
        reason.name(), orderId);
    if (open == 0) {
      return false;
    }
    String pathwayId = ProcessVariables.pathwayId(execution);
    outbox.append(Topics.ORDERS, pathwayId,
        new OrderCancelled(orderId, pathwayId, ProcessVariables.required(execution, Vars.PATIENT_REF), reason, Instant.now()));
    return true;
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
