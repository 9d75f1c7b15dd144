package io.pathway.service.records;

import io.pathway.bpmn.PathwayModel.Vars;
import io.pathway.bpmn.support.FailureRoute;
import java.util.Optional;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The database writes of a step that the model tries at once, in the transaction that reaches it ({@link FailureRoute}:
 * the red-flag escalation's referral and alert, done in the red flag's own transaction). They run under a savepoint:
 * when they fail, they are rolled back to it and the step's BPMN error is thrown, so that the red flag, its escalation
 * and the other steps still commit and the model's retried copy of the step (a job with the engine's retries and
 * incident) does the writes later. A step without a failure route simply writes and fails with its transaction.
 */
@Component
public class TriedAtOnce {

  private static final Logger log = LoggerFactory.getLogger(TriedAtOnce.class);

  private final TransactionTemplate savepoint;

  TriedAtOnce(PlatformTransactionManager transactions) {
    this.savepoint = new TransactionTemplate(transactions);
    this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
  }

  /** Runs {@code writes} for the step {@code execution} is at; {@code what} names it in the log and the error. */
  public void run(DelegateExecution execution, String what, Runnable writes) {
    Optional<String> onFailure = FailureRoute.errorCode(execution);
    if (onFailure.isEmpty()) {
      writes.run();
      return;
    }
    try {
      savepoint.executeWithoutResult(status -> writes.run());
    } catch (RuntimeException e) {
      // the exception's message may quote patient data: its class only
      log.warn("{} of pathway {} not written at once ({}); the escalation goes on and the retried step writes it", what,
          execution.getVariable(Vars.PATHWAY_ID), e.getClass().getSimpleName());
      throw new BpmnError(onFailure.get(), what + " not written at once: " + e.getClass().getSimpleName());
    }
  }
}
