package io.pathway.service.intake;

import io.pathway.bpmn.PathwayModel.Vars;
import io.pathway.model.codes.RedFlag;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.dmn.engine.DmnDecision;
import org.camunda.bpm.dmn.engine.DmnEngine;
import org.camunda.bpm.dmn.engine.DmnEngineConfiguration;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.DecisionDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DMN and FEEL classes and their JIT: each deployed decision evaluated in memory by a standalone DMN engine
 * (the red-flag triage with a cauda equina flag), not by the process engine, so no decision history is written.
 */
final class DecisionWarmUp implements WarmUpStep {

  private static final Logger log = LoggerFactory.getLogger(DecisionWarmUp.class);
  private static final int ROUNDS = 50;

  private final RepositoryService repository;

  DecisionWarmUp(RepositoryService repository) {
    this.repository = repository;
  }

  @Override
  public String counts() {
    return "decisions evaluated in memory";
  }

  @Override
  public int run() {
    DmnEngine dmn = DmnEngineConfiguration.createDefaultDmnEngineConfiguration().buildEngine();
    Map<String, Object> redFlag = Map.of(Vars.RED_FLAGS, List.of(RedFlag.SADDLE_ANESTHESIA.name()));
    int n = 0;
    for (DecisionDefinition d : repository.createDecisionDefinitionQuery().latestVersion().list()) {
      try (InputStream model = repository.getDecisionModel(d.getId())) {
        for (DmnDecision decision : dmn.parseDecisions(model)) {
          for (int round = 0; round < ROUNDS; round++) {
            try {
              dmn.evaluateDecision(decision, redFlag);
            } catch (RuntimeException missingInputs) {
              // other decisions want other inputs: parsing and the attempt still load and compile their classes
            }
          }
          n++;
        }
      } catch (Exception e) {
        log.warn("Warm-up skipped decision {}: {}", d.getKey(), e.getClass().getSimpleName());
      }
    }
    return n;
  }
}
