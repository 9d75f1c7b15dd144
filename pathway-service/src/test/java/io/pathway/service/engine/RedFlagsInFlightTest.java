package io.pathway.service.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Routine work stands aside while red-flag work runs, and only that long, and never longer than the yield. */
class RedFlagsInFlightTest {

  @Test
  void shouldHoldRoutineWorkWhileARedFlagRunsAndReleaseItWhenTheRedFlagEnds() {
    RedFlagsInFlight inFlight = new RedFlagsInFlight(Duration.ofMinutes(5));
    inFlight.begin();
    AtomicLong waited = new AtomicLong(-1);
    Thread routine = new Thread(() -> waited.set(inFlight.yieldToRedFlags()), "routine-job");
    routine.start();

    await().atMost(Duration.ofSeconds(10)).until(() -> routine.getState() == Thread.State.TIMED_WAITING);
    assertThat(waited.get()).as("still waiting while the red flag runs").isEqualTo(-1);

    inFlight.end();
    await().atMost(Duration.ofSeconds(10)).until(() -> routine.getState() == Thread.State.TERMINATED);
    assertThat(waited.get()).isPositive();
    assertThat(inFlight.any()).isFalse();
  }

  @Test
  void shouldWaitForEveryRedFlagInFlightNotOnlyTheFirst() {
    RedFlagsInFlight inFlight = new RedFlagsInFlight(Duration.ofMinutes(5));
    inFlight.begin();
    inFlight.begin();
    Thread routine = new Thread(inFlight::yieldToRedFlags, "routine-job");
    routine.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> routine.getState() == Thread.State.TIMED_WAITING);

    inFlight.end();
    assertThat(inFlight.any()).isTrue();
    assertThat(routine.isAlive()).as("one red flag still runs").isTrue();

    inFlight.end();
    await().atMost(Duration.ofSeconds(10)).until(() -> routine.getState() == Thread.State.TERMINATED);
  }

  @Test
  void shouldNotHoldRoutineWorkWhenNoRedFlagRuns() {
    RedFlagsInFlight inFlight = new RedFlagsInFlight(Duration.ofMinutes(5));
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> inFlight.yieldToRedFlags());
  }

  @Test
  void shouldLetRoutineWorkRunAfterTheYieldEvenWhileRedFlagsStillRun() {
    RedFlagsInFlight inFlight = new RedFlagsInFlight(Duration.ofMillis(50));
    inFlight.begin();
    long waited = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> inFlight.yieldToRedFlags());
    assertThat(waited).as("it waited for the whole yield").isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
    assertThat(inFlight.any()).isTrue();
  }

  @Test
  void shouldRecordEachWaitUnderTheWorkThatWaitedAndNothingWhenNoRedFlagRan() {
    io.micrometer.core.instrument.simple.SimpleMeterRegistry meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    org.springframework.beans.factory.support.StaticListableBeanFactory beans = new org.springframework.beans.factory.support.StaticListableBeanFactory();
    beans.addBean("meters", meters);
    RedFlagsInFlight inFlight = new RedFlagsInFlight(Duration.ofMillis(20),
        beans.getBeanProvider(io.micrometer.core.instrument.MeterRegistry.class));

    inFlight.yieldToRedFlags("inbound");
    assertThat(meters.find("pathway_routine_yield_seconds").timer()).as("no red flag ran: nothing waited").isNull();

    inFlight.begin();
    long waited = inFlight.yieldToRedFlags("inbound");
    inFlight.end();
    var timer = meters.get("pathway_routine_yield_seconds").tag("work", "inbound").timer();
    assertThat(timer.count()).isOne();
    assertThat(timer.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isEqualTo((double) waited);
  }

  @Test
  void shouldNeverCountBelowNothing() {
    RedFlagsInFlight inFlight = new RedFlagsInFlight(Duration.ofMinutes(5));
    inFlight.end();
    inFlight.begin();
    assertThat(inFlight.any()).isTrue();
    inFlight.end();
    assertThat(inFlight.any()).isFalse();
  }
}
