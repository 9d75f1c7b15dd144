package io.pathway.service.views;

import com.fasterxml.jackson.databind.JsonNode;
import io.pathway.bpmn.PathwayModel.Tasks;
import io.pathway.model.codes.RedFlag;
import io.pathway.service.platform.CodeLabels;
import io.pathway.service.records.PathwayRegistry;
import io.pathway.service.platform.PathwayProperties;
import io.pathway.service.views.TimelineService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.engine.task.Task;
import org.springframework.stereotype.Component;

/**
 * The patient's journey as a clinician reads it, for one task: the pathway's timeline in words (no codes), the
 * red flags with their deadlines and confirmations, and where the pathway stands on its diagrams. Only for a reader
 * who may see the task (Camunda's task authorizations, queried as the reader) and read the history of its
 * process and of the pathway it belongs to ({@code READ_HISTORY} on their process definitions).
 */
@Component
class JourneyService {

  /** One line of detail: what, and its value in words. */
  record Line(String label, String value) {}

  /** One step of the journey. {@code tone} lets the page colour it: event, order, result, decision, task, red-flag, end. */
  record Item(Instant at, String tone, String title, String by, List<Line> lines, String reason) {}

  /** A process diagram with the steps where the pathway stands now. */
  record Diagram(String definitionId, String name, List<String> active) {}

  record Journey(String pathwayId, String patientRef, String stage, String outcome, String now, List<Diagram> diagrams,
      List<Item> items) {}

  /** Who asks: the user and the groups. */
  record Reader(String userId, List<String> groups) {}

  private static final Set<String> CONFIRMATIONS = Set.of(Tasks.CONFIRM_EMERGENCY_TRANSFER, Tasks.CONFIRM_URGENT_SURGICAL_REFERRAL);
  /** Ids and the event's own time (the item's time) are not shown. */
  private static final Set<String> HIDDEN = Set.of("patientRef", "eventId", "referralId", "pathwayId", "alertId", "at", "raisedAt",
      "issuedAt");
  private static final java.time.format.DateTimeFormatter WHEN = java.time.format.DateTimeFormatter
      .ofPattern("d MMM yyyy HH:mm 'UTC'", java.util.Locale.ENGLISH).withZone(java.time.ZoneOffset.UTC);
  private static final java.util.regex.Pattern INSTANT = java.util.regex.Pattern.compile(
      "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");

  private final IdentityService identity;
  private final AuthorizationService authorizations;
  private final TaskService tasks;
  private final HistoryService history;
  private final RepositoryService repository;
  private final TimelineService timelines;
  private final PathwayProperties.Clinical clinical;

  JourneyService(IdentityService identity, AuthorizationService authorizations, TaskService tasks, HistoryService history,
      RepositoryService repository, TimelineService timelines, PathwayProperties properties) {
    this.identity = identity;
    this.authorizations = authorizations;
    this.tasks = tasks;
    this.history = history;
    this.repository = repository;
    this.timelines = timelines;
    this.clinical = properties.clinical();
  }

  /**
   * The journey of the task's pathway, or empty when the task does not exist, the reader may not see it (Camunda's
   * task authorizations, read as the reader) or may not read the history of the task's process.
   */
  Optional<Journey> forTask(String taskId, Reader reader) {
    Task task = as(reader, () -> tasks.createTaskQuery().taskId(taskId).singleResult());
    if (task == null) {
      return Optional.empty();
    }
    HistoricProcessInstance instance = history.createHistoricProcessInstanceQuery()
        .processInstanceId(task.getProcessInstanceId()).singleResult();
    String root = instance == null || instance.getRootProcessInstanceId() == null ? task.getProcessInstanceId()
        : instance.getRootProcessInstanceId();
    HistoricProcessInstance rootInstance = history.createHistoricProcessInstanceQuery().processInstanceId(root).singleResult();
    if (instance == null || rootInstance == null || !mayReadHistory(reader, instance.getProcessDefinitionKey())
        || !mayReadHistory(reader, rootInstance.getProcessDefinitionKey())) {
      return Optional.empty();
    }
    Optional<PathwayRegistry.PathwayRef> pathway = timelines.find(root);
    if (pathway.isEmpty()) {
      return Optional.empty();
    }
    TimelineService.Timeline timeline = timelines.timeline(pathway.get());
    List<Diagram> diagrams = diagrams(root, task.getProcessInstanceId());
    return Optional.of(new Journey(pathway.get().pathwayId(), pathway.get().patientRef(), CodeLabels.of(pathway.get().stage()),
        pathway.get().outcome() == null ? null : CodeLabels.of(pathway.get().outcome()), now(diagrams), diagrams,
        items(timeline)));
  }

