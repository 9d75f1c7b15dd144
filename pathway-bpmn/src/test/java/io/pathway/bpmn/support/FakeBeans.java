package io.pathway.bpmn.support;

import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.test.mock.Mocks;

/**
 * Stand-ins for the beans of {@code pathway-service}: they set what the real beans set and record
 * what they were asked to do, so that tests can assert on orders, referrals, alerts and stages.
 */
public final class FakeBeans {

  public record Order(String orderId, String kind, String code, String reason, String processInstanceId) {}

  public record Referral(String urgency, String reason, String suggestedProcedure, String evidence) {}

  public record Alert(String type, String severity, String message) {}

  public final List<Order> orders = new ArrayList<>();
  public final List<Referral> referrals = new ArrayList<>();
  public final List<Alert> alerts = new ArrayList<>();
  public final List<String> stages = new ArrayList<>();
  public final List<String> completions = new ArrayList<>();
  public final List<String> escalationsClosed = new ArrayList<>();
  public final List<String> superseded = new ArrayList<>();
  /** Orders cancelled towards the hospital, as {@code orderId:reason}. */
  public final List<String> cancelledOrders = new ArrayList<>();
  /** When set, the referral delegate fails (as an unreachable database would), to prove the alert does not depend on it. */
  public boolean failReferrals;
  private final AtomicInteger orderSequence = new AtomicInteger();

