package io.pathway.service.warmup;

import com.zaxxer.hikari.HikariDataSource;
import io.pathway.bpmn.PathwayModel.Vars;
import io.pathway.model.Topics;
import io.pathway.model.codes.ImagingFinding;
import io.pathway.model.codes.PainPattern;
import io.pathway.model.codes.RedFlag;
import io.pathway.model.codes.SteroidKind;
import io.pathway.model.envelope.EventCodec;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.model.events.EnrolmentRequested;
import io.pathway.model.events.FollowUpRecorded;
import io.pathway.model.events.PathwayEvent;
import io.pathway.model.events.RedFlagRaised;
import io.pathway.model.events.SteroidTreatment;
import io.pathway.service.event.Applied;
import io.pathway.service.inbound.InboundDispatcher;
import java.io.InputStream;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.camunda.bpm.dmn.engine.DmnDecision;
import org.camunda.bpm.dmn.engine.DmnEngine;
import org.camunda.bpm.dmn.engine.DmnEngineConfiguration;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.DecisionDefinition;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.apache.kafka.clients.producer.Producer;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Warms what the first red flags after a start would otherwise pay for, before the Kafka listeners
 * start and so before readiness reports UP (readiness follows the end of start-up, and this runs inside
 * it, in a lifecycle phase before the listener containers'). Nothing here writes: no event, no
 * history, no row.
 * <ul>
 *   <li>the engine's deployment cache: every latest process and decision definition, which a restart on
 *       an existing database would otherwise parse on first use, in the middle of a correlation;</li>
 *   <li>the DMN and FEEL classes and their JIT: each decision evaluated in memory by a standalone DMN
 *       engine (the red-flag triage with a cauda equina flag), not by the process engine, so no decision
 *       history is written;</li>
 *   <li>the event codec (JSON Schemas, Jackson, CloudEvents) on synthetic inbound records, decoded and
 *       validated a few hundred times;</li>
 *   <li>the shared producer's connection and the metadata of the outbound topics (nothing is sent), and
 *       the database pool;</li>
 *   <li>the red-flag path itself, the slowest part of a cold start: a few synthetic patients
 *       ({@code WARMUP-...}) are enrolled, get a cauda equina red flag and have their jobs run (the
 *       continuation that issues the emergency referral, its alert and outbox rows), each round in one
 *       transaction that is rolled back, so the engine, the handlers, SQL and JIT are exercised and
 *       nothing is kept, published or counted (no commit: no job hint, no relay wake-up, no metrics).
 *       Each round runs on another database session of the pool (up to its size less four): a round
 *       on a fresh session took about twice as long as one on a used session (300 against 150 ms in the
 *       P2C drill), the price the consumers and the job executor would pay on their first records.</li>
 * </ul>
 * Off with {@code pathway.warmup.enabled=false}; the red-flag rounds with {@code pathway.warmup.red-flag-rounds=0}.
 */
@Component
@ConditionalOnProperty(name = "pathway.warmup.enabled", havingValue = "true", matchIfMissing = true)
class WarmUp implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(WarmUp.class);
  private static final URI SOURCE = URI.create("urn:pathway:warm-up");
  /** Before the Kafka listener containers ({@code Integer.MAX_VALUE - 100}), after the engine and the pool. */
  static final int PHASE = Integer.MAX_VALUE - 200;

  private final RepositoryService repository;
  private final EventCodec codec;
  private final ProducerFactory<String, byte[]> kafka;
  private final JdbcTemplate jdbc;
  private final TransactionTemplate tx;
  private final InboundDispatcher dispatcher;
  private final ManagementService management;
  private final int codecRounds;
  private final int redFlagRounds;
  private final Duration redFlagBudget;
  private volatile boolean running;
  private volatile long tookMillis = -1;
  private volatile Boolean listenersRunningAtFirstRun;
  private final org.springframework.beans.factory.ObjectProvider<org.springframework.kafka.config.KafkaListenerEndpointRegistry> listeners;

  WarmUp(RepositoryService repository, EventCodec codec, ProducerFactory<String, byte[]> kafka, JdbcTemplate jdbc,
      TransactionTemplate tx, InboundDispatcher dispatcher, ManagementService management,
      @Value("${pathway.warmup.codec-rounds:300}") int codecRounds,
      @Value("${pathway.warmup.red-flag-rounds:30}") int redFlagRounds,
      @Value("${pathway.warmup.red-flag-budget:PT1S}") Duration redFlagBudget,
      org.springframework.beans.factory.ObjectProvider<org.springframework.kafka.config.KafkaListenerEndpointRegistry> listeners) {
    this.listeners = listeners;
    this.repository = repository;
    this.codec = codec;
    this.kafka = kafka;
    this.jdbc = jdbc;
    this.tx = tx;
    this.dispatcher = dispatcher;
    this.management = management;
    this.codecRounds = codecRounds;
    this.redFlagRounds = redFlagRounds;
    this.redFlagBudget = redFlagBudget;
  }

  @Override
  public void start() {
    long t0 = System.nanoTime();
    int definitions = definitions();
    int decisions = decisions();
    int decoded = codec();
    int topics = producer();
    for (int i = 0; i < 5; i++) {
      jdbc.queryForObject("select 1", Integer.class);
    }
    int redFlags = redFlags();
    tookMillis = (System.nanoTime() - t0) / 1_000_000;
    log.info("Warm-up done in {} ms: {} definitions cached, {} decisions evaluated in memory, {} records decoded, "
        + "metadata of {} outbound topics, {} red flags through the path on {} database sessions ({} jobs run, all rolled back)",
        tookMillis, definitions, decisions, decoded, topics, redFlags, heldConnections + 1, jobsRun.get());
    lastRedFlagRounds = redFlags;
    if (listenersRunningAtFirstRun == null) {
      listenersRunningAtFirstRun = listeners.stream().flatMap(r -> r.getListenerContainers().stream())
          .anyMatch(org.springframework.kafka.listener.MessageListenerContainer::isRunning);
    }
    running = true;
  }

  /** Whether any Kafka listener was consuming when the start-up warm-up finished (null before it ran). */
  Boolean listenersRunningAtFirstRun() {
    return listenersRunningAtFirstRun;
  }

  private volatile int lastRedFlagRounds = -1;
  private volatile int heldConnections;
  private final java.util.concurrent.atomic.AtomicInteger jobsRun = new java.util.concurrent.atomic.AtomicInteger();

  /** Red-flag rounds of the last run, or -1 before it ran. */
  int lastRedFlagRounds() {
    return lastRedFlagRounds;
  }

  /** Jobs run by the red-flag rounds since start-up (all rolled back). */
  int jobsRun() {
    return jobsRun.get();
  }

  /**
   * Enrolment, red flag and the jobs that follow (emergency referral, alert), for synthetic patients,
   * each round rolled back; stops after {@code red-flag-rounds} or the time budget, at the first error.
   */
  private int redFlags() {
    long deadline = System.nanoTime() + redFlagBudget.toNanos();
    LocalDate steroid = LocalDate.now().minusDays(25);
    int n = 0;
    List<Connection> held = new ArrayList<>();
    try {
      while (n < redFlagRounds && System.nanoTime() < deadline) {
        if (n > 0) {
          holdLastConnection(held);
        }
        if (!redFlagRound(steroid, n)) {
          return n;
        }
        n++;
      }
      return n;
    } finally {
      held.forEach(WarmUp::release);
      heldConnections = held.size();
    }
  }

  /**
   * Takes the connection the last round ran on out of the pool until the rounds end, so that the next
   * round runs on another one: each round then warms a different database session (PostgreSQL's
   * per-session catalog caches, the driver's per-connection statement cache), as the consumers and
   * the job executor each use their own. Holds at most the pool's size less four, and only when the
   * pool's size is known (HikariCP); otherwise the rounds share a connection.
   */
  private void holdLastConnection(List<Connection> held) {
    DataSource ds = jdbc.getDataSource();
    if (!(ds instanceof HikariDataSource hikari) || held.size() >= hikari.getMaximumPoolSize() - 4) {
      return;
    }
    try {
      held.add(ds.getConnection()); // the pool gives this thread the connection it used last
    } catch (SQLException e) {
      log.debug("Warm-up: no connection to hold ({})", e.getClass().getSimpleName());
    }
  }

  private static void release(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      log.debug("Warm-up: closing a held connection failed ({})", e.getClass().getSimpleName());
    }
  }

  /** Database sessions the last run's rounds were spread over (besides the one they start on). */
  int heldConnections() {
    return heldConnections;
  }

  /** One synthetic patient enrolled, given a cauda equina red flag and its jobs run, all rolled back; false on an error. */
  private boolean redFlagRound(LocalDate steroid, int n) {
    String patient = "WARMUP-" + UUID.randomUUID();
    try {
      tx.executeWithoutResult(status -> {
        status.setRollbackOnly(); // nothing of this round is kept
        Applied enrolled = dispatcher.retry(EventEnvelope.of(SOURCE, enrolment(patient, steroid)));
        dispatcher.retry(EventEnvelope.of(SOURCE, new RedFlagRaised(patient, RedFlag.SADDLE_ANESTHESIA, Instant.now())));
        runJobsOf(enrolled.pathwayId());
      });
      return true;
    } catch (RuntimeException e) {
      log.warn("Warm-up: red-flag round stopped after {} rounds: {}", n, e.getClass().getSimpleName());
      return false;
    }
  }

  private static EnrolmentRequested enrolment(String patient, LocalDate steroid) {
    return new EnrolmentRequested("REF-" + patient, patient,
        new SteroidTreatment(SteroidKind.EPIDURAL_STEROID_INJECTION, steroid, true, true), PainPattern.RADICULAR, 7, false,
        List.of(ImagingFinding.LARGE_DISC_HERNIATION), 3, List.of(), steroid.minusMonths(2));
  }

  /** Runs the due jobs of one synthetic pathway (and of what it started), in the caller's transaction. */
  private void runJobsOf(String pathwayId) {
    if (pathwayId == null) {
      return;
    }
    for (int pass = 0; pass < 10; pass++) {
      List<String> due = jdbc.queryForList("select id_ from act_ru_job where (root_proc_inst_id_ = ? or process_instance_id_ = ?) "
          + "and (duedate_ is null or duedate_ <= now()) and retries_ > 0", String.class, pathwayId, pathwayId);
      if (due.isEmpty()) {
        return;
      }
      due.forEach(management::executeJob);
      jobsRun.addAndGet(due.size());
    }
  }

  /** How long the warm-up took, or -1 before it ran. */
  long tookMillis() {
    return tookMillis;
  }

  private int definitions() {
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

  private int decisions() {
    DmnEngine dmn = DmnEngineConfiguration.createDefaultDmnEngineConfiguration().buildEngine();
    Map<String, Object> redFlag = Map.of(Vars.RED_FLAGS, List.of(RedFlag.SADDLE_ANESTHESIA.name()));
    int n = 0;
    for (DecisionDefinition d : repository.createDecisionDefinitionQuery().latestVersion().list()) {
      try (InputStream model = repository.getDecisionModel(d.getId())) {
        for (DmnDecision decision : dmn.parseDecisions(model)) {
          for (int round = 0; round < 50; round++) {
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

  private int codec() {
    LocalDate steroid = LocalDate.now().minusDays(1);
    List<Map.Entry<String, PathwayEvent>> samples = List.of(
        Map.entry(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised("WARMUP-0", RedFlag.SADDLE_ANESTHESIA, Instant.now())),
        Map.entry(Topics.CLINICAL_OBSERVATIONS, new FollowUpRecorded("WARMUP-0", "EPIDURAL_STEROID_INJECTION", 70, true, Instant.now())),
        Map.entry(Topics.PATHWAY_ENROLMENTS, new EnrolmentRequested("WARMUP-R0", "WARMUP-0",
            new SteroidTreatment(SteroidKind.EPIDURAL_STEROID_INJECTION, steroid, true, true), PainPattern.RADICULAR, 7, false,
            List.of(ImagingFinding.LARGE_DISC_HERNIATION), 3, List.of(), steroid.minusMonths(2))));
    int n = 0;
    for (int round = 0; round < codecRounds; round++) {
      for (Map.Entry<String, PathwayEvent> sample : samples) {
        try {
          ProducerRecord<String, byte[]> r = codec.toRecord(sample.getKey(), EventEnvelope.of(SOURCE, sample.getValue()));
          codec.decode(r.headers(), r.value());
          n++;
        } catch (Exception e) {
          log.warn("Warm-up codec round failed: {}", e.getClass().getSimpleName());
          return n;
        }
      }
    }
    return n;
  }

  private int producer() {
    int n = 0;
    // the factory's shared producer, the one the outbox relay sends with; asking for metadata sends nothing
    try (Producer<String, byte[]> producer = kafka.createProducer()) {
      for (String topic : List.of(Topics.REFERRALS, Topics.ALERTS, Topics.STATUS, Topics.ORDERS)) {
        producer.partitionsFor(topic);
        n++;
      }
    } catch (RuntimeException e) {
      log.warn("Warm-up: no topic metadata ({}); the relay will fetch it on first send", e.getClass().getSimpleName());
    }
    return n;
  }

  @Override
  public void stop() {
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}
