package io.pathway.service.engine;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.camunda.bpm.dmn.engine.DmnDecision;
import org.camunda.bpm.dmn.engine.DmnDecisionResult;
import org.camunda.bpm.dmn.engine.DmnEngine;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.history.HistoricDecisionInputInstance;
import org.camunda.bpm.engine.history.HistoricDecisionInstance;
import org.camunda.bpm.engine.history.HistoricDetail;
import org.camunda.bpm.engine.history.HistoricVariableUpdate;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.repository.DecisionDefinition;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.engine.variable.Variables;
import org.camunda.bpm.model.dmn.Dmn;
import org.camunda.bpm.model.dmn.DmnModelInstance;
import org.camunda.bpm.model.dmn.instance.Decision;
import org.camunda.bpm.model.dmn.instance.DecisionTable;
import org.camunda.bpm.model.dmn.instance.Input;
import org.springframework.stereotype.Component;

/**
 * The engine edge of "would the new tables decide differently?": every decision a pathway took (the engine's
 * decision history, with the inputs the table read then) is evaluated again with the table of the same key in
 * the target version. The recorded input values are fed to the new table as they were (an input whose
 * expression is the same in both versions is replaced by its recorded value), so a difference comes from the
 * table and not from facts that arrived since; an input the new table adds or changes is computed from the
 * pathway's variables as they were when the decision was taken, and is named in the notes.
 */
@Component
public class DecisionReplay {

  /** One decision the pathway took, and what the target version's table decides on the same inputs. */
  public record Replayed(String decisionKey, String decisionName, String activityId, Instant evaluatedAt, String sourceDecisionId,
      String targetDecisionId, Map<String, Object> inputs, List<Map<String, Object>> before, List<Map<String, Object>> after,
      boolean comparable, boolean changed, List<String> notes) {}

  private static final String REPLAYED_INPUT = "pathwayReplayedInput";

  private final HistoryService history;
  private final RepositoryService repository;
  private final DmnEngine dmn;
  private final org.camunda.bpm.engine.impl.interceptor.CommandExecutor commands;

  DecisionReplay(ProcessEngine engine) {
    this.history = engine.getHistoryService();
    this.repository = engine.getRepositoryService();
    ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
    this.dmn = configuration.getDmnEngine();
    this.commands = configuration.getCommandExecutorTxRequired();
  }

  /** Every decision the pathway's own process took, oldest first, replayed against the target version's tables. */
  public List<Replayed> replay(String pathwayId, String targetProcessDefinitionId) {
    ProcessDefinition target = repository.getProcessDefinition(targetProcessDefinitionId);
    List<HistoricDecisionInstance> decisions = history.createHistoricDecisionInstanceQuery().processInstanceId(pathwayId)
        .includeInputs().includeOutputs().orderByEvaluationTime().asc().list();
    List<HistoricDetail> variables = null;
    List<Replayed> replayed = new ArrayList<>();
    for (HistoricDecisionInstance d : decisions) {
      if (d.getRootDecisionInstanceId() != null) {
        continue; // a required decision, replayed with its root
      }
      if (variables == null) {
        variables = history.createHistoricDetailQuery().processInstanceId(pathwayId).variableUpdates().disableBinaryFetching()
            .disableCustomObjectDeserialization().orderByTime().asc().list();
      }
      replayed.add(replay(d, target, variables, pathwayId));
    }
    return replayed;
  }