  /** Configuration defaults of docs/process-interface.md. */
  public static Map<String, Object> defaultConfiguration() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("followUpDelay", "P28D");
    c.put("reliefThresholdPercent", 50);
    c.put("resultOverdueAfter", "P14D");
    c.put("treatmentOutcomeOverdueAfter", "P84D");
    c.put("emergencyTransferSla", "PT30M");
    c.put("urgentReferralSla", "PT4H");
    c.put("surgicalConsultBookingSla", "P14D");
    c.put("clinicalTaskDue", "P3D");
    c.put("electiveMinFailedCareDays", 90);
    return c;
  }

  public void register() {
    Mocks.register("pathwayInitialiser", (JavaDelegate) this::initialise);
    Mocks.register("stagePublisher", (ExecutionListener) this::publishStage);
    Mocks.register("orderPlacer", (JavaDelegate) this::placeOrder);
    Mocks.register("referralIssuer", (JavaDelegate) this::issueReferral);
    Mocks.register("alertRaiser", (JavaDelegate) this::raiseAlert);
    Mocks.register("pathwayCompletionPublisher", (ExecutionListener) e ->
        completions.add((String) e.getVariable("pathwayOutcome")));
    Mocks.register("clinicalClock", new ClinicalClock());
    Mocks.register("dueDates", new DueDates());
    Mocks.register("reasons", new Reasons());
    Mocks.register("escalationRegistrar", (JavaDelegate) this::registerEscalation);
    Mocks.register("escalationCloser", (ExecutionListener) e -> escalationsClosed.add((String) e.getVariable("pathwayOutcome")));
    Mocks.register("orderCancellation", (ExecutionListener) e -> {
      if (e.isCanceled() && e.getVariable("orderId") != null) {
        DelegateExecution pathway = e.getProcessInstance().getSuperExecution();
        Object reason = pathway == null ? null : pathway.getVariable("interruptionReason");
        cancelledOrders.add(e.getVariable("orderId") + ":" + (reason == null ? "SUPERSEDED" : reason));
      }
    });
    Mocks.register("redFlagForwarder", (JavaDelegate) e -> {
      // what the service does: the flag goes to the patient's escalation under way as a further flag
      var runtime = e.getProcessEngineServices().getRuntimeService();
      String escalation = runtime.createProcessInstanceQuery().processDefinitionKey("red-flag-escalation").list().get(0).getId();
      runtime.createMessageCorrelation("pathway.redflag.raised.v1").processInstanceId(escalation)
          .setVariable("furtherFlag", e.getVariable("redFlags"))
          .setVariable("furtherFlagObservedAt", e.getVariable("redFlagObservedAt"))
          .correlate();
    });
    Mocks.register("referralSuperseder", (JavaDelegate) e -> superseded.add((String) e.getVariable("supersededUrgency")));
  }

  private void initialise(DelegateExecution execution) {
    execution.setVariable("pathwayId", execution.getProcessInstanceId());
    defaultConfiguration().forEach((name, value) -> {
      if (!execution.hasVariable(name)) {
        execution.setVariable(name, value);
      }
    });
    if (!execution.hasVariable("treatmentsTried")) {
      execution.setVariable("treatmentsTried", "");
    }
    LocalDate steroidDate = LocalDate.parse((String) execution.getVariable("steroidDate"));
    Period delay = Period.parse((String) execution.getVariable("followUpDelay"));
    execution.setVariable("followUpDueAt", steroidDate.plus(delay).atTime(9, 0).toString());
  }

  private void publishStage(DelegateExecution execution) {
    String stage = (String) execution.getVariableLocal("stage");
    if (stage == null) {
      throw new IllegalStateException("stagePublisher called without a local 'stage' at " + execution.getCurrentActivityId());
    }
    if (!execution.hasVariable("pathwayId") || !execution.hasVariable("patientRef")) {
      throw new IllegalStateException("stagePublisher needs pathwayId and patientRef at " + execution.getCurrentActivityId());
    }
    stages.add(stage);
    execution.setVariable("currentStage", stage);
  }

  private void placeOrder(DelegateExecution execution) {
    String code = (String) execution.getVariable("orderCode");
    String orderId = "ORD-" + orderSequence.incrementAndGet() + "-" + code;
    orders.add(new Order(orderId, (String) execution.getVariable("orderKind"), code,
        (String) execution.getVariable("orderReason"), execution.getProcessInstanceId()));
    execution.setVariable("orderId", orderId);
    // as the real order placer: the chase interval of the configuration, on the order
    if (!execution.hasVariable("resultChaseInterval")) {
      execution.setVariable("resultChaseInterval", "P7D");
    }
  }

  /** What the service's escalation registrar sets: the escalation's ids and the observation time. */
  private void registerEscalation(DelegateExecution execution) {
    String id = execution.getProcessInstanceId();
    execution.setVariable("escalationId", id);
    if (execution.getVariable("pathwayId") == null) {
      execution.setVariable("pathwayId", id);
    }
    if (execution.getVariable("referralId") == null) {
      execution.setVariable("referralId", "ESC-" + id);
    }
    if (execution.getVariable("redFlagObservedAt") == null) {
      execution.setVariable("redFlagObservedAt", org.camunda.bpm.engine.impl.util.ClockUtil.getCurrentTime().toInstant().toString());
    }
    for (String sla : new String[] {"emergencyTransferSla", "urgentReferralSla", "clinicalTaskDue"}) {
      if (execution.getVariable(sla) == null) {
        execution.setVariable(sla, defaultConfiguration().get(sla));
      }
    }
  }

  private void issueReferral(DelegateExecution execution) {
    if (failReferrals) {
      throw new IllegalStateException("referral could not be written");
    }
    referrals.add(new Referral((String) execution.getVariable("referralUrgency"),
        (String) execution.getVariable("referralReason"), (String) execution.getVariable("suggestedProcedure"),
        (String) execution.getVariable("referralEvidence")));
  }

  private void raiseAlert(DelegateExecution execution) {
    alerts.add(new Alert((String) execution.getVariable("alertType"), (String) execution.getVariable("alertSeverity"),
        (String) execution.getVariable("alertMessage")));
  }

  public Order order(String code) {
    return orders.stream().filter(o -> o.code().equals(code)).reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("No order for " + code + " in " + orders));
  }

  public List<String> orderedCodes() {
    return orders.stream().map(Order::code).toList();
  }
}
