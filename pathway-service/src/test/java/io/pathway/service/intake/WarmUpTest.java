package io.pathway.service.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathway.service.PathwayServiceTest;
import java.util.List;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RepositoryService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

/** The warm-up runs inside start-up, before the Kafka listeners, and leaves no trace in the engine or the service's tables. */
@PathwayServiceTest
class WarmUpTest {

  @Autowired WarmUp warmUp;
  @Autowired KafkaListenerEndpointRegistry listeners;
  @Autowired HistoryService history;
  @Autowired JdbcTemplate jdbc;
  @Autowired ConsumersAssigned consumers;
  @Autowired RepositoryService repository;
  @Value("${pathway.warmup.codec-rounds:300}") int codecRounds;

  @Test
  void shouldHaveRunBeforeTheListenersStarted() {
    // given the started service (the shared test context)

    // then the warm-up ran (its time starts at -1), and when it finished no listener was consuming yet,
    // though they all are now
    assertThat(warmUp.tookMillis()).as("ran").isNotNegative();
    assertThat(warmUp.isRunning()).isTrue();
    assertThat(warmUp.listenersRunningAtFirstRun()).isFalse();
    assertThat(listeners.getListenerContainers()).isNotEmpty().allMatch(c -> c.isRunning());
    assertThat(WarmUp.PHASE).isLessThan(listeners.getPhase());
  }

  @Test
  void shouldHaveWaitedUntilEveryConsumerHadItsPartitionsBeforeStartUpEnded() {
    // given the started service

    // then start-up (and so readiness) waited, after the listener containers, for their assignments
    assertThat(consumers.waitedMillis()).as("waited (its time starts at -1)").isNotNegative();
    assertThat(consumers.expectedConsumers()).isPositive();
    assertThat(consumers.assignedConsumers()).isGreaterThanOrEqualTo(consumers.expectedConsumers());
    assertThat(ConsumersAssigned.PHASE).isGreaterThan(listeners.getPhase());
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

  @Test
  void shouldRunRedFlagsThroughThePathAndKeepNothingOfThem() {
    // given the started service

    RedFlagWarmUp redFlags = warmUp.redFlags();
    int tasksBefore = redFlags.tasksOpened();

    // when it warms up again
    warmUp.start();

    // then red flags went through enrolment, correlation and escalation up to the coordinator's task, and every round
    // was rolled back
    assertThat(redFlags.lastRounds()).isPositive();
    assertThat(redFlags.tasksOpened() - tasksBefore).isEqualTo(redFlags.lastRounds());
    // each round after the first ran on another database session (the test pool is large enough)
    assertThat(redFlags.heldConnections()).isEqualTo(redFlags.lastRounds() - 1);
    assertThat(count("select count(*) from pathway.pathway_ref where patient_ref like 'WARMUP-%'")).isZero();
    assertThat(count("select count(*) from pathway.journal where patient_ref like 'WARMUP-%'")).isZero();
    assertThat(count("select count(*) from pathway.outbox where record_key like 'WARMUP-%'")).isZero();
    assertThat(count("select count(*) from act_hi_procinst where business_key_ like 'REF-WARMUP-%' or business_key_ like 'WARMUP-%'"))
        .isZero();
    assertThat(count("select count(*) from act_ru_job j join act_hi_procinst p on p.proc_inst_id_ = j.process_instance_id_ "
        + "where p.business_key_ like '%WARMUP-%'")).isZero();
  }

  @Test
  void shouldRunEveryStepInItsOrderAndEachWarmSomething() {
    // when the warm-up runs its steps one by one
    List<String> order = warmUp.steps().stream().map(s -> s.getClass().getSimpleName()).toList();

    // then they come in the documented order (the red flags last, on a warm engine and pool), and each warms something:
    // every definition and decision, the codec's records, the pool; the producer step may find no broker metadata
    assertThat(order).containsExactly("DefinitionCacheWarmUp", "DecisionWarmUp", "CodecWarmUp", "ProducerWarmUp",
        "PoolWarmUp", "RedFlagWarmUp");
    long definitions = repository.createProcessDefinitionQuery().latestVersion().count()
        + repository.createDecisionDefinitionQuery().latestVersion().count();
    assertThat(warmUp.steps().get(0).run()).isEqualTo((int) definitions);
    assertThat(warmUp.steps().get(1).run()).isGreaterThanOrEqualTo((int) repository.createDecisionDefinitionQuery().latestVersion().count());
    assertThat(warmUp.steps().get(2).run()).isPositive().isEqualTo(3 * codecRounds);
    assertThat(warmUp.steps().get(3).run()).isEqualTo(ProducerWarmUp.OUTBOUND.size());
    assertThat(warmUp.steps().get(4).run()).isPositive();
  }

  private long count(String sql) {
    return jdbc.queryForObject(sql, Long.class);
  }
}
