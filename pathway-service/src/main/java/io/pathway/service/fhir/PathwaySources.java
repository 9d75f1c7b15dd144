package io.pathway.service.fhir;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pathway.service.records.Journal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.history.HistoricDetail;
import org.camunda.bpm.engine.history.HistoricTaskInstance;
import org.camunda.bpm.engine.history.HistoricVariableInstance;
import org.camunda.bpm.engine.history.HistoricVariableUpdate;
import org.camunda.bpm.engine.history.UserOperationLogEntry;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads what one pathway's resources are made of, from the service's own tables (as their writers
 * left them; nothing here writes to them) and from the engine's history. No patient data is read
 * beyond the pseudonymous reference.
 */
@Component
class PathwaySources {

  record Pathway(String pathwayId, String referralId, String patientRef, Instant startedAt, Instant endedAt, String outcome,
      String stage, String kind) {}

  record Order(String orderId, String processInstanceId, String kind, String code, Instant orderedAt, Instant cancelledAt,
      String cancelReason) {}

  record Escalation(String escalationId, String pathwayId, String flags, Instant observedAt, Instant startedAt, Instant endedAt,
      String outcome) {}

  record ReferralClaim(String claimId, String urgency, String ceId, Instant issuedAt, Instant supersededAt, Instant cancelledAt,
      String cancelReason) {}

  /** One journal line; {@code data} is the event's JSON payload, read as the contract's record by {@link #as}. */
  record Event(Journal.Direction direction, String type, String eventId, String data, Instant at) {}

  /** A user task of the model: its label and candidate groups (never the runtime name, which carries the patient reference). */
  record TaskModel(String name, String candidateGroups) {}

  private final JdbcTemplate jdbc;
  private final Journal journal;
  private final HistoryService history;
  private final RepositoryService repository;
  private final ObjectMapper json;
  private final Map<String, Map<String, TaskModel>> models = new ConcurrentHashMap<>();

  PathwaySources(JdbcTemplate jdbc, Journal journal, HistoryService history, RepositoryService repository,
      io.pathway.model.envelope.EventReader codec) {
    this.json = codec.objectMapper();
    this.jdbc = jdbc;
    this.journal = journal;
    this.history = history;
    this.repository = repository;
  }

  Optional<Pathway> pathway(String pathwayId) {
    return jdbc.query("select pathway_id, referral_id, patient_ref, started_at, ended_at, outcome, stage, kind "
        + "from pathway.pathway_ref where pathway_id = ?", (rs, i) -> new Pathway(rs.getString(1), rs.getString(2), rs.getString(3),
        instant(rs, "started_at"), instant(rs, "ended_at"), rs.getString(6), rs.getString(7), rs.getString(8)), pathwayId)
        .stream().findFirst();
  }

  List<Event> events(String pathwayId) {
    return journal.forPathway(pathwayId).stream()
        .map(e -> new Event(e.direction(), e.type(), e.eventId(), e.data(), e.at())).toList();
  }

  List<Order> orders(String pathwayId) {
    return jdbc.query("select * from pathway.order_ref where pathway_id = ? order by ordered_at, order_id",
        (rs, i) -> new Order(rs.getString("order_id"), rs.getString("process_instance_id"), rs.getString("kind"), rs.getString("code"),
            instant(rs, "ordered_at"), instant(rs, "cancelled_at"), rs.getString("cancel_reason")), pathwayId);
  }

  /** When the result (diagnostic) or the outcome (procedure) of each order was accepted. */
  Map<String, Instant> answered(String pathwayId) {
    Map<String, Instant> answered = new HashMap<>();
    jdbc.query("select order_id, received_at from pathway.result_fact where pathway_id = ? "
        + "union all select order_id, received_at from pathway.treatment_fact where pathway_id = ?",
        rs -> {
          answered.put(rs.getString(1), instant(rs, "received_at"));
        }, pathwayId, pathwayId);
    return answered;
  }

  List<Escalation> escalations(String pathwayId) {
    return jdbc.query("select * from pathway.escalation where pathway_id = ? or escalation_id = ? order by started_at, escalation_id",
        (rs, i) -> new Escalation(rs.getString("escalation_id"), rs.getString("pathway_id"), rs.getString("flags"),
            instant(rs, "observed_at"), instant(rs, "started_at"), instant(rs, "ended_at"), rs.getString("outcome")),
        pathwayId, pathwayId);
  }

