package io.pathway.service.intake;

import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.DecisionDefinition;
import org.camunda.bpm.engine.repository.ProcessDefinition;

/**
 * The engine's deployment cache: every latest process and decision definition, which a restart on an existing
 * database would otherwise parse on first use, in the middle of a correlation.
 */
final class DefinitionCacheWarmUp implements WarmUpStep {

  private final RepositoryService repository;

  DefinitionCacheWarmUp(RepositoryService repository) {
    this.repository = repository;
  }

  @Override
  public String counts() {
    return "definitions cached";
  }

  @Override
  public int run() {
    int n = 0;
    for (ProcessDefinition p : repository.createProcessDefinitionQuery().latestVersion().list()) {
      repository.getProcessDefinition(p.getId()); // loads it into the deployment cache
      n++;
    }
    for (DecisionDefinition d : repository.createDecisionDefinitionQuery().latestVersion().list()) {
      repository.getDecisionDefinition(d.getId());
      n++;
    }
    return n;
  }
}
