package io.pathway.service.fhir;

import static io.pathway.service.fhir.FhirNames.patient;

import io.pathway.bpmn.PathwayModel.Processes;
import io.pathway.model.events.AlertRaised;
import io.pathway.model.events.OrderPlaced;
import io.pathway.model.events.ReferralIssued;
import io.pathway.model.events.StageChanged;
import io.pathway.bpmn.PathwayModel.Tasks;
import io.pathway.bpmn.PathwayModel.Vars;
import io.pathway.model.EventTypes;
import io.pathway.service.fhir.PathwaySources.Escalation;
import io.pathway.service.fhir.PathwaySources.Event;
import io.pathway.service.fhir.PathwaySources.Order;
import io.pathway.service.fhir.PathwaySources.Pathway;
import io.pathway.service.fhir.PathwaySources.ReferralClaim;
import io.pathway.service.records.Journal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.history.HistoricDetail;
import org.camunda.bpm.engine.history.HistoricTaskInstance;
import org.camunda.bpm.engine.history.HistoricVariableUpdate;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.springframework.stereotype.Component;

/**
 * One pathway (or stand-alone red-flag escalation) as FHIR R4 resources: the mapping of docs/fhir.md.
 * Pure reading: the resources are built from {@link PathwaySources} and handed to the store, which
 * gives them versions.
 */
@Component
class FhirProjector {

  /** One projected resource: its kind, id, status (for searches) and content. */
  record Projected(String type, String id, String status, Resource resource) {}

  /** The user tasks that are decisions (a proposal, a choice, a reason) and the variable holding each proposal. */
  static final Map<String, String> DECISIONS = Map.of(
      Tasks.REVIEW_FAILURE_HYPOTHESES, Vars.PROPOSED_HYPOTHESES,
      Tasks.REVIEW_DIAGNOSTIC_WORKUP, Vars.PROPOSED_WORKUP,
      Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS, Vars.PROPOSED_DIAGNOSIS,
      Tasks.CONFIRM_TREATMENT, Vars.PROPOSED_TREATMENT);

  /** The variable holding the choice of the decisions that choose one value. */
  static final Map<String, String> CHOICES = Map.of(
      Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS, Vars.DEFINITIVE_DIAGNOSIS,
      Tasks.CONFIRM_TREATMENT, Vars.SELECTED_TREATMENT);

  /** The confirmation task of each referral urgency. */
  static final Map<String, String> CONFIRMATIONS = Map.of(
      Tasks.CONFIRM_EMERGENCY_TRANSFER, "EMERGENCY",
      Tasks.CONFIRM_URGENT_SURGICAL_REFERRAL, "URGENT",
      Tasks.CONFIRM_SURGICAL_CONSULT_BOOKED, "ELECTIVE");

  static final List<String> ORDER_TASKS = List.of(Tasks.SCHEDULE_PROCEDURE, Tasks.CHASE_OVERDUE_RESULT, Tasks.CHASE_OVERDUE_OUTCOME);

  private final PathwaySources sources;
  private final DeliveryLog deliveries;

  FhirProjector(PathwaySources sources, DeliveryLog deliveries) {
    this.sources = sources;
    this.deliveries = deliveries;
  }

