package io.pathway.bpmn.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClinicalClockAndDueDatesTest {

  private final ClinicalClock clock = new ClinicalClock(ZoneOffset.UTC);
  private final DueDates dueDates = new DueDates(ZoneOffset.UTC);

  @BeforeEach
  void fixTheEngineClock() {
    ClockUtil.setCurrentTime(Date.from(Instant.parse("2026-05-21T09:00:00Z")));
  }

  @AfterEach
  void resetTheEngineClock() {
    ClockUtil.reset();
  }

  @Test
  void shouldCountWholeDaysOnTheEngineClock() {
    assertThat(clock.daysSince("2026-02-20")).isEqualTo(90);
    assertThat(clock.daysSince("2026-02-21")).isEqualTo(89);
    assertThat(clock.daysSince("2026-05-21")).isZero();
    assertThat(clock.daysSince("2026-05-22")).isEqualTo(-1);
  }

  @Test
  void shouldUseTheDatePartOfADateTime() {
    assertThat(clock.daysSince("2026-02-20T23:59:00Z")).isEqualTo(90);
  }

  @Test
  void shouldRefuseAMissingDate() {
    assertThatThrownBy(() -> clock.daysSince(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> clock.daysSince(" ")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldAddTimeBasedDurations() {
    assertThat(dueDates.after("PT30M").toInstant()).isEqualTo(Instant.parse("2026-05-21T09:30:00Z"));
    assertThat(dueDates.after("P3D").toInstant()).isEqualTo(Instant.parse("2026-05-24T09:00:00Z"));
    assertThat(dueDates.after("P1DT4H").toInstant()).isEqualTo(Instant.parse("2026-05-22T13:00:00Z"));
  }

  @Test
  void shouldAddCalendarDurations() {
    assertThat(dueDates.after("P1M").toInstant()).isEqualTo(Instant.parse("2026-06-21T09:00:00Z"));
    assertThat(dueDates.after("P2W").toInstant()).isEqualTo(Instant.parse("2026-06-04T09:00:00Z"));
    assertThat(dueDates.after("P1MT2H").toInstant()).isEqualTo(Instant.parse("2026-06-21T11:00:00Z"));
  }

  @Test
  void shouldRefuseAMissingDuration() {
    assertThatThrownBy(() -> dueDates.after(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