  private Replayed replay(HistoricDecisionInstance d, ProcessDefinition target, List<HistoricDetail> variables, String pathwayId) {
    Map<String, Object> inputs = new LinkedHashMap<>();
    Map<String, HistoricDecisionInputInstance> byClause = new HashMap<>();
    for (HistoricDecisionInputInstance i : d.getInputs()) {
      byClause.put(i.getClauseId(), i);
      inputs.put(i.getClauseName() == null ? i.getClauseId() : i.getClauseName(), i.getValue());
    }
    List<Map<String, Object>> before = before(d);
    DecisionDefinition table = targetTable(d.getDecisionDefinitionKey(), target.getDeploymentId());
    List<String> notes = new ArrayList<>();
    if (table == null) {
      notes.add("the target version has no table " + d.getDecisionDefinitionKey());
      return new Replayed(d.getDecisionDefinitionKey(), d.getDecisionDefinitionName(), d.getActivityId(), instant(d.getEvaluationTime()),
          d.getDecisionDefinitionId(), null, inputs, before, List.of(), false, false, notes);
    }
    try {
      DmnModelInstance source = repository.getDmnModelInstance(d.getDecisionDefinitionId());
      DmnModelInstance copy = Dmn.readModelFromStream(new ByteArrayInputStream(
          Dmn.convertToString(repository.getDmnModelInstance(table.getId())).getBytes(StandardCharsets.UTF_8)));
      Map<String, Object> context = variablesAt(variables, pathwayId, d.getEvaluationTime());
      Map<String, String> sourceExpressions = expressions(source, d.getDecisionDefinitionKey());
      Decision decision = copy.getModelElementById(table.getKey());
      int n = 0;
      for (Input input : ((DecisionTable) decision.getExpression()).getInputs()) {
        String expression = input.getInputExpression().getText() == null ? null : input.getInputExpression().getText().getTextContent();
        HistoricDecisionInputInstance recorded = byClause.get(input.getId());
        if (recorded != null && expression != null && expression.equals(sourceExpressions.get(input.getId()))) {
          String name = REPLAYED_INPUT + (n++);
          input.getInputExpression().getText().setTextContent(name);
          context.put(name, recorded.getValue());
        } else {
          notes.add("input '" + (input.getLabel() == null ? input.getId() : input.getLabel())
              + "' is new or changed: computed from the pathway's variables when the decision was taken");
        }
      }
      // inside a command of the engine, as when a business rule task evaluates a table (the engine's DMN
      // transform reads its configuration from the command context)
      DmnDecisionResult result = commands.execute(command -> {
        DmnDecision parsed = dmn.parseDecision(table.getKey(), copy);
        return dmn.evaluateDecision(parsed, Variables.fromMap(context));
      });
      List<Map<String, Object>> after = new ArrayList<>();
      result.getResultList().forEach(row -> after.add(withoutNulls(row)));
      boolean changed = !sorted(before).equals(sorted(after));
      return new Replayed(d.getDecisionDefinitionKey(), d.getDecisionDefinitionName(), d.getActivityId(), instant(d.getEvaluationTime()),
          d.getDecisionDefinitionId(), table.getId(), inputs, before, after, true, changed, notes);
    } catch (RuntimeException e) {
      String message = e.getMessage() == null ? "" : ": " + e.getMessage();
      notes.add("could not be evaluated with the target table: " + e.getClass().getSimpleName()
          + (message.length() > 300 ? message.substring(0, 300) + "..." : message));
      return new Replayed(d.getDecisionDefinitionKey(), d.getDecisionDefinitionName(), d.getActivityId(), instant(d.getEvaluationTime()),
          d.getDecisionDefinitionId(), table.getId(), inputs, before, List.of(), false, false, notes);
    }
  }

  /** The table a business rule task of the target version binds: the one of its deployment, else the latest. */
  private DecisionDefinition targetTable(String key, String deploymentId) {
    DecisionDefinition same = repository.createDecisionDefinitionQuery().decisionDefinitionKey(key).deploymentId(deploymentId).singleResult();
    return same != null ? same : repository.createDecisionDefinitionQuery().decisionDefinitionKey(key).latestVersion().singleResult();
  }

  private static Map<String, String> expressions(DmnModelInstance model, String key) {
    Map<String, String> expressions = new HashMap<>();
    Decision decision = model.getModelElementById(key);
    if (decision != null && decision.getExpression() instanceof DecisionTable table) {
      for (Input input : table.getInputs()) {
        if (input.getInputExpression() != null && input.getInputExpression().getText() != null) {
          expressions.put(input.getId(), input.getInputExpression().getText().getTextContent());
        }
      }
    }
    return expressions;
  }

  /** The process-level variables as they were when the decision was taken (simple values only). */
  private static Map<String, Object> variablesAt(List<HistoricDetail> details, String pathwayId, Date at) {
    Map<String, Object> values = new HashMap<>();
    for (HistoricDetail detail : details) {
      if (detail.getTime().after(at)) {
        break;
      }
      if (detail instanceof HistoricVariableUpdate u && pathwayId.equals(u.getExecutionId())) {
        // object values (lists, maps) stay serialized: no table reads them
        org.camunda.bpm.engine.variable.value.TypedValue typed = u.getTypedValue();
        if (typed == null || org.camunda.bpm.engine.variable.type.ValueType.NULL.equals(typed.getType())) {
          values.put(u.getVariableName(), null);
        } else if (typed instanceof org.camunda.bpm.engine.variable.value.PrimitiveValue<?> v) {
          values.put(u.getVariableName(), v.getValue());
        } else {
          values.remove(u.getVariableName());
        }
      }
    }
    return values;
  }

  private static List<Map<String, Object>> before(HistoricDecisionInstance d) {
    Map<Integer, Map<String, Object>> byRule = new TreeMap<>();
    d.getOutputs().forEach(o -> {
      Map<String, Object> row = byRule.computeIfAbsent(o.getRuleOrder() == null ? 0 : o.getRuleOrder(), k -> new LinkedHashMap<>());
      if (o.getValue() != null) {
        row.put(o.getVariableName() == null ? o.getClauseId() : o.getVariableName(), o.getValue());
      }
    });
    return new ArrayList<>(byRule.values());
  }

  private static Map<String, Object> withoutNulls(Map<String, Object> row) {
    Map<String, Object> clean = new LinkedHashMap<>();
    row.forEach((k, v) -> {
      if (v != null) {
        clean.put(k, v);
      }
    });
    return clean;
  }

  private static List<String> sorted(List<Map<String, Object>> rows) {
    return rows.stream().map(r -> new TreeMap<>(r).toString()).sorted(Comparator.naturalOrder()).toList();
  }

  private static Instant instant(Date date) {
    return date == null ? null : date.toInstant();
  }
}