  /** Everything the pathway is as FHIR; empty when there is no such pathway. */
  List<Projected> project(String pathwayId) {
    Optional<Pathway> found = sources.pathway(pathwayId);
    if (found.isEmpty()) {
      return List.of();
    }
    Pathway p = found.get();
    List<Event> events = sources.events(pathwayId);
    List<Order> orders = sources.orders(pathwayId);
    Map<String, Instant> answered = sources.answered(pathwayId);
    List<Escalation> escalations = sources.escalations(pathwayId);
    List<ReferralClaim> claims = sources.referralClaims(pathwayId);
    List<HistoricTaskInstance> tasks = sources.tasks(pathwayId);
    Map<String, Map<String, Object>> orderVars = sources.orderVariables(orders.stream().map(Order::processInstanceId).toList());

    List<Projected> out = new ArrayList<>();
    Reference carePlan = new Reference("CarePlan/" + p.pathwayId());

    // red flags
    for (Escalation e : escalations) {
      out.add(flag(p, e));
    }
    // orders and their fulfilment
    Map<String, Order> orderByInstance = new HashMap<>();
    for (Order o : orders) {
      orderByInstance.put(o.processInstanceId(), o);
      Map<String, Object> vars = orderVars.getOrDefault(o.processInstanceId(), Map.of());
      List<HistoricTaskInstance> orderTasks = tasks.stream().filter(t -> o.processInstanceId().equals(t.getProcessInstanceId())).toList();
      Fulfilment f = fulfilment(o, answered.get(o.orderId()), vars, orderTasks);
      out.add(orderRequest(p, o, f, events, vars, carePlan));
      out.add(fulfilmentTask(p, o, f, carePlan));
    }
    // referrals
    Map<String, Projected> referralByUrgency = new LinkedHashMap<>();
    for (Event e : events) {
      ReferralIssued issued = e.direction() == Journal.Direction.OUT && EventTypes.REFERRAL_ISSUED.equals(e.type())
          ? sources.as(e, ReferralIssued.class).orElse(null) : null;
      if (issued != null) {
        String urgency = issued.urgency().name();
        ReferralClaim claim = claims.stream().filter(c -> e.eventId().equals(c.ceId())).findFirst().orElse(null);
        HistoricTaskInstance confirmation = tasks.stream()
            .filter(t -> Objects.equals(urgency, CONFIRMATIONS.get(t.getTaskDefinitionKey())))
            .reduce((a, b) -> b).orElse(null);
        Projected referral = referral(p, e, issued, claim, escalations, confirmation, carePlan);
        referralByUrgency.put(urgency, referral);
        out.add(referral);
      }
    }
    // user tasks
    for (HistoricTaskInstance t : tasks) {
      Order order = orderByInstance.get(t.getProcessInstanceId());
      Projected referral = referralByUrgency.get(CONFIRMATIONS.get(t.getTaskDefinitionKey()));
      out.add(userTask(p, t, order, referral, carePlan));
    }
    // alerts
    for (Event e : events) {
      if (e.direction() == Journal.Direction.OUT && EventTypes.ALERT_RAISED.equals(e.type())) {
        sources.as(e, AlertRaised.class).ifPresent(a -> out.add(alert(p, e, a, carePlan)));
      }
    }
    // decisions
    List<HistoricTaskInstance> decided = tasks.stream()
        .filter(t -> DECISIONS.containsKey(t.getTaskDefinitionKey()) && "completed".equals(t.getDeleteReason())).toList();
    if (!decided.isEmpty()) {
      List<HistoricVariableUpdate> updates = sources.variableUpdates(p.pathwayId());
      for (HistoricTaskInstance t : decided) {
        out.add(decision(p, t, updates, carePlan));
      }
    }
    out.add(0, carePlan(p, events, out));
    out.forEach(x -> narrative(x.resource()));
    return out;
  }

