package io.pathway.service.fhir;

import io.pathway.service.engine.PathwayEngine;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.CarePlan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps {@code pathway.fhir_resource} up to date. Every change to a pathway's sources marks it stale
 * in the changing transaction (the V90 triggers, {@link TaskChanges}), with the time of the change; a
 * background thread projects the stale pathways that have been quiet for
 * {@code pathway.fhir.projection-quiet} (2 s: one projection per burst of changes), looking every
 * {@code pathway.fhir.projection-interval} (0.5 s) while the service is idle (no change for
 * {@code pathway.fhir.projection-idle}, 1 s) or its oldest mark is older than {@code pathway.fhir.projection-max-lag}
 * (5 min): under load the clinical work has the cores. A read first projects the stale pathways it
 * concerns, so that a client never reads a state older than the last committed change. A projection
 * that changes nothing keeps every version; a changed resource gets the time of the pathway's last
 * change as its lastUpdated.
 */
@Component
class FhirProjection implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(FhirProjection.class);
  private static final int BATCH = 200;

  private final JdbcTemplate jdbc;
  private final TransactionTemplate tx;
  private final FhirProjector projector;
  private final FhirStore store;
  private final Duration interval;
  private final Duration quiet;
  private final Duration budget;
  private final Duration idle;
  private final Duration maxLag;
  private ScheduledExecutorService worker;

  FhirProjection(JdbcTemplate jdbc, TransactionTemplate tx, FhirProjector projector, FhirStore store,
      @Value("${pathway.fhir.projection-interval:PT0.5S}") Duration interval,
      @Value("${pathway.fhir.projection-quiet:PT2S}") Duration quiet,
      @Value("${pathway.fhir.projection-budget:PT0.1S}") Duration budget,
      @Value("${pathway.fhir.projection-idle:PT1S}") Duration idle,
      @Value("${pathway.fhir.projection-max-lag:PT5M}") Duration maxLag, io.micrometer.core.instrument.MeterRegistry meters) {
    this.quiet = quiet;
    this.idle = idle;
    this.maxLag = maxLag;
    this.budget = budget;
    io.micrometer.core.instrument.Gauge.builder("pathway.fhir.stale.pathways",
            () -> jdbc.queryForObject("select count(distinct pathway_id) from pathway.fhir_stale", Integer.class))
        .description("Pathways changed since their FHIR resources were last projected").register(meters);
    this.jdbc = jdbc;
    this.tx = tx;
    this.projector = projector;
    this.store = store;
    this.interval = interval;
  }

  /** Projects one pathway now (serialised per pathway); clears the marks it saw, not those made meanwhile. */
  void refresh(String pathwayId) {
    tx.executeWithoutResult(s -> {
      jdbc.queryForList("select pg_advisory_xact_lock(hashtext(?))", "fhir:" + pathwayId);
      List<Long> marked = new java.util.ArrayList<>();
      java.time.Instant[] changedAt = new java.time.Instant[1];
      jdbc.query("select id, marked_at from pathway.fhir_stale where pathway_id = ?", rs -> {
        marked.add(rs.getLong(1));
        java.time.Instant at = rs.getTimestamp(2).toInstant();
        changedAt[0] = changedAt[0] == null || at.isAfter(changedAt[0]) ? at : changedAt[0];
      }, pathwayId);
      List<FhirProjector.Projected> projected = projector.project(pathwayId);
      if (!projected.isEmpty()) {
        String patientRef = ((CarePlan) projected.get(0).resource()).getSubject().getIdentifier().getValue();
        store.store(pathwayId, patientRef, projected, changedAt[0]);
      }
      if (!marked.isEmpty()) {
        jdbc.update("delete from pathway.fhir_stale where id = any (?)", (Object) marked.toArray(Long[]::new));
      }
    });
  }

  /** Projects the stale pathways of a patient (before a search by patient). */
  void catchUpPatient(String patientRef) {
    jdbc.queryForList("select distinct s.pathway_id from pathway.fhir_stale s join pathway.pathway_ref r on r.pathway_id = s.pathway_id "
        + "where r.patient_ref = ?", String.class, patientRef).forEach(this::refreshQuietly);
  }

  /** Projects one pathway if it is stale (before a read of one of its resources). */
  void catchUpPathway(String pathwayId) {
    jdbc.queryForList("select pathway_id from pathway.fhir_stale where pathway_id = ? limit 1", String.class, pathwayId)
        .forEach(this::refreshQuietly);
  }

  /** Projects every stale pathway, oldest mark first, at most {@code max}; returns how many were projected. */
  int catchUp(int max) {
    return catchUp(max, Duration.ZERO);
  }

  /**
   * Projects the stale pathways that have been quiet (no new mark) for {@code quietFor}, oldest mark
   * first, at most {@code max}: the background rounds wait for a pathway's burst of changes (an event
   * and the continuations it starts) to end, and project it once.
   */
  int catchUp(int max, Duration quietFor) {
    return catchUp(max, quietFor, null);
  }

  /**
   * As {@link #catchUp(int, Duration)}, stopping once {@code deadline} (nanoTime) has passed, when one is given: the
   * background rounds project in slices so that the projection never takes the cores from the clinical work.
   */
  int catchUp(int max, Duration quietFor, Long deadline) {
    int done = 0;
    while (done < max && (deadline == null || System.nanoTime() < deadline)) {
      List<String> stale = jdbc.queryForList("select pathway_id from pathway.fhir_stale group by pathway_id "
              + "having max(marked_at) <= clock_timestamp() - make_interval(secs => ?) order by min(id) limit ?",
          String.class, quietFor.toMillis() / 1000.0, Math.min(BATCH, max - done));
      if (stale.isEmpty()) {
        break;
      }
      int failed = 0;
      for (String id : stale) {
        if (deadline != null && System.nanoTime() >= deadline) {
          return done;
        }
        if (!refreshQuietly(id)) {
          failed++;
        }
        done++;
      }
      if (failed == stale.size()) {
        break;
      }
    }
    return done;
  }

  private boolean refreshQuietly(String pathwayId) {
    try {
      refresh(pathwayId);
      return true;
    } catch (RuntimeException e) {
      log.warn("FHIR projection of pathway {} failed; it stays marked and is tried again", pathwayId, e);
      return false;
    }
  }

  @Override
  public void start() {
    worker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "fhir-projection");
      t.setDaemon(true);
      return t;
    });
    worker.scheduleWithFixedDelay(() -> {
      try {
        backgroundRound();
      } catch (RuntimeException e) {
        log.warn("FHIR projection round failed", e);
      }
    }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * One background round: nothing while red-flag work waits for the job executor (the escalation's jobs carry priority
   * {@value PathwayEngine#RED_FLAG_JOB_PRIORITY}; red flags first), nothing while the service is busy (a pathway changed within
   * {@code pathway.fhir.projection-idle}) unless the oldest waiting change is older than
   * {@code pathway.fhir.projection-max-lag}, else at most {@code pathway.fhir.projection-budget} (default 100 ms) of
   * projecting per {@code pathway.fhir.projection-interval} (500 ms): a fifth of one core at most. A FHIR read or search
   * catches its own pathways up first, so a backlog delays no answer's freshness, only the background's.
   */
  void backgroundRound() {
    Boolean redFlagWork = jdbc.queryForObject("select exists (select 1 from act_ru_job where priority_ >= ? and suspension_state_ = 1 "
        + "and (duedate_ is null or duedate_ <= now()))", Boolean.class, PathwayEngine.RED_FLAG_JOB_PRIORITY);
    if (Boolean.TRUE.equals(redFlagWork)) {
      return;
    }
    if (busy()) {
      return;
    }
    catchUp(10_000, quiet, System.nanoTime() + budget.toNanos());
  }

  /** Whether the service is changing pathways now (the newest mark is recent) and the backlog may still wait. */
  boolean busy() {
    Boolean waits = jdbc.queryForObject("select coalesce((select marked_at from pathway.fhir_stale order by id desc limit 1) "
        + "> clock_timestamp() - make_interval(secs => ?), false) and not coalesce((select marked_at from pathway.fhir_stale "
        + "order by id limit 1) < clock_timestamp() - make_interval(secs => ?), false)", Boolean.class,
        idle.toMillis() / 1000.0, maxLag.toMillis() / 1000.0);
    return Boolean.TRUE.equals(waits);
  }

  @Override
  public void stop() {
    if (worker != null) {
      worker.shutdownNow();
      try {
        worker.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      worker = null;
    }
  }

  @Override
  public boolean isRunning() {
    return worker != null;
  }
}
