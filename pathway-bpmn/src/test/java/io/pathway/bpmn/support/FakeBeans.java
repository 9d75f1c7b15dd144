package io.pathway.bpmn.support;

import io.pathway.bpmn.rules.DiagnosisInputs;
import io.pathway.bpmn.rules.RuleFacts;
import io.pathway.bpmn.rules.RuleSettings;
import io.pathway.bpmn.rules.TreatmentRules;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.test.mock.Mocks;

/**
 * Stand-ins for the beans of {@code pathway-service}: they set what the real beans set and record
 * what they were asked to do, so that tests can assert on orders, referrals, alerts and stages.
 */
public final class FakeBeans {

  public record Order(String orderId, String kind, String code, String reason, String processInstanceId, String pathwayId) {}

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
  /** The alert cannot be written, as {@link #failReferrals} for the referral. */
  public boolean failAlerts;
  private final AtomicInteger orderSequence = new AtomicInteger();

  /** Configuration defaults of docs/process-interface.md. */
  public static Map<String, Object> defaultConfiguration() {
    return io.pathway.bpmn.ClinicalDefaults.configuration();
  }

  public void register() {
    Mocks.register("pathwayInitialiser", (JavaDelegate) this::initialise);
    Mocks.register("stagePublisher", (ExecutionListener) this::publishStage);
    Mocks.register("orderPlacer", (JavaDelegate) this::placeOrder);
    Mocks.register("referralIssuer", (JavaDelegate) this::issueReferral);
    Mocks.register("alertRaiser", (JavaDelegate) this::raiseAlert);
    Mocks.register("taskOverdueAlert", (org.camunda.bpm.engine.delegate.TaskListener) task ->
        alerts.add(new Alert("TASK_OVERDUE", "HIGH", task.getTaskDefinitionKey())));
    Mocks.register("pathwayCompletionPublisher", (ExecutionListener) e ->
        completions.add((String) e.getVariable("pathwayOutcome")));
    Mocks.register("ruleFactRecorder", facts);
    Mocks.register("treatmentRuleInputs", (ExecutionListener) this::treatmentRuleInputs);
    Mocks.register("treatmentRuleCheck", (JavaDelegate) this::treatmentRuleCheck);
    // the service's check of the consult date (F21): a past date is refused, on the engine's clock
    Mocks.register("consultBookingCheck", (org.camunda.bpm.engine.delegate.TaskListener) task -> {
      Object value = task.getVariable("surgicalConsultDate");
      if (value == null || LocalDate.parse(value.toString().substring(0, 10))
          .isBefore(ClockUtil.getCurrentTime().toInstant().atZone(java.time.ZoneOffset.UTC).toLocalDate())) {
        throw new org.camunda.bpm.engine.BadUserRequestException("surgicalConsultDate must be today or later");
      }
      task.setVariable("surgicalConsultCheckAt", DueDates.afterDay(LocalDate.parse(value.toString().substring(0, 10)),
          io.pathway.bpmn.ClinicalDefaults.SURGICAL_CONSULT_CHECK_AFTER));
    });
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
      Map<String, Object> further = new HashMap<>();
      further.put("furtherFlag", e.getVariable("redFlags"));
      further.put("furtherFlagObservedAt", e.getVariable("redFlagObservedAt"));
      if (!Deliveries.deliver(runtime, io.pathway.model.EventTypes.RED_FLAG_RAISED, escalation, further)) {
        throw new IllegalStateException("escalation " + escalation + " did not take the further red flag");
      }
    });
    Mocks.register("referralSuperseder", (JavaDelegate) e -> superseded.add((String) e.getVariable("supersededUrgency")));
  }

  /** The service's first step, with the production initialisation (PathwayStart) and the default settings. */
  private void initialise(DelegateExecution execution) {
    PathwayStart.initialise(execution, defaultConfiguration());
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
        (String) execution.getVariable("orderReason"), execution.getProcessInstanceId(), (String) execution.getVariable("pathwayId")));
    execution.setVariable("orderId", orderId);
    // as the real order placer: the chase interval of the configuration, on the order
    if (!execution.hasVariable("resultChaseInterval")) {
      execution.setVariable("resultChaseInterval", io.pathway.bpmn.ClinicalDefaults.RESULT_CHASE_INTERVAL);
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
      // as the service's delegate does: a step tried at once throws its model's error code, a retried step fails
      io.pathway.bpmn.support.FailureRoute.errorCode(execution).ifPresent(code -> {
        throw new org.camunda.bpm.engine.delegate.BpmnError(code, "referral could not be written");
      });
      throw new IllegalStateException("referral could not be written");
    }
    referrals.add(new Referral((String) execution.getVariable("referralUrgency"),
        (String) execution.getVariable("referralReason"), (String) execution.getVariable("suggestedProcedure"),
        (String) execution.getVariable("referralEvidence")));
  }

  private void raiseAlert(DelegateExecution execution) {
    if (failAlerts) {
      io.pathway.bpmn.support.FailureRoute.errorCode(execution).ifPresent(code -> {
        throw new org.camunda.bpm.engine.delegate.BpmnError(code, "alert could not be written");
      });
      throw new IllegalStateException("alert could not be written");
    }
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

  // ------------------------------------------------------------------ recorded facts (the service keeps them in its tables)

  /** What the service records itself, per pathway; filled by the test's hospital and the recorder beans. */
  public final FactStore facts = new FactStore();

  /** Stand-in for the service's fact store and its {@code ruleFactRecorder} bean. */
  public static final class FactStore {
    final Map<String, Map<String, Object>> enrolments = new HashMap<>();
    final Map<String, List<RuleFacts.Result>> results = new HashMap<>();
    final Map<String, List<RuleFacts.Outcome>> outcomes = new HashMap<>();
    final Map<String, Instant> followUps = new HashMap<>();
    final Map<String, Object[]> responses = new HashMap<>();
    final Map<String, String> diagnoses = new HashMap<>();
    final Map<String, String[]> proposals = new HashMap<>();

    public void enrolled(DelegateExecution execution) {
      enrolments.put(execution.getProcessInstanceId(), new HashMap<>(execution.getVariables()));
      execution.setVariable("imagingFindingsText", io.pathway.bpmn.rules.Labels.imaging(execution.getVariable("imagingFindings")));
    }

    public void followUpRecorded(DelegateTask task) {
      Object answer = task.getVariable("reliefSustained");
      if (answer == null) {
        throw new org.camunda.bpm.engine.ProcessEngineException("reliefSustained is required: answer yes or no");
      }
      task.setVariable("reliefSustained", Boolean.valueOf(answer.toString()));
      Instant now = ClockUtil.getCurrentTime().toInstant();
      followUps.put(task.getProcessInstanceId(), now);
      responses.put(task.getProcessInstanceId(), new Object[] {task.getVariable("painReductionPercent"), task.getVariable("reliefSustained")});
      task.setVariable("followUpAssessedAt", now.toString());
    }

    public void steroidResponse(DelegateExecution execution) {
      Object[] r = responses.getOrDefault(execution.getProcessInstanceId(), new Object[2]);
      execution.setVariable("steroidRelieved", TreatmentRules.steroidRelieved((Integer) r[0], (Boolean) r[1], settings(execution)));
    }

    /** The service records a clinician's confirmation of start-form findings; the process tests start as a hospital would. */
    public void findingsReviewed(DelegateTask task) {
      // nothing to record here
    }

    public void workupInputs(DelegateExecution execution) {
      execution.setVariables(DiagnosisInputs.workup(facts(execution.getProcessInstanceId())));
    }

    public void diagnosisInputs(DelegateExecution execution) {
      execution.setVariables(DiagnosisInputs.from(facts(execution.getProcessInstanceId())));
    }

    /** The service records the scheduled date on the order; here the completion only has to carry one. */
    public void procedureScheduled(DelegateTask task) {
      if (task.getVariable("scheduledFor") == null) {
        throw new org.camunda.bpm.engine.ProcessEngineException("scheduledFor is required");
      }
    }

    public void diagnosisConfirmed(DelegateExecution execution) {
      diagnoses.put(execution.getProcessInstanceId(), (String) execution.getVariable("definitiveDiagnosis"));
    }

    public void treatmentProposed(DelegateExecution execution) {
      proposals.put(execution.getProcessInstanceId(), new String[] {(String) execution.getVariable("proposedTreatment"),
          (String) execution.getVariable("proposedSurgicalProcedure")});
    }

    /** A result the hospital sent for an order the pathway placed. */
    public void result(Order order, Map<String, Object> v) {
      results.computeIfAbsent(order.pathwayId(), k -> new ArrayList<>()).add(new RuleFacts.Result(order.orderId(), order.code(),
          (String) v.get("resultOutcome"), (String) v.get("blockSide"), (String) v.get("blockLevel"),
          (Integer) v.get("blockReliefPercent"), (String) v.get("mriFinding"),
          v.get("resultPerformedAt") == null ? null : Instant.parse((String) v.get("resultPerformedAt"))));
    }

    public void outcome(Order order, int painReductionPercent) {
      outcomes.computeIfAbsent(order.pathwayId(), k -> new ArrayList<>())
          .add(new RuleFacts.Outcome(order.orderId(), order.code(), painReductionPercent, ClockUtil.getCurrentTime().toInstant()));
    }

    /** The follow-up the service accepted (its assessedAt). */
    public void followUpAccepted(String pathwayId, Instant assessedAt, int painReductionPercent, boolean sustained) {
      followUps.put(pathwayId, assessedAt);
      responses.put(pathwayId, new Object[] {painReductionPercent, sustained});
    }

    public RuleFacts facts(String pathwayId) {
      Map<String, Object> e = enrolments.getOrDefault(pathwayId, Map.of());
      String imaging = (String) e.get("imagingFindings");
      Set<String> findings = imaging == null || imaging.isBlank() ? Set.of()
          : Arrays.stream(imaging.split(",")).map(String::trim).collect(Collectors.toSet());
      String[] proposal = proposals.getOrDefault(pathwayId, new String[2]);
      return new RuleFacts((String) e.get("steroidKind"),
          e.get("steroidDate") == null ? null : LocalDate.parse((String) e.get("steroidDate")), findings,
          (String) e.get("painPattern"), followUps.get(pathwayId), results.getOrDefault(pathwayId, List.of()),
          outcomes.getOrDefault(pathwayId, List.of()), diagnoses.get(pathwayId), proposal[0], proposal[1],
          e.get("neuropathicScore") instanceof Number n ? n.intValue() : null, true, (String) e.get("imagingLevel"),
          (String) e.get("imagingSide"));
    }
  }

  private static RuleSettings settings(DelegateExecution execution) {
    return new RuleSettings((Integer) execution.getVariable("electiveMinFailedCareDays"),
        (Integer) execution.getVariable("neuromodulationMinFailedMeasures"), (Integer) execution.getVariable("reliefThresholdPercent"));
  }

  private TreatmentRules rules(DelegateExecution execution) {
    return new TreatmentRules(facts.facts(execution.getProcessInstanceId()), settings(execution), ClockUtil.getCurrentTime().toInstant());
  }

  private void treatmentRuleInputs(DelegateExecution execution) {
    execution.setVariables(rules(execution).proposalInputs());
  }

  private void treatmentRuleCheck(DelegateExecution execution) {
    TreatmentRules rules = rules(execution);
    TreatmentRules.Verdict verdict = rules.check(new TreatmentRules.Choice((String) execution.getVariable("selectedTreatment"),
        (String) execution.getVariable("selectedSurgicalProcedure"), (String) execution.getVariable("treatmentOverrideReason")));
    execution.setVariables(rules.proposalInputs());
    execution.setVariable("treatmentRule", verdict.rule().name());
    execution.setVariable("treatmentRefusalReason", verdict.refusalReason());
    execution.setVariable("treatmentOrderReason", verdict.orderReason());
    if (!verdict.allowed()) {
      execution.setVariable("treatmentOverrideReason", null);
    }
  }
}