  /** The BPMN XML of a process definition whose history the reader may read. */
  Optional<String> diagramXml(String definitionId, Reader reader) {
    ProcessDefinition definition = repository.createProcessDefinitionQuery().processDefinitionId(definitionId).singleResult();
    if (definition == null || !mayReadHistory(reader, definition.getKey())) {
      return Optional.empty();
    }
    try (var in = repository.getProcessModel(definitionId)) {
      return Optional.of(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private boolean mayReadHistory(Reader reader, String processDefinitionKey) {
    return authorizations.isUserAuthorized(reader.userId(), reader.groups(), Permissions.READ_HISTORY,
        Resources.PROCESS_DEFINITION, processDefinitionKey);
  }

  private <T> T as(Reader reader, java.util.function.Supplier<T> work) {
    identity.setAuthentication(reader.userId(), reader.groups());
    try {
      return work.get();
    } finally {
      identity.clearAuthentication();
    }
  }

  /** The running processes of the pathway and of the task, with their steps under way (from the history: the engine edge alone runs them). */
  private List<Diagram> diagrams(String root, String taskInstance) {
    List<Diagram> diagrams = new ArrayList<>();
    Set<String> instances = new LinkedHashSet<>(List.of(root));
    instances.add(taskInstance);
    for (String id : instances) {
      HistoricProcessInstance running = history.createHistoricProcessInstanceQuery().processInstanceId(id).unfinished().singleResult();
      if (running == null) {
        continue;
      }
      List<String> active = history.createHistoricActivityInstanceQuery().processInstanceId(id).unfinished()
          .listPage(0, 100).stream().map(org.camunda.bpm.engine.history.HistoricActivityInstance::getActivityId)
          .filter(a -> !a.contains("#")).distinct().toList();
      ProcessDefinition definition = repository.createProcessDefinitionQuery()
          .processDefinitionId(running.getProcessDefinitionId()).singleResult();
      diagrams.add(new Diagram(running.getProcessDefinitionId(), definition == null ? running.getProcessDefinitionId()
          : definition.getName(), active));
    }
    return diagrams;
  }

  private String now(List<Diagram> diagrams) {
    if (diagrams.isEmpty()) {
      return "The pathway has ended.";
    }
    List<String> steps = new ArrayList<>();
    for (Diagram d : diagrams) {
      for (String activity : d.active()) {
        var element = repository.getBpmnModelInstance(d.definitionId()).getModelElementById(activity);
        String name = element == null ? null : element.getAttributeValue("name");
        steps.add(name == null || name.isBlank() ? activity : name.replace('\n', ' '));
      }
    }
    return String.join("; ", new LinkedHashSet<>(steps));
  }

  private List<Item> items(TimelineService.Timeline timeline) {
    List<Item> items = new ArrayList<>();
    Map<Instant, TimelineService.Entry> confirmations = new LinkedHashMap<>();
    for (TimelineService.Entry e : timeline.entries()) {
      if ("TASK".equals(e.kind()) && CONFIRMATIONS.contains(String.valueOf(e.details().get("task")))
          && !"OPEN".equals(e.details().get("state"))) {
        confirmations.put(e.at(), e);
      }
    }
    for (TimelineService.Entry e : timeline.entries()) {
      switch (e.kind()) {
        case "DECISION" -> items.add(decision(e));
        case "TASK" -> items.add(task(e));
        default -> items.add(event(e, confirmations));
      }
    }
    items.sort(Comparator.comparing(Item::at).reversed());
    return items;
  }

  private Item decision(TimelineService.Entry e) {
    List<Line> lines = new ArrayList<>();
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> outputs = (List<Map<String, Object>>) e.details().getOrDefault("outputs", List.of());
    List<String> proposal = new ArrayList<>();
    outputs.forEach(o -> o.values().forEach(v -> proposal.add(CodeLabels.text(v))));
    lines.add(new Line("Proposal", proposal.isEmpty() ? "nothing proposed" : String.join("; ", new LinkedHashSet<>(proposal))));
    @SuppressWarnings("unchecked")
    Map<String, Object> inputs = (Map<String, Object>) e.details().getOrDefault("inputs", Map.of());
    inputs.forEach((k, v) -> lines.add(new Line(words(k), value(v))));
    return new Item(e.at(), "decision", "Proposed by the decision table: " + e.name(), "decision table", lines, null);
  }

  private Item task(TimelineService.Entry e) {
    String state = String.valueOf(e.details().get("state"));
    List<Line> lines = new ArrayList<>();
    String reason = null;
    @SuppressWarnings("unchecked")
    Map<String, Object> entered = (Map<String, Object>) e.details().getOrDefault("entered", Map.of());
    for (Map.Entry<String, Object> v : entered.entrySet()) {
      if (v.getKey().endsWith("OverrideReason") || v.getKey().endsWith("Note")) {
        if (v.getValue() != null && !v.getValue().toString().isBlank()) {
          reason = v.getValue().toString();
        }
        continue;
      }
      lines.add(new Line(words(v.getKey()), value(v.getValue())));
    }
    if (e.details().get("due") != null) {
      lines.add(new Line("Due", value(e.details().get("due").toString())));
    }
    String name = e.name() == null ? "Task" : e.name().replaceFirst(" · .*$", "");
    String title = switch (state) {
      case "OPEN" -> "Waiting: " + name;
      case "completed" -> "Done: " + name;
      default -> "Closed without an answer: " + name;
    };
    return new Item(e.at(), "OPEN".equals(state) ? "open" : "task", title, e.by(), lines, reason);
  }

  private Item event(TimelineService.Entry e, Map<Instant, TimelineService.Entry> confirmations) {
    JsonNode data = (JsonNode) e.details().get("data");
    List<Line> lines = new ArrayList<>();
    flatten("", data, lines);
    String title = switch (e.kind()) {
      case "ENROLMENT" -> "Enrolled";
      case "FOLLOW_UP" -> "Follow-up recorded";
      case "STAGE" -> "Stage: " + CodeLabels.of(text(data, "stage"));
      case "ORDER" -> "Ordered: " + CodeLabels.of(text(data, "code"));
      case "RESULT" -> "Result: " + CodeLabels.of(text(data, "test")) + " " + CodeLabels.of(text(data, "outcome")).toLowerCase();
      case "OUTCOME" -> "Treatment outcome: " + CodeLabels.of(text(data, "code"));
      case "RED_FLAG" -> "Red flag: " + CodeLabels.of(text(data, "flag"));
      case "ALERT" -> "Alert: " + CodeLabels.of(text(data, "type"));
      case "REFERRAL" -> "Referral issued: " + CodeLabels.of(text(data, "urgency"));
      case "COMPLETED" -> "Pathway ended: " + CodeLabels.of(text(data, "outcome"));
      case "WITHDRAWAL" -> "Withdrawal requested";
      default -> e.name().contains("order.cancelled") ? "Order cancelled: " + CodeLabels.of(text(data, "reason"))
          : e.name().contains("referral.cancelled") ? "Referral withdrawn: " + CodeLabels.of(text(data, "urgency")) + " ("
              + CodeLabels.of(text(data, "reason")).toLowerCase() + ")"
          : words(e.name().replaceFirst("^pathway\\.", "").replaceFirst("\\.v\\d+$", "").replace('.', ' '));
    };
    String tone = switch (e.kind()) {
      case "RED_FLAG", "REFERRAL" -> "red-flag";
      case "ORDER" -> "order";
      case "RESULT", "OUTCOME" -> "result";
      case "COMPLETED" -> "end";
      default -> "event";
    };
    if ("RED_FLAG".equals(e.kind())) {
      redFlag(data, lines, confirmations, e.at());
    }
    return new Item(e.at(), tone, title, e.by(), lines, null);
  }

  /** The deadline of the red flag (its SLA after the observation) and when and by whom its escalation was confirmed. */
  private void redFlag(JsonNode data, List<Line> lines, Map<Instant, TimelineService.Entry> confirmations, Instant received) {
    String observed = text(data, "observedAt");
    Instant observedAt = observed == null ? received : Instant.parse(observed);
    boolean emergency = false;
    try {
      emergency = RedFlag.valueOf(text(data, "flag")).caudaEquina();
    } catch (RuntimeException notACode) {
      // an unreadable flag never reaches the journal as a red flag
    }
    Duration sla = Duration.parse(emergency ? clinical.emergencyTransferSla() : clinical.urgentReferralSla());
    lines.add(new Line("Deadline", WHEN.format(observedAt.plus(sla)) + (emergency ? " (emergency transfer, " : " (urgent referral, ")
        + sla.toMinutes() + " minutes after the observation)"));
    confirmations.values().stream().filter(c -> !c.at().isBefore(received)).min(Comparator.comparing(TimelineService.Entry::at))
        .ifPresentOrElse(c -> lines.add(new Line("Confirmed", WHEN.format(c.at()) + " by " + (c.by() == null ? "unknown" : c.by())
            + (c.at().isAfter(observedAt.plus(sla)) ? " (after the deadline)" : " (within the deadline)"))),
            () -> lines.add(new Line("Confirmed", "not yet")));
  }

  private static void flatten(String prefix, JsonNode node, List<Line> lines) {
    if (node == null || node.isNull()) {
      return;
    }
    if (node.isObject()) {
      node.fields().forEachRemaining(f -> {
        if (!HIDDEN.contains(f.getKey())) {
          flatten(prefix.isEmpty() ? f.getKey() : prefix + " " + f.getKey(), f.getValue(), lines);
        }
      });
    } else if (node.isArray()) {
      List<String> values = new ArrayList<>();
      node.forEach(v -> values.add(value(v.isValueNode() ? v.asText() : v.toString())));
      lines.add(new Line(words(prefix), values.isEmpty() ? "none" : String.join("; ", values)));
    } else {
      lines.add(new Line(words(prefix), value(node.isBoolean() ? node.asBoolean() : node.asText())));
    }
  }

  private static String text(JsonNode data, String field) {
    return data == null || data.get(field) == null || data.get(field).isNull() ? null : data.get(field).asText();
  }

  private static String value(Object v) {
    if (v == null) {
      return "not recorded";
    }
    if (v instanceof Boolean b) {
      return b ? "yes" : "no";
    }
    if ("true".equals(v.toString()) || "false".equals(v.toString())) {
      return "true".equals(v.toString()) ? "yes" : "no";
    }
    java.util.regex.Matcher m = INSTANT.matcher(CodeLabels.text(v));
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(WHEN.format(Instant.parse(m.group()))));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** {@code "painReductionPercent"} as {@code "Pain reduction percent"}. */
  static String words(String name) {
    if (name == null || name.isBlank()) {
      return "";
    }
    String spaced = name.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replace('_', ' ').toLowerCase();
    return Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
  }
}
