package io.pathway.bpmn.dmn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.camunda.bpm.dmn.engine.DmnDecisionResult;
import org.camunda.bpm.dmn.engine.DmnDecisionResultEntries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedFlagTriageDecisionTest {

  private final DecisionTester table = new DecisionTester("red-flag-triage");

  private DmnDecisionResult triage(String redFlags) {
    Map<String, Object> v = new HashMap<>();
    v.put("redFlags", redFlags);
    return table.evaluate(v);
  }

  @ParameterizedTest(name = "{1} -> {2}")
  @CsvSource({
      "Rule_BowelDysfunction, BOWEL_DYSFUNCTION, EMERGENCY, CRITICAL, CAUDA_EQUINA_SYNDROME",
      "Rule_BladderDysfunction, BLADDER_DYSFUNCTION, EMERGENCY, CRITICAL, CAUDA_EQUINA_SYNDROME",
      "Rule_SaddleAnesthesia, SADDLE_ANESTHESIA, EMERGENCY, CRITICAL, CAUDA_EQUINA_SYNDROME",
      "Rule_ProgressiveWeakness, PROGRESSIVE_WEAKNESS, URGENT, HIGH, PROGRESSIVE_NEUROLOGICAL_DEFICIT",
      "Rule_FootDrop, FOOT_DROP, URGENT, HIGH, PROGRESSIVE_NEUROLOGICAL_DEFICIT",
      "Rule_UnrecognisedRedFlag, SUDDEN_NEW_SYMPTOM, EMERGENCY, CRITICAL, CAUDA_EQUINA_SYNDROME"})
  void shouldTriageEachRedFlag(String rule, String flag, String urgency, String severity, String reason) {
    DmnDecisionResultEntries result = triage(flag).getSingleResult();

    assertThat(table.matchedRules()).containsExactly(rule);
    assertThat((String) result.getEntry("urgency")).isEqualTo(urgency);
    assertThat((String) result.getEntry("severity")).isEqualTo(severity);
    assertThat((String) result.getEntry("reason")).isEqualTo(reason);
  }

  @Test
  void shouldLetTheMostSevereFlagWin() {
    DmnDecisionResultEntries result = triage("FOOT_DROP,SADDLE_ANESTHESIA").getSingleResult();

    assertThat((String) result.getEntry("urgency")).isEqualTo("EMERGENCY");
    assertThat((String) result.getEntry("severity")).isEqualTo("CRITICAL");
  }

  @Test
  void shouldFindNothingWithoutRedFlag() {
    assertThat(triage("").getSingleResult()).isNull();
    assertThat(triage(null).getSingleResult()).isNull();
  }
}