  /**
   * The referrals of a pathway and of its escalations: two lookups by key (an "or" over a subquery read the whole table
   * for every pathway projected).
   */
  static final String REFERRAL_CLAIMS = "select * from pathway.referral_issued where pathway_id = ? "
      + "union select r.* from pathway.referral_issued r join pathway.escalation e on e.escalation_id = r.pathway_id "
      + "where e.pathway_id = ?";

  List<ReferralClaim> referralClaims(String pathwayId) {
    return jdbc.query(REFERRAL_CLAIMS,
        (rs, i) -> new ReferralClaim(rs.getString("pathway_id"), rs.getString("urgency"), rs.getString("ce_id"),
            instant(rs, "issued_at"), instant(rs, "superseded_at"), instant(rs, "cancelled_at"), rs.getString("cancel_reason")),
        pathwayId, pathwayId);
  }

  /** Every user task of the pathway's process instances (the pathway, its orders, its escalations), open or ended. */
  List<HistoricTaskInstance> tasks(String pathwayId) {
    return history.createHistoricTaskInstanceQuery().rootProcessInstanceId(pathwayId).orderByHistoricActivityInstanceStartTime().asc()
        .list();
  }

  /** The latest value of each variable of the order instances, by process instance. */
  Map<String, Map<String, Object>> orderVariables(Collection<String> processInstanceIds) {
    Map<String, Map<String, Object>> byInstance = new HashMap<>();
    if (processInstanceIds.isEmpty()) {
      return byInstance;
    }
    for (HistoricVariableInstance v : history.createHistoricVariableInstanceQuery()
        .processInstanceIdIn(processInstanceIds.toArray(String[]::new)).disableBinaryFetching().disableCustomObjectDeserialization()
        .list()) {
      byInstance.computeIfAbsent(v.getProcessInstanceId(), k -> new HashMap<>()).put(v.getName(), v.getValue());
    }
    return byInstance;
  }

  /** The pathway instance's variable updates in time order (what decision tables proposed and what people entered). */
  List<HistoricVariableUpdate> variableUpdates(String processInstanceId) {
    return history.createHistoricDetailQuery().processInstanceId(processInstanceId).variableUpdates().disableBinaryFetching()
        .disableCustomObjectDeserialization().orderByTime().asc().list().stream()
        .filter(HistoricVariableUpdate.class::isInstance).map(HistoricVariableUpdate.class::cast).toList();
  }

  /** Who completed a task: its assignee, or the user the engine's operation log names. */
  String completedBy(HistoricTaskInstance task) {
    if (task.getAssignee() != null) {
      return task.getAssignee();
    }
    return history.createUserOperationLogQuery().taskId(task.getId())
        .operationType(UserOperationLogEntry.OPERATION_TYPE_COMPLETE).list().stream()
        .map(UserOperationLogEntry::getUserId).filter(java.util.Objects::nonNull).findFirst().orElse(null);
  }

  TaskModel taskModel(String processDefinitionId, String taskDefinitionKey) {
    Map<String, TaskModel> tasks = models.computeIfAbsent(processDefinitionId, id -> {
      Map<String, TaskModel> byKey = new HashMap<>();
      for (UserTask t : repository.getBpmnModelInstance(id).getModelElementsByType(UserTask.class)) {
        byKey.put(t.getId(), new TaskModel(t.getName(), t.getCamundaCandidateGroups()));
      }
      return byKey;
    });
    return tasks.getOrDefault(taskDefinitionKey, new TaskModel(taskDefinitionKey, null));
  }

  /** The journal line's payload as the contract's record of its type; empty if it cannot be read as one. */
  <T> Optional<T> as(Event e, Class<T> type) {
    try {
      return Optional.of(json.readValue(e.data(), type));
    } catch (Exception unreadable) {
      return Optional.empty();
    }
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }

  static HistoricDetail latest(List<HistoricVariableUpdate> updates, String name, java.util.Date notAfter) {
    HistoricDetail found = null;
    for (HistoricVariableUpdate u : updates) {
      if (u.getVariableName().equals(name) && (notAfter == null || !u.getTime().after(notAfter))) {
        found = u;
      }
    }
    return found;
  }
}
