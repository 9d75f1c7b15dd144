package io.pathway.service.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pathway.model.Topics;
import io.pathway.model.codes.RedFlag;
import io.pathway.model.codes.Urgency;
import io.pathway.model.events.RedFlagRaised;
import io.pathway.model.events.ReferralIssued;
import io.pathway.service.PathwayServiceTest;
import io.pathway.service.support.Hospital;
import io.pathway.service.support.JourneyTest;
import io.pathway.service.support.Outbound;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * Red-flag jobs do not wait behind routine work in the job executor: with every thread and queue slot of the
 * shared job pool taken, a red flag whose referral could not be written at once still gets it, from the retried step's
 * job on the red-flag lane's threads; and the
 * engine's acquisition index is there (JobAcquisitionIndex).
 */
@PathwayServiceTest
class RedFlagJobLaneTest extends JourneyTest {

  @Autowired
  @Qualifier("camundaTaskExecutor")
  ThreadPoolTaskExecutor shared;
  @Autowired
  ProcessEngine engine;

  @Test
  void shouldRetryARedFlagsReferralWhileTheSharedJobPoolIsFull() throws Exception {
    // given: the database refuses this patient's first referral, so that it is issued by the retried step, a job (110)
    String name = "pathway_test_lane_" + patient.substring(3).toLowerCase();
    jdbc.execute("create sequence pathway." + name);
    jdbc.execute("create function pathway." + name + "() returns trigger language plpgsql as $$ begin"
        + " if new.topic = '" + Topics.REFERRALS + "' and position(convert_to('" + patient + "', 'UTF8') in new.payload) > 0"
        + " and nextval('pathway." + name + "') = 1 then raise exception 'first referral refused by the test'; end if;"
        + " return new; end $$");
    jdbc.execute("create trigger " + name + " before insert on pathway.outbox for each row execute function pathway." + name + "()");
    CountDownLatch release = new CountDownLatch(1);
    int taken = 0;
    try {
      // occupy every thread the shared pool may grow to, and every slot of its queue
      while (true) {
        try {
          shared.execute(() -> {
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
          taken++;
        } catch (RejectedExecutionException full) {
          break;
        }
      }
      assertThat(taken).as("the shared pool took blocking work until it refused").isPositive();

      // when
      Hospital.send(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised(patient, RedFlag.SADDLE_ANESTHESIA, Instant.now()));

      // then: the critical alert is written with the red flag itself; the referral, refused there, is issued by its
      // retried step on the lane's threads while the shared pool is still blocked
      await().atMost(Duration.ofSeconds(30)).until(() -> Outbound.events(Topics.ALERTS, io.pathway.model.events.AlertRaised.class, patient)
          .stream().anyMatch(a -> a.type() == io.pathway.model.codes.AlertType.RED_FLAG
              && a.severity() == io.pathway.model.codes.Severity.CRITICAL));
      await().atMost(Duration.ofSeconds(30)).until(() -> Outbound.events(Topics.REFERRALS, ReferralIssued.class, patient).size() == 1);
      assertThat(Outbound.events(Topics.REFERRALS, ReferralIssued.class, patient).get(0).urgency()).isEqualTo(Urgency.EMERGENCY);
      assertThat(jdbc.queryForObject("select count(*) from act_hi_job_log where act_id_ = 'Task_RetryRedFlagReferral'"
          + " and job_state_ = 2 and process_instance_id_ in (select escalation_id from pathway.escalation where patient_ref = ?)",
          Integer.class, patient)).as("the retried referral ran as a job, successfully").isOne();
      assertThat(shared.getActiveCount()).as("the shared pool was still blocked when the referral went out").isEqualTo(shared.getMaxPoolSize());
    } finally {
      release.countDown();
      jdbc.execute("drop trigger if exists " + name + " on pathway.outbox");
      jdbc.execute("drop function if exists pathway." + name + "()");
      jdbc.execute("drop sequence if exists pathway." + name);
    }
  }

  @Test
  void shouldUseALaneOnlyForJobsOfTheRedFlagPriority() {
    ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
    assertThat(configuration.getJobExecutor()).isInstanceOf(RedFlagLaneJobExecutor.class);
    RedFlagLaneJobExecutor executor = (RedFlagLaneJobExecutor) configuration.getJobExecutor();
    jdbc.update("insert into act_ru_job (id_, rev_, type_, retries_, suspension_state_, priority_, exclusive_, handler_type_) "
        + "values ('lane-test-red', 1, 'message', 0, 2, 110, true, 'async-continuation'), "
        + "('lane-test-routine', 1, 'message', 0, 2, 0, true, 'async-continuation')");
    try {
      var impl = (org.camunda.bpm.engine.impl.ProcessEngineImpl) engine;
      assertThat(executor.holdsRedFlagWork(java.util.List.of("lane-test-routine", "lane-test-red"), impl)).isTrue();
      assertThat(executor.holdsRedFlagWork(java.util.List.of("lane-test-routine"), impl)).isFalse();
    } finally {
      jdbc.update("delete from act_ru_job where id_ like 'lane-test-%'");
    }
  }

  @Test
  void shouldIndexTheJobTableByDueDate() {
    assertThat(jdbc.queryForObject("select indexdef from pg_indexes where indexname = ?", String.class, JobAcquisitionIndex.NAME))
        .containsIgnoringCase("act_ru_job").containsIgnoringCase("(duedate_)");
  }
}
