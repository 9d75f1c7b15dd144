package io.pathway.service.views;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pathway.model.EventTypes;
import io.pathway.service.records.Journal;
import io.pathway.service.redflag.Escalations;
import io.pathway.service.records.PathwayRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.history.HistoricDecisionInstance;
import org.camunda.bpm.engine.history.HistoricDetail;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.history.HistoricTaskInstance;
import org.camunda.bpm.engine.history.HistoricVariableUpdate;
import org.camunda.bpm.engine.history.UserOperationLogEntry;
import org.springframework.stereotype.Component;

/**
 * The whole journey of one pathway in time order: events in and out (stages, orders, results,
 * alerts, referrals, the end) from the journal, and from the engine's history every decision with
 * its inputs and outputs and every task with what the person entered (overrides and their reasons).
 */
@Component
public class TimelineService {

  /** One line of the timeline. */
  public record Entry(Instant at, String kind, String name, String by, Map<String, Object> details) {}

  /** A pathway with its timeline. */
  public record Timeline(PathwayRegistry.PathwayRef pathway, List<Entry> entries) {}

  private final PathwayRegistry registry;
  private final Journal journal;
  private final HistoryService history;
  private final ObjectMapper json;
  private final Escalations escalations;

  TimelineService(PathwayRegistry registry, Journal journal, HistoryService history, ObjectMapper json, Escalations escalations) {
    this.escalations = escalations;
    this.registry = registry;
    this.journal = journal;
    this.history = history;
    this.json = json;
  }

  /** Finds a pathway by its id or by the enrolment's referral id. */
  public Optional<PathwayRegistry.PathwayRef> find(String idOrReferral) {
    return registry.byId(idOrReferral).or(() -> registry.byReferral(idOrReferral));
  }