  /** A one-line human-readable summary (the narrative a receiving system can show as it is). */
  static void narrative(Resource r) {
    String text = r.fhirType();
    if (r instanceof CarePlan c) {
      text = c.getTitle() + ": " + c.getStatus().getDisplay() + ". " + c.getDescription();
    } else if (r instanceof ServiceRequest sr) {
      text = sr.getCode().getText() + ": " + sr.getStatus().getDisplay() + (sr.hasPriority() ? ", priority " + sr.getPriority().getDisplay() : "");
    } else if (r instanceof Task t) {
      text = t.getDescription() + ": " + t.getStatus().getDisplay() + (t.hasBusinessStatus() ? " (" + t.getBusinessStatus().getText() + ")" : "");
    } else if (r instanceof Flag f) {
      text = f.getCode().getText() + ": " + f.getStatus().getDisplay();
    } else if (r instanceof Communication c) {
      text = "Alert" + (c.hasReasonCode() ? " " + c.getReasonCodeFirstRep().getText() : "") + ": " + c.getStatus().getDisplay();
    } else if (r instanceof Provenance p) {
      text = p.getActivity().getText() + ", by " + p.getAgentFirstRep().getWho().getDisplay();
    }
    String escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    ((org.hl7.fhir.r4.model.DomainResource) r).getText().setStatus(org.hl7.fhir.r4.model.Narrative.NarrativeStatus.GENERATED)
        .setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">" + escaped + "</div>");
  }

  // ---- CarePlan

  private Projected carePlan(Pathway p, List<Event> events, List<Projected> parts) {
    CarePlan plan = new CarePlan();
    boolean escalation = "ESCALATION".equals(p.kind());
    plan.addIdentifier(new Identifier().setSystem(FhirNames.PATHWAY_ID).setValue(p.pathwayId()));
    plan.addIdentifier(new Identifier().setSystem(FhirNames.REFERRAL_ID).setValue(p.referralId()));
    plan.setIntent(CarePlan.CarePlanIntent.PLAN);
    plan.addCategory(concept(FhirNames.CS_PATHWAY_KIND, escalation ? Processes.RED_FLAG_ESCALATION : Processes.PATHWAY,
        escalation ? "Red-flag escalation (no active pathway)" : "Escalation of care after a failed steroid"));
    plan.setTitle(escalation ? "Red-flag escalation" : "Back and leg pain after a failed steroid");
    plan.setSubject(patient(p.patientRef()));
    plan.setCreated(date(p.startedAt()));
    plan.setPeriod(new Period().setStart(date(p.startedAt())).setEnd(date(p.endedAt())));
    CarePlan.CarePlanStatus status = p.endedAt() == null ? CarePlan.CarePlanStatus.ACTIVE
        : "WITHDRAWN".equals(p.outcome()) ? CarePlan.CarePlanStatus.REVOKED : CarePlan.CarePlanStatus.COMPLETED;
    plan.setStatus(status);
    plan.setDescription(p.endedAt() == null ? "Current stage: " + p.stage() : "Ended: " + p.outcome());
    // the stages, the current one in progress; the outcome on the last when the pathway ended
    List<Event> stages = events.stream().filter(e -> EventTypes.STAGE_CHANGED.equals(e.type())).toList();
    List<String[]> stageList = new ArrayList<>();
    for (Event e : stages) {
      sources.as(e, StageChanged.class).ifPresent(c -> stageList.add(new String[] {c.stage().name(),
          (c.at() == null ? e.at() : c.at()).toString()}));
    }
    if (stageList.isEmpty() && p.stage() != null && !"COMPLETED".equals(p.stage())) {
      stageList.add(new String[] {p.stage(), p.startedAt().toString()});
    }
    for (int i = 0; i < stageList.size(); i++) {
      boolean last = i == stageList.size() - 1;
      CarePlan.CarePlanActivityDetailComponent detail = plan.addActivity().getDetail();
      detail.setCode(concept(FhirNames.CS_STAGE, stageList.get(i)[0], label(stageList.get(i)[0])));
      Period period = new Period().setStart(date(Instant.parse(stageList.get(i)[1])));
      if (!last) {
        period.setEnd(date(Instant.parse(stageList.get(i + 1)[1])));
      } else if (p.endedAt() != null) {
        period.setEnd(date(p.endedAt()));
      }
      detail.setScheduled(period);
      detail.setStatus(last && p.endedAt() == null ? CarePlan.CarePlanActivityStatus.INPROGRESS : CarePlan.CarePlanActivityStatus.COMPLETED);
    }
    if (p.endedAt() != null && p.outcome() != null) {
      CarePlan.CarePlanActivityComponent end = plan.addActivity();
      end.addOutcomeCodeableConcept(concept(FhirNames.CS_OUTCOME, p.outcome(), label(p.outcome())));
      end.getDetail().setCode(concept(FhirNames.CS_STAGE, "COMPLETED", "Completed"))
          .setStatus(CarePlan.CarePlanActivityStatus.COMPLETED).setScheduled(new Period().setStart(date(p.endedAt())));
    }
    for (Projected part : parts) {
      if (part.resource() instanceof ServiceRequest || part.resource() instanceof Task) {
        plan.addActivity().setReference(new Reference(part.type() + "/" + part.id()));
      }
    }
    return new Projected("CarePlan", p.pathwayId(), plan.getStatus().toCode(), plan);
  }

  // ---- orders

  /** Where an order stands, in the manner of the Clinical Order Workflows guide. */
  record Fulfilment(String businessStatus, Task.TaskStatus taskStatus, ServiceRequest.ServiceRequestStatus requestStatus, Instant at,
      String reason) {}

  private static Fulfilment fulfilment(Order o, Instant answeredAt, Map<String, Object> vars, List<HistoricTaskInstance> orderTasks) {
    Object orderStatus = vars.get(Vars.ORDER_STATUS);
    if (o.cancelledAt() != null) {
      return new Fulfilment("cancelled", Task.TaskStatus.CANCELLED, ServiceRequest.ServiceRequestStatus.REVOKED, o.cancelledAt(),
          o.cancelReason());
    }
    if (answeredAt != null || "RESULTED".equals(orderStatus)) {
      return new Fulfilment("result-received", Task.TaskStatus.COMPLETED, ServiceRequest.ServiceRequestStatus.COMPLETED, answeredAt, null);
    }
    if ("NOT_DONE".equals(orderStatus) || "CANCELLED".equals(orderStatus)) {
      Instant at = orderTasks.stream().map(HistoricTaskInstance::getEndTime).filter(Objects::nonNull).map(Date::toInstant)
          .max(Comparator.naturalOrder()).orElse(null);
      return new Fulfilment("NOT_DONE".equals(orderStatus) ? "not-done" : "cancelled",
          "NOT_DONE".equals(orderStatus) ? Task.TaskStatus.FAILED : Task.TaskStatus.CANCELLED, ServiceRequest.ServiceRequestStatus.REVOKED,
          at, String.valueOf(orderStatus));
    }
    List<HistoricTaskInstance> chases = orderTasks.stream()
        .filter(t -> t.getTaskDefinitionKey().equals(Tasks.CHASE_OVERDUE_RESULT) || t.getTaskDefinitionKey().equals(Tasks.CHASE_OVERDUE_OUTCOME))
        .toList();
    if (chases.stream().anyMatch(t -> t.getEndTime() == null)) {
      Instant at = chases.stream().filter(t -> t.getEndTime() == null).map(t -> t.getStartTime().toInstant()).findFirst().orElse(null);
      return new Fulfilment("overdue", Task.TaskStatus.INPROGRESS, ServiceRequest.ServiceRequestStatus.ACTIVE, at, null);
    }
    if (!chases.isEmpty()) {
      Instant at = chases.stream().map(t -> t.getEndTime().toInstant()).max(Comparator.naturalOrder()).orElse(null);
      return new Fulfilment("chased", Task.TaskStatus.INPROGRESS, ServiceRequest.ServiceRequestStatus.ACTIVE, at, null);
    }
    Optional<HistoricTaskInstance> scheduled = orderTasks.stream()
        .filter(t -> t.getTaskDefinitionKey().equals(Tasks.SCHEDULE_PROCEDURE) && "completed".equals(t.getDeleteReason())).findFirst();
    if (scheduled.isPresent()) {
      return new Fulfilment("scheduled", Task.TaskStatus.ACCEPTED, ServiceRequest.ServiceRequestStatus.ACTIVE,
          scheduled.get().getEndTime().toInstant(), null);
    }
    return new Fulfilment("ordered", Task.TaskStatus.REQUESTED, ServiceRequest.ServiceRequestStatus.ACTIVE, o.orderedAt(), null);
  }

  private Projected orderRequest(Pathway p, Order o, Fulfilment f, List<Event> events, Map<String, Object> vars, Reference carePlan) {
    ServiceRequest sr = new ServiceRequest();
    sr.addIdentifier(new Identifier().setSystem(FhirNames.ORDER_ID).setValue(o.orderId()));
    sr.addBasedOn(carePlan.copy());
    sr.setStatus(f.requestStatus());
    sr.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
    sr.addCategory(concept(FhirNames.CS_ORDER_KIND, o.kind(), "DIAGNOSTIC".equals(o.kind()) ? "Diagnostic test" : "Procedure"));
    sr.setCode(concept(FhirNames.CS_ORDER_CODE, o.code(), label(o.code())));
    sr.setSubject(patient(p.patientRef()));
    sr.setAuthoredOn(date(o.orderedAt()));
    events.stream().filter(e -> EventTypes.ORDER_PLACED.equals(e.type())).map(e -> sources.as(e, OrderPlaced.class).orElse(null))
        .filter(placed -> placed != null && o.orderId().equals(placed.orderId())).map(OrderPlaced::reason).filter(Objects::nonNull).findFirst()
        .ifPresent(reason -> sr.addReasonCode(new CodeableConcept().setText(reason)));
    Object scheduledFor = vars.get(Vars.SCHEDULED_FOR);
    if (scheduledFor != null && !scheduledFor.toString().isBlank()) {
      sr.setOccurrence(new org.hl7.fhir.r4.model.DateTimeType(scheduledFor.toString()));
    }
    return new Projected("ServiceRequest", o.orderId(), sr.getStatus().toCode(), sr);
  }

  static String fulfilmentId(String orderId) {
    return "fulfilment-" + orderId;
  }

  private Projected fulfilmentTask(Pathway p, Order o, Fulfilment f, Reference carePlan) {
    Task task = new Task();
    task.addIdentifier(new Identifier().setSystem(FhirNames.ORDER_ID).setValue(o.orderId()));
    task.addBasedOn(new Reference("ServiceRequest/" + o.orderId()));
    task.setFocus(new Reference("ServiceRequest/" + o.orderId()));
    task.setStatus(f.taskStatus());
    task.setIntent(Task.TaskIntent.ORDER);
    task.setCode(concept(FhirNames.CS_TASK_KIND, "fulfill", "Fulfil the order"));
    task.setBusinessStatus(concept(FhirNames.CS_FULFILMENT, f.businessStatus(), label(f.businessStatus())));
    if (f.reason() != null) {
      task.setStatusReason(concept(FhirNames.CS_CANCEL_REASON, f.reason(), label(f.reason())));
    }
    task.setFor(patient(p.patientRef()));
    task.setAuthoredOn(date(o.orderedAt()));
    task.setLastModified(date(f.at() == null ? o.orderedAt() : f.at()));
    task.setDescription(label(o.code()));
    return new Projected("Task", fulfilmentId(o.orderId()), task.getStatus().toCode(), task);
  }

  // ---- referrals

  private Projected referral(Pathway p, Event e, ReferralIssued d, ReferralClaim claim, List<Escalation> escalations,
      HistoricTaskInstance confirmation, Reference carePlan) {
    String urgency = d.urgency().name();
    ServiceRequest sr = new ServiceRequest();
    if (d.referralId() != null) {
      sr.addIdentifier(new Identifier().setSystem(FhirNames.REFERRAL_ID).setValue(d.referralId()));
    }
    sr.addBasedOn(carePlan.copy());
    sr.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
    sr.addCategory(concept(FhirNames.CS_REFERRAL, "surgical-referral", "Referral to a spine surgeon"));
    sr.setCode(concept(FhirNames.CS_REFERRAL, "spine-surgeon", "Spine surgeon consultation"));
    sr.setPriority(switch (urgency) {
      case "EMERGENCY" -> ServiceRequest.ServiceRequestPriority.STAT;
      case "URGENT" -> ServiceRequest.ServiceRequestPriority.URGENT;
      default -> ServiceRequest.ServiceRequestPriority.ROUTINE;
    });
    sr.setSubject(patient(p.patientRef()));
    sr.setAuthoredOn(date(d.issuedAt() == null ? e.at() : d.issuedAt()));
    if (d.reason() != null) {
      sr.addReasonCode(concept(FhirNames.CS_REFERRAL_REASON, d.reason().name(), label(d.reason().name())));
    }
    if (d.suggestedProcedure() != null) {
      sr.addOrderDetail(new CodeableConcept().setText("Suggested procedure: " + label(d.suggestedProcedure())));
    }
    // the evidence, and the red flag behind an emergency or urgent referral (R4 reasonReference cannot name a Flag)
    d.evidence().forEach(x -> sr.addSupportingInfo(new Reference().setDisplay(x)));
    if (claim != null) {
      escalations.stream().filter(x -> x.escalationId().equals(claim.claimId()))
          .forEach(x -> sr.addSupportingInfo(new Reference("Flag/" + x.escalationId())));
    }
    ServiceRequest.ServiceRequestStatus status = ServiceRequest.ServiceRequestStatus.ACTIVE;
    if (claim != null && claim.supersededAt() != null) {
      status = ServiceRequest.ServiceRequestStatus.REVOKED;
      sr.addNote().setText("Superseded by a referral of higher urgency");
    } else if (claim != null && claim.cancelledAt() != null) {
      status = ServiceRequest.ServiceRequestStatus.REVOKED;
      sr.addNote().setText("Withdrawn towards the surgeon's office: " + label(claim.cancelReason()).toLowerCase());
    } else if (confirmation != null && confirmation.getEndTime() != null) {
      status = "completed".equals(confirmation.getDeleteReason()) ? ServiceRequest.ServiceRequestStatus.COMPLETED
          : ServiceRequest.ServiceRequestStatus.REVOKED;
    }
    sr.setStatus(status);
    return new Projected("ServiceRequest", referralId(e.eventId()), status.toCode(), sr);
  }

  static String referralId(String eventId) {
    String id = "referral-" + eventId.replaceAll("[^A-Za-z0-9\\-.]", "-");
    return id.length() > 64 ? id.substring(0, 64) : id;
  }

  // ---- user tasks

  private Projected userTask(Pathway p, HistoricTaskInstance t, Order order, Projected referral, Reference carePlan) {
    PathwaySources.TaskModel model = sources.taskModel(t.getProcessDefinitionId(), t.getTaskDefinitionKey());
    Task task = new Task();
    task.setStatus(t.getEndTime() == null ? (t.getAssignee() != null ? Task.TaskStatus.INPROGRESS : Task.TaskStatus.READY)
        : "completed".equals(t.getDeleteReason()) ? Task.TaskStatus.COMPLETED : Task.TaskStatus.CANCELLED);
    task.setIntent(Task.TaskIntent.ORDER);
    task.setCode(concept(FhirNames.CS_TASK, t.getTaskDefinitionKey(), model.name()));
    task.setDescription(model.name());
    task.setPriority(t.getPriority() >= 90 ? Task.TaskPriority.STAT : t.getPriority() >= 70 ? Task.TaskPriority.URGENT
        : Task.TaskPriority.ROUTINE);
    task.setFor(patient(p.patientRef()));
    task.setAuthoredOn(t.getStartTime());
    task.setLastModified(t.getEndTime() != null ? t.getEndTime() : t.getStartTime());
    task.setExecutionPeriod(new Period().setStart(t.getStartTime()).setEnd(t.getEndTime()));
    if (t.getDueDate() != null) {
      task.getRestriction().setPeriod(new Period().setEnd(t.getDueDate()));
    }
    if (model.candidateGroups() != null) {
      for (String group : model.candidateGroups().split(",")) {
        task.addPerformerType(new CodeableConcept().setText(group.trim()));
      }
      String group = model.candidateGroups().split(",")[0].trim();
      task.setOwner(new Reference().setType("CareTeam").setIdentifier(new Identifier().setSystem(FhirNames.GROUP).setValue(group))
          .setDisplay(group));
    }
    // the form's subject: the order a coordinator schedules or chases, the referral a confirmation confirms, else the plan
    if (order != null) {
      task.setFocus(new Reference("ServiceRequest/" + order.orderId()));
      task.addBasedOn(new Reference("ServiceRequest/" + order.orderId()));
      task.addPartOf(new Reference("Task/" + fulfilmentId(order.orderId())));
    } else if (referral != null) {
      task.setFocus(new Reference("ServiceRequest/" + referral.id()));
      task.addBasedOn(new Reference("ServiceRequest/" + referral.id()));
    } else {
      task.setFocus(carePlan.copy());
      task.addBasedOn(carePlan.copy());
    }
    return new Projected("Task", t.getId(), task.getStatus().toCode(), task);
  }

  // ---- red flags

  private Projected flag(Pathway p, Escalation e) {
    Flag flag = new Flag();
    flag.setStatus(e.endedAt() == null ? Flag.FlagStatus.ACTIVE : Flag.FlagStatus.INACTIVE);
    flag.addCategory(concept(FhirNames.HL7_FLAG_CATEGORY, "clinical", "Clinical"));
    CodeableConcept code = new CodeableConcept();
    List<String> flags = List.of(e.flags().split("[,;\\s]+")).stream().filter(s -> !s.isBlank()).toList();
    flags.forEach(f -> code.addCoding(new Coding(FhirNames.CS_RED_FLAG, f, label(f))));
    code.setText("Red flag: " + flags.stream().map(FhirProjector::label).collect(Collectors.joining(", ")));
    flag.setCode(code);
    flag.setSubject(patient(p.patientRef()));
    flag.setPeriod(new Period().setStart(date(e.observedAt())).setEnd(date(e.endedAt())));
    return new Projected("Flag", e.escalationId(), flag.getStatus().toCode(), flag);
  }

  // ---- alerts

  private Projected alert(Pathway p, Event e, AlertRaised d, Reference carePlan) {
    String alertId = d.alertId() != null ? d.alertId() : e.eventId();
    Communication c = new Communication();
    c.addIdentifier(new Identifier().setSystem(FhirNames.ALERT_ID).setValue(alertId));
    c.addCategory(concept(FhirNames.HL7_COMMUNICATION_CATEGORY, "alert", "Alert"));
    if (d.type() != null) {
      c.addReasonCode(concept(FhirNames.CS_ALERT_TYPE, d.type().name(), label(d.type().name())));
    }
    c.setPriority(switch (String.valueOf(d.severity())) {
      case "CRITICAL" -> Communication.CommunicationPriority.STAT;
      case "HIGH" -> Communication.CommunicationPriority.URGENT;
      default -> Communication.CommunicationPriority.ROUTINE;
    });
    c.setSubject(patient(p.patientRef()));
    c.addAbout(carePlan.copy());
    c.setSent(date(d.raisedAt() == null ? e.at() : d.raisedAt()));
    if (d.message() != null) {
      c.addPayload().setContent(new StringType(d.message()));
    }
    // raised and handed to the notification service: in progress until a delivery is reported
    List<DeliveryLog.Delivery> delivered = deliveries.forSource(e.eventId());
    Communication.CommunicationStatus status = Communication.CommunicationStatus.INPROGRESS;
    for (DeliveryLog.Delivery x : delivered) {
      c.addRecipient(new Reference().setIdentifier(new Identifier().setSystem(FhirNames.RECIPIENT).setValue(x.recipient()))
          .setDisplay(x.recipient() + " (" + x.channel() + ")"));
    }
    if (delivered.stream().anyMatch(DeliveryLog.Delivery::delivered)) {
      status = Communication.CommunicationStatus.COMPLETED;
      c.setReceived(Date.from(delivered.stream().filter(DeliveryLog.Delivery::delivered).map(DeliveryLog.Delivery::at)
          .min(Comparator.naturalOrder()).orElseThrow()));
    } else if (!delivered.isEmpty()) {
      status = Communication.CommunicationStatus.NOTDONE;
      c.setStatusReason(new CodeableConcept().setText("Every delivery attempt failed: " + delivered.stream()
          .map(DeliveryLog.Delivery::reason).filter(Objects::nonNull).distinct().collect(Collectors.joining("; "))));
    }
    c.setStatus(status);
    return new Projected("Communication", alertId, status.toCode(), c);
  }

  // ---- decisions

  private Projected decision(Pathway p, HistoricTaskInstance t, List<HistoricVariableUpdate> updates, Reference carePlan) {
    PathwaySources.TaskModel model = sources.taskModel(t.getProcessDefinitionId(), t.getTaskDefinitionKey());
    Provenance prov = new Provenance();
    prov.addTarget(carePlan.copy());
    prov.setOccurred(new org.hl7.fhir.r4.model.DateTimeType(t.getEndTime()));
    prov.setRecorded(t.getEndTime());
    prov.setActivity(concept(FhirNames.CS_TASK, t.getTaskDefinitionKey(), model.name()));
    String who = sources.completedBy(t);
    prov.addAgent().setType(concept(FhirNames.HL7_PROVENANCE_PARTICIPANT, "author", "Author"))
        .setWho(new Reference().setType("Practitioner").setIdentifier(new Identifier().setSystem(FhirNames.USER)
            .setValue(who == null ? "unknown" : who)).setDisplay(who == null ? "unknown" : who));
    HistoricDetail proposal = PathwaySources.latest(updates, DECISIONS.get(t.getTaskDefinitionKey()), t.getStartTime());
    if (proposal != null) {
      prov.addEntity().setRole(Provenance.ProvenanceEntityRole.SOURCE)
          .setWhat(new Reference().setDisplay("Proposed: " + value(((HistoricVariableUpdate) proposal).getValue())));
    }
    // what the person entered at this task: the choice, and the reason for an override or refusal
    Map<String, Object> entered = new LinkedHashMap<>();
    for (HistoricVariableUpdate u : updates) {
      if (t.getActivityInstanceId() != null && t.getActivityInstanceId().equals(u.getActivityInstanceId())) {
        entered.put(u.getVariableName(), u.getValue());
      }
    }
    String choice = entered.entrySet().stream().filter(x -> !x.getKey().endsWith("Reason") && x.getValue() != null)
        .map(x -> x.getKey() + "=" + value(x.getValue())).collect(Collectors.joining(", "));
    String chosen = "";
    if (CHOICES.containsKey(t.getTaskDefinitionKey())) {
      HistoricDetail value = PathwaySources.latest(updates, CHOICES.get(t.getTaskDefinitionKey()), t.getEndTime());
      if (value != null && ((HistoricVariableUpdate) value).getValue() != null) {
        chosen = "chose " + value(((HistoricVariableUpdate) value).getValue()) + "; ";
      }
    }
    prov.getActivity().setText(model.name() + ": " + chosen + (choice.isEmpty() ? "proposal accepted" : "entered " + choice));
    entered.entrySet().stream().filter(x -> x.getKey().endsWith("Reason") && x.getValue() != null && !x.getValue().toString().isBlank())
        .forEach(x -> prov.addReason().setText(x.getKey() + ": " + x.getValue()));
    return new Projected("Provenance", "decision-" + t.getId(), "recorded", prov);
  }

  // ---- helpers

  private static String value(Object v) {
    if (v == null) {
      return "none";
    }
    String s = v.toString();
    return s.length() > 500 ? s.substring(0, 500) + "..." : s;
  }

  static CodeableConcept concept(String system, String code, String display) {
    return new CodeableConcept().addCoding(new Coding(system, code, display)).setText(display);
  }

  /** A code as words: FAILED_CONSERVATIVE_CARE -> "Failed conservative care". */
  static String label(String code) {
    if (code == null || code.isBlank()) {
      return code;
    }
    String words = code.replace('_', ' ').replace('-', ' ').toLowerCase(Locale.ROOT);
    return Character.toUpperCase(words.charAt(0)) + words.substring(1);
  }

  private static Date date(Instant instant) {
    return instant == null ? null : Date.from(instant);
  }
}
