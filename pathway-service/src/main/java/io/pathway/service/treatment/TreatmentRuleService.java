package io.pathway.service.treatment;

import io.pathway.bpmn.rules.RuleFacts;
import io.pathway.bpmn.rules.RuleSettings;
import io.pathway.bpmn.rules.TreatmentRules;
import io.pathway.service.platform.PathwayProperties;
import java.time.Instant;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * The hard rules of treatment selection on the facts the service recorded for the pathway
 * ({@link TreatmentRules}), with the settings the pathway started with. Every check is kept.
 */
@Service
public class TreatmentRuleService {

  private final RuleFactStore store;
  private final PathwayProperties.Clinical clinical;

  TreatmentRuleService(RuleFactStore store, PathwayProperties properties) {
    this.store = store;
    this.clinical = properties.clinical();
  }

  /** What the treatment table and form read (derived from facts only). */
  public Map<String, Object> proposalInputs(String pathwayId, Instant now) {
    return rules(pathwayId, now).proposalInputs();
  }

  public TreatmentRules.Verdict check(String pathwayId, TreatmentRules.Choice choice, Instant now) {
    RuleFacts facts = store.facts(pathwayId);
    TreatmentRules.Verdict verdict = new TreatmentRules(facts, settings(pathwayId), now).check(choice);
    store.ruleCheck(pathwayId, facts.proposedTreatment(), facts.proposedSurgicalProcedure(), choice.treatment(),
        choice.surgicalProcedure(), facts.confirmedDiagnosis(), choice.overrideReason(), verdict.rule().name());
    return verdict;
  }

  TreatmentRules rules(String pathwayId, Instant now) {
    return new TreatmentRules(store.facts(pathwayId), settings(pathwayId), now);
  }

  private RuleSettings settings(String pathwayId) {
    return store.settings(pathwayId).orElse(new RuleSettings(clinical.electiveMinFailedCareDays(),
        clinical.neuromodulationMinFailedMeasures(), clinical.reliefThresholdPercent(), clinical.blockReliefThresholdPercent()));
  }
}
