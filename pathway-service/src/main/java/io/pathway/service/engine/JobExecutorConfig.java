package io.pathway.service.engine;

import java.util.Optional;
import org.camunda.bpm.engine.impl.jobexecutor.JobExecutor;
import org.camunda.bpm.engine.impl.jobexecutor.NotifyAcquisitionRejectedJobsHandler;
import org.camunda.bpm.spring.boot.starter.property.CamundaBpmProperties;
import org.camunda.bpm.spring.boot.starter.property.JobExecutionProperty;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.TaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The engine's job executor: Camunda's Spring job executor, configured from {@code camunda.bpm.job-execution} as the
 * starter would, with a lane of {@code pathway.jobs.red-flag-lane-threads} threads (default 2) for the red-flag
 * escalation's jobs ({@link RedFlagLaneJobExecutor}). Replaces the starter's bean of the same type.
 */
@Configuration
@ConditionalOnProperty(prefix = "camunda.bpm.job-execution", name = "enabled", havingValue = "true", matchIfMissing = true)
class JobExecutorConfig {

  /** The lane's threads; its queue holds the red-flag batches a burst brings (each a few jobs of one escalation). */
  @Bean("redFlagJobLane")
  static ThreadPoolTaskExecutor redFlagJobLane(@Value("${pathway.jobs.red-flag-lane-threads:2}") int threads,
      @Value("${pathway.jobs.red-flag-lane-queue:100}") int queue) {
    ThreadPoolTaskExecutor lane = new ThreadPoolTaskExecutor();
    lane.setCorePoolSize(Math.max(1, threads));
    lane.setMaxPoolSize(Math.max(1, threads));
    lane.setQueueCapacity(Math.max(0, queue));
    lane.setThreadNamePrefix("red-flag-jobs-");
    lane.setWaitForTasksToCompleteOnShutdown(false);
    return lane;
  }

  @Bean
  static JobExecutor jobExecutor(@Qualifier("camundaTaskExecutor") TaskExecutor shared, @Qualifier("redFlagJobLane") TaskExecutor lane,
      CamundaBpmProperties properties, RedFlagsInFlight inFlight) {
    RedFlagLaneJobExecutor executor = new RedFlagLaneJobExecutor(shared, lane, PathwayEngine.RED_FLAG_JOB_PRIORITY, inFlight);
    executor.setRejectedJobsHandler(new NotifyAcquisitionRejectedJobsHandler());
    JobExecutionProperty p = properties.getJobExecution();
    Optional.ofNullable(p.getLockTimeInMillis()).ifPresent(executor::setLockTimeInMillis);
    Optional.ofNullable(p.getMaxJobsPerAcquisition()).ifPresent(executor::setMaxJobsPerAcquisition);
    Optional.ofNullable(p.getWaitTimeInMillis()).ifPresent(executor::setWaitTimeInMillis);
    Optional.ofNullable(p.getMaxWait()).ifPresent(executor::setMaxWait);
    Optional.ofNullable(p.getBackoffTimeInMillis()).ifPresent(executor::setBackoffTimeInMillis);
    Optional.ofNullable(p.getMaxBackoff()).ifPresent(executor::setMaxBackoff);
    Optional.ofNullable(p.getBackoffDecreaseThreshold()).ifPresent(executor::setBackoffDecreaseThreshold);
    Optional.ofNullable(p.getWaitIncreaseFactor()).ifPresent(executor::setWaitIncreaseFactor);
    return executor;
  }
}
