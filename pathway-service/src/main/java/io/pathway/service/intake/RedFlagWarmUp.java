package io.pathway.service.intake;

import com.zaxxer.hikari.HikariDataSource;
import io.pathway.model.codes.ImagingFinding;
import io.pathway.model.codes.PainPattern;
import io.pathway.model.codes.RedFlag;
import io.pathway.model.codes.SteroidKind;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.model.events.EnrolmentRequested;
import io.pathway.model.events.RedFlagRaised;
import io.pathway.model.events.SteroidTreatment;
import io.pathway.service.platform.Applied;
import io.pathway.service.intake.InboundDispatcher;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.camunda.bpm.engine.ManagementService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The red-flag path itself, the slowest part of a cold start: a few synthetic patients ({@code WARMUP-...}) are
 * enrolled and get a cauda equina red flag (which writes the emergency referral and the alert, each under its
 * savepoint, and opens the confirmation task with its deadline timer); any job due is run, each round in one
 * transaction that is rolled
 * back, so the engine, the handlers, SQL and JIT are exercised and nothing is kept, published or counted (no
 * commit: no job hint, no relay wake-up, no metrics). Each round runs on another database session of the pool (up
 * to its size less four): a round on a fresh session took about twice as long as one on a used session (300 against
 * 150 ms in the P2C drill), the price the consumers and the job executor would pay on their first records. Stops
 * after its rounds or its time budget, at the first error.
 */
final class RedFlagWarmUp implements WarmUpStep {

  private static final Logger log = LoggerFactory.getLogger(RedFlagWarmUp.class);

  private final JdbcTemplate jdbc;
  private final TransactionTemplate tx;
  private final InboundDispatcher dispatcher;
  private final ManagementService management;
  private final int rounds;
  private final Duration budget;
  private final AtomicInteger jobsRun = new AtomicInteger();
  private final AtomicInteger tasksOpened = new AtomicInteger();
  private volatile int lastRounds = -1;
  private volatile int heldConnections;

  RedFlagWarmUp(JdbcTemplate jdbc, TransactionTemplate tx, InboundDispatcher dispatcher, ManagementService management,
      int rounds, Duration budget) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.dispatcher = dispatcher;
    this.management = management;
    this.rounds = rounds;
    this.budget = budget;
  }

  /** The synthetic enrolment of a warm-up patient: radicular pain, a failed epidural steroid injection. */
  static EnrolmentRequested enrolment(String patient, LocalDate steroid) {
    return new EnrolmentRequested("REF-" + patient, patient,
        new SteroidTreatment(SteroidKind.EPIDURAL_STEROID_INJECTION, steroid, true, true), PainPattern.RADICULAR, 7, false,
        List.of(ImagingFinding.LARGE_DISC_HERNIATION), 3, List.of(), steroid.minusMonths(2));
  }

  @Override
  public String counts() {
    return "red flags through the path (rolled back)";
  }

  @Override
  public int run() {
    long deadline = System.nanoTime() + budget.toNanos();
    LocalDate steroid = LocalDate.now().minusDays(25);
    int n = 0;
    List<Connection> held = new ArrayList<>();
    try {
      while (n < rounds && System.nanoTime() < deadline) {
        if (n > 0) {
          holdLastConnection(held);
        }
        if (!round(steroid, n)) {
          break;
        }
        n++;
      }
      return n;
    } finally {
      held.forEach(RedFlagWarmUp::release);
      heldConnections = held.size();
      lastRounds = n;
    }
  }

  /** Rounds of the last run, or -1 before it ran. */
  int lastRounds() {
    return lastRounds;
  }

  /** Confirmation tasks the rounds' red flags opened since start-up (all rolled back). */
  int tasksOpened() {
    return tasksOpened.get();
  }

  /** Jobs run by the rounds since start-up (all rolled back). */
  int jobsRun() {
    return jobsRun.get();
  }

  /** Database sessions the last run's rounds were spread over (besides the one they start on). */
  int heldConnections() {
    return heldConnections;
  }

  /** One synthetic patient enrolled, given a cauda equina red flag and its jobs run, all rolled back; false on an error. */
  private boolean round(LocalDate steroid, int n) {
    String patient = "WARMUP-" + UUID.randomUUID();
    try {
      tx.executeWithoutResult(status -> {
        status.setRollbackOnly(); // nothing of this round is kept
        Applied enrolled = dispatcher.retry(EventEnvelope.of(WarmUp.SOURCE, enrolment(patient, steroid)));
        dispatcher.retry(EventEnvelope.of(WarmUp.SOURCE, new RedFlagRaised(patient, RedFlag.SADDLE_ANESTHESIA, Instant.now())));
        runJobsOf(enrolled.pathwayId());
        tasksOpened.addAndGet(tasksOf(enrolled.pathwayId()));
      });
      return true;
    } catch (RuntimeException e) {
      log.warn("Warm-up: red-flag round stopped after {} rounds: {}", n, e.getClass().getSimpleName());
      return false;
    }
  }

  /** The open tasks of one synthetic pathway and of what it started, in the caller's transaction. */
  private int tasksOf(String pathwayId) {
    return pathwayId == null ? 0 : jdbc.queryForObject("select count(*) from act_ru_task t join act_ru_execution e on e.id_ = t.proc_inst_id_ "
        + "where e.root_proc_inst_id_ = ?", Integer.class, pathwayId);
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
}
