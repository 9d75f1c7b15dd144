package io.pathway.bpmn.dmn;

import io.pathway.bpmn.PathwayModel;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.dmn.engine.DmnDecision;
import org.camunda.bpm.dmn.engine.DmnDecisionResult;
import org.camunda.bpm.dmn.engine.DmnEngine;
import org.camunda.bpm.dmn.engine.DmnEngineConfiguration;
import org.camunda.bpm.dmn.engine.delegate.DmnDecisionTableEvaluationListener;
import org.camunda.bpm.dmn.engine.delegate.DmnEvaluatedDecisionRule;
import org.camunda.bpm.dmn.engine.impl.DefaultDmnEngineConfiguration;
import org.camunda.bpm.engine.variable.Variables;

/** Evaluates one decision of the module with the DMN engine alone and records the rules that matched. */
final class DecisionTester {

  private final DmnEngine dmnEngine;
  private final DmnDecision decision;
  private final List<String> matchedRules = new ArrayList<>();

  DecisionTester(String decisionKey) {
    DefaultDmnEngineConfiguration config =
        (DefaultDmnEngineConfiguration) DmnEngineConfiguration.createDefaultDmnEngineConfiguration();
    DmnDecisionTableEvaluationListener listener = event -> event.getMatchingRules().stream()
        .map(DmnEvaluatedDecisionRule::getId).forEach(matchedRules::add);
    config.customPostDecisionTableEvaluationListeners(List.of(listener));
    dmnEngine = config.buildEngine();
    String resource = PathwayModel.DMN_FOLDER + decisionKey + ".dmn";
    try (InputStream in = DecisionTester.class.getClassLoader().getResourceAsStream(resource)) {
      decision = dmnEngine.parseDecision(decisionKey, in);
    } catch (IOException e) {
      throw new IllegalStateException(resource, e);
    }
  }

  /** Evaluates with {@code variables}; the rules that matched are then in {@link #matchedRules()}. */
  DmnDecisionResult evaluate(Map<String, Object> variables) {
    matchedRules.clear();
    return dmnEngine.evaluateDecision(decision, Variables.fromMap(new HashMap<>(variables)));
  }

  List<String> matchedRules() {
    return List.copyOf(matchedRules);
  }

  /** {@code base} with the given name/value pairs put over it (values may be null). */
  static Map<String, Object> with(Map<String, Object> base, Object... keyValues) {
    Map<String, Object> m = new HashMap<>(base);
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return m;
  }
}
