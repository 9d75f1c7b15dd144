package io.pathway.bpmn.support;

import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Date;
import org.camunda.bpm.engine.impl.util.ClockUtil;

/**
 * Task due dates from ISO-8601 durations on the engine clock, for expressions such as
 * {@code camunda:dueDate="${dueDates.after(clinicalTaskDue)}"}.
 */
public class DueDates {

  private final ZoneId zone;

  public DueDates() {
    this(ZoneId.systemDefault());
  }

  public DueDates(ZoneId zone) {
    this.zone = zone;
  }

  /**
   * Now on the engine clock plus {@code isoDuration}: time-based ({@code PT30M}, {@code P3DT4H})
   * or calendar-based ({@code P1M}, {@code P2W}).
   */
  public Date after(String isoDuration) {
    if (isoDuration == null || isoDuration.isBlank()) {
      throw new IllegalArgumentException("An ISO-8601 duration is required for a due date");
    }
    ZonedDateTime now = ClockUtil.getCurrentTime().toInstant().atZone(zone);
    return Date.from(plus(now, isoDuration.trim()).toInstant());
  }

  /** An instant given as ISO-8601 text ({@code 2026-12-01T10:15:30Z}) as a date, e.g. for a task's due date. */
  public Date at(String isoInstant) {
    return Date.from(Instant.parse(isoInstant));
  }

  /**
   * The deadline {@code isoDuration} after {@code observedAt} (ISO-8601 instant; now on the engine
   * clock when absent), as ISO-8601 text: red-flag SLAs run from the observation, not from the
   * moment the report reached the platform, so a late report may be overdue on arrival.
   */
  public String deadline(String observedAt, String isoDuration) {
    ZonedDateTime from = observedAt == null || observedAt.isBlank()
        ? ClockUtil.getCurrentTime().toInstant().atZone(zone) : Instant.parse(observedAt).atZone(zone);
    return plus(from, isoDuration.trim()).toInstant().toString();
  }

  /**
   * When to ask whether a consult booked for {@code day} took place (F21): the end of that day (UTC) plus
   * {@code isoDuration}, as ISO-8601 text for a timer's {@code timeDate}.
   */
  public static String afterDay(java.time.LocalDate day, String isoDuration) {
    return plus(day.plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC), isoDuration.trim()).toInstant().toString();
  }

  /** Whole minutes from {@code isoInstant} to now on the engine clock (0 when absent or in the future). */
  public long minutesSince(String isoInstant) {
    if (isoInstant == null || isoInstant.isBlank()) {
      return 0;
    }
    long minutes = Duration.between(Instant.parse(isoInstant), ClockUtil.getCurrentTime().toInstant()).toMinutes();
    return Math.max(0, minutes);
  }

  /** {@code from} plus an ISO-8601 duration, time-based or calendar-based; throws DateTimeParseException when it is none. */
  static ZonedDateTime plus(ZonedDateTime from, String iso) {
    try {
      return from.plus(Duration.parse(iso));
    } catch (DateTimeParseException notTimeBased) {
      int t = iso.indexOf('T');
      if (t < 0) {
        return from.plus(Period.parse(iso));
      }
      return from.plus(Period.parse(iso.substring(0, t))).plus(Duration.parse("P" + iso.substring(t)));
    }
  }
}
