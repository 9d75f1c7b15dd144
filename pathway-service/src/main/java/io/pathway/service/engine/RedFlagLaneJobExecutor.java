package io.pathway.service.engine;

import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.camunda.bpm.engine.impl.ProcessEngineImpl;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.spring.components.jobexecutor.SpringJobExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.task.TaskExecutor;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Camunda's Spring job executor with a lane of its own for red-flag work. The engine acquires jobs by
 * priority, but then hands every batch to one thread pool: after a restart, or under a burst of routine
 * work, an emergency referral's job was acquired first and still waited behind the routine jobs already
 * running and queued in that pool. Here a batch that holds a job of priority {@code lanePriority} or more
 * (the red-flag escalation's steps) runs on the lane's own threads; everything else, and red-flag work
 * when the lane is full, runs on the shared pool as before. Acquisition, locking, retries and
 * incidents stay the engine's.
 *
 * <p>While red-flag work runs ({@link RedFlagsInFlight}: a red-flag report's inbound transaction, or a batch in
 * the lane), a routine batch about to start on the shared pool waits, at most {@code pathway.jobs.routine-yield}:
 * routine work may wait, red flags may not.
 *
 * <p>A red-flag batch the lane refuses (its queue is full) falls back to the shared pool rather than being
 * refused: Camunda acquires fewer jobs in the next cycle for each batch the pools refuse, and a refused
 * red-flag batch would hold back the acquisition of the next red flag.
 */
final class RedFlagLaneJobExecutor extends SpringJobExecutor {

  private static final Logger log = LoggerFactory.getLogger(RedFlagLaneJobExecutor.class);

  private final TaskExecutor lane;
  private final int lanePriority;
  private final RedFlagsInFlight inFlight;

  RedFlagLaneJobExecutor(TaskExecutor shared, TaskExecutor lane, int lanePriority, RedFlagsInFlight inFlight) {
    setTaskExecutor(shared);
    this.lane = lane;
    this.lanePriority = lanePriority;
    this.inFlight = inFlight;
  }

  @Override
  public void executeJobs(List<String> jobIds, ProcessEngineImpl processEngine) {
    if (!holdsRedFlagWork(jobIds, processEngine)) {
      super.executeJobs(jobIds, processEngine); // through getExecuteJobsRunnable: yields to red-flag work
      return;
    }
    Runnable run = super.getExecuteJobsRunnable(jobIds, processEngine);
    inFlight.begin(); // from the lane's queue on: routine jobs about to start stand aside
    try {
      lane.execute(() -> {
        try {
          run.run();
        } finally {
          inFlight.end();
        }
      });
      return;
    } catch (RejectedExecutionException full) {
      inFlight.end();
      log.debug("Red-flag lane full; {} job(s) go to the shared pool", jobIds.size());
    }
    try {
      getTaskExecutor().execute(run);
    } catch (RejectedExecutionException e) {
      logRejectedExecution(processEngine, jobIds.size());
      rejectedJobsHandler.jobsRejected(jobIds, processEngine, this);
    }
  }

  /** A routine batch: it waits while red-flag work runs (at most {@code pathway.jobs.routine-yield}), then runs. */
  @Override
  public Runnable getExecuteJobsRunnable(List<String> jobIds, ProcessEngineImpl processEngine) {
    Runnable run = super.getExecuteJobsRunnable(jobIds, processEngine);
    return () -> {
      inFlight.yieldToRedFlags("job");
      run.run();
    };
  }

  /** Whether one of the batch's jobs has the red-flag priority (one indexed read of at most a batch's ids). */
  boolean holdsRedFlagWork(List<String> jobIds, ProcessEngineImpl processEngine) {
    ProcessEngineConfigurationImpl configuration = processEngine.getProcessEngineConfiguration();
    String prefix = configuration.getDatabaseTablePrefix() == null ? "" : configuration.getDatabaseTablePrefix();
    try {
      return Boolean.TRUE.equals(new JdbcTemplate(configuration.getDataSource()).queryForObject(
          "select exists (select 1 from " + prefix + "ACT_RU_JOB where ID_ = any (?) and PRIORITY_ >= ?)", Boolean.class,
          jobIds.toArray(String[]::new), lanePriority));
    } catch (RuntimeException e) {
      // the shared pool runs it as it always did; the engine reports what goes wrong with the job itself
      log.warn("Could not read the priority of {} acquired job(s); they run on the shared pool", jobIds.size(), e);
      return false;
    }
  }
}
