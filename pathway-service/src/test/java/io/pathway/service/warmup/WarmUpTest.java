package io.pathway.service.warmup;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathway.service.PathwayServiceTest;
import org.camunda.bpm.engine.HistoryService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

/** The warm-up runs inside start-up, before the Kafka listeners, and leaves no trace in the engine. */
@PathwayServiceTest
class WarmUpTest {

  @Autowired WarmUp warmUp;
  @Autowired KafkaListenerEndpointRegistry listeners;
  @Autowired HistoryService history;

  @Test
  void shouldHaveRunBeforeTheListenersStarted() {
    // given the started service (the shared test context)

    // then the warm-up ran, in a phase before the listener containers'
    assertThat(warmUp.tookMillis()).isGreaterThanOrEqualTo(0);
    assertThat(warmUp.isRunning()).isTrue();
    assertThat(WarmUp.PHASE).isLessThan(listeners.getPhase());
  }

  @Test
  void shouldWriteNoDecisionHistoryWhenRunAgain() {
    // given
    long decisionsBefore = history.createHistoricDecisionInstanceQuery().decisionDefinitionKey("red-flag-triage").count();

    // when
    warmUp.start();

    // then the in-memory evaluations left nothing in the engine's history
    assertThat(history.createHistoricDecisionInstanceQuery().decisionDefinitionKey("red-flag-triage").count())
        .isEqualTo(decisionsBefore);
  }
}
