package io.pathway.bpmn.support;

import java.util.Map;
import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
import org.camunda.bpm.engine.RuntimeService;

/**
 * The one way a message reaches a process instance, used by the service ({@code PathwayEngine#deliver}) and
 * by the process tests alike: to one process instance by its id (the pathway, the escalation under way, or
 * the order instance that placed the order), and only when an execution of that instance has a subscription
 * for the message. Never by business key or by a variable's value.
 */
public final class Deliveries {

  private Deliveries() {}

  /** True when the instance waited for the message and took it; false when nothing of it waits (the service keeps the event). */
  public static boolean deliver(RuntimeService runtime, String message, String processInstanceId, Map<String, Object> variables) {
    boolean waiting = runtime.createExecutionQuery()
        .processInstanceId(processInstanceId).messageEventSubscriptionName(message).count() > 0;
    if (!waiting) {
      return false;
    }
    try {
      runtime.createMessageCorrelation(message)
          .processInstanceId(processInstanceId)
          .setVariables(variables)
          .correlateWithResult();
      return true;
    } catch (MismatchingMessageCorrelationException noSubscription) {
      return false;
    }
  }
}