  public Timeline timeline(PathwayRegistry.PathwayRef pathway) {
    List<Entry> entries = new ArrayList<>();
    // a stand-alone escalation the pathway waited for is part of its journey
    List<String> episodes = new ArrayList<>(List.of(pathway.pathwayId()));
    episodes.addAll(escalations.adoptedBy(pathway.pathwayId()));
    List<Journal.Entry> journey = new ArrayList<>();
    episodes.forEach(id -> journey.addAll(journal.forPathway(id)));
    for (Journal.Entry e : journey) {
      JsonNode data = parse(e.data());
      String by = switch (e.direction()) {
        case IN -> "hospital";
        case OUT -> "pathway";
        case OPERATOR -> data.path("by").asText("operator");
      };
      entries.add(new Entry(e.at(), kind(e.type()), e.type(), by, Map.of("eventId", e.eventId(), "data", data)));
    }
    Set<String> instances = new HashSet<>();
    episodes.forEach(id -> instances.addAll(instanceTree(id)));
    List<HistoricDecisionInstance> decisions = new ArrayList<>();
    for (String instance : instances) {
      decisions.addAll(history.createHistoricDecisionInstanceQuery().processInstanceId(instance)
          .includeInputs().includeOutputs().list());
    }
    for (HistoricDecisionInstance d : decisions) {
      Map<String, Object> inputs = new LinkedHashMap<>();
      d.getInputs().forEach(i -> inputs.put(i.getClauseName() == null ? i.getClauseId() : i.getClauseName(), i.getValue()));
      List<Map<String, Object>> outputs = new ArrayList<>();
      Map<Integer, Map<String, Object>> byRule = new LinkedHashMap<>();
      d.getOutputs().forEach(o -> byRule.computeIfAbsent(o.getRuleOrder(), k -> new LinkedHashMap<>())
          .put(o.getVariableName() == null ? o.getClauseId() : o.getVariableName(), o.getValue()));
      outputs.addAll(byRule.values());
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("decision", d.getDecisionDefinitionKey());
      details.put("activity", d.getActivityId());
      details.put("inputs", inputs);
      details.put("outputs", outputs);
      entries.add(new Entry(d.getEvaluationTime().toInstant(), "DECISION", d.getDecisionDefinitionName() == null
          ? d.getDecisionDefinitionKey() : d.getDecisionDefinitionName(), "decision table", details));
    }
    for (String instance : instances) {
      Map<String, Map<String, Object>> entered = enteredByActivityInstance(instance);
      for (HistoricTaskInstance t : history.createHistoricTaskInstanceQuery().processInstanceId(instance).list()) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("task", t.getTaskDefinitionKey());
        details.put("created", t.getStartTime().toInstant().toString());
        details.put("due", t.getDueDate() == null ? null : t.getDueDate().toInstant().toString());
        details.put("priority", t.getPriority());
        details.put("state", t.getEndTime() == null ? "OPEN" : t.getDeleteReason());
        details.put("entered", entered.getOrDefault(t.getActivityInstanceId(), Map.of()));
        Instant at = t.getEndTime() == null ? t.getStartTime().toInstant() : t.getEndTime().toInstant();
        entries.add(new Entry(at, "TASK", t.getName(), t.getAssignee() != null ? t.getAssignee() : completedBy(t), details));
      }
    }
    entries.sort(Comparator.comparing(Entry::at));
    return new Timeline(pathway, entries);
  }

  /** Who completed a task that nobody had claimed: the engine's user operation log knows. */
  private String completedBy(HistoricTaskInstance task) {
    if (task.getEndTime() == null) {
      return null;
    }
    return history.createUserOperationLogQuery().taskId(task.getId())
        .operationType(UserOperationLogEntry.OPERATION_TYPE_COMPLETE).list().stream()
        .map(UserOperationLogEntry::getUserId).filter(java.util.Objects::nonNull).findFirst().orElse(null);
  }

  private Set<String> instanceTree(String root) {
    Set<String> ids = new HashSet<>();
    ids.add(root);
    for (HistoricProcessInstance p : history.createHistoricProcessInstanceQuery().rootProcessInstanceId(root).list()) {
      ids.add(p.getId());
    }
    return ids;
  }

  private Map<String, Map<String, Object>> enteredByActivityInstance(String processInstanceId) {
    Map<String, Map<String, Object>> entered = new LinkedHashMap<>();
    for (HistoricDetail d : history.createHistoricDetailQuery().processInstanceId(processInstanceId).variableUpdates()
        .disableBinaryFetching().list()) {
      if (d instanceof HistoricVariableUpdate u && u.getActivityInstanceId() != null) {
        entered.computeIfAbsent(u.getActivityInstanceId(), k -> new LinkedHashMap<>()).put(u.getVariableName(), u.getValue());
      }
    }
    return entered;
  }

  private JsonNode parse(String data) {
    try {
      return json.readTree(data);
    } catch (Exception e) {
      return json.getNodeFactory().textNode(data);
    }
  }

  static String kind(String type) {
    return switch (type) {
      case EventTypes.ENROLMENT_REQUESTED -> "ENROLMENT";
      case EventTypes.WITHDRAWAL_REQUESTED -> "WITHDRAWAL";
      case EventTypes.STAGE_CHANGED -> "STAGE";
      case EventTypes.ORDER_PLACED -> "ORDER";
      case EventTypes.DIAGNOSTIC_RESULT -> "RESULT";
      case EventTypes.TREATMENT_OUTCOME -> "OUTCOME";
      case EventTypes.FOLLOW_UP_RECORDED -> "FOLLOW_UP";
      case EventTypes.RED_FLAG_RAISED -> "RED_FLAG";
      case EventTypes.ALERT_RAISED -> "ALERT";
      case EventTypes.REFERRAL_ISSUED -> "REFERRAL";
      case EventTypes.PATHWAY_COMPLETED -> "COMPLETED";
      default -> type.startsWith("pathway.upgrade.") ? "UPGRADE" : "EVENT";
    };
  }
}
