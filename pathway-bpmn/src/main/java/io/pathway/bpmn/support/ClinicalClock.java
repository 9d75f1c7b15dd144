package io.pathway.bpmn.support;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import org.camunda.bpm.engine.impl.util.ClockUtil;

/**
 * Whole days on the engine clock, for expressions such as
 * {@code ${clinicalClock.daysSince(steroidDate)}}. Reads {@link ClockUtil} so that process tests
 * can move time.
 */
public class ClinicalClock {

  private final ZoneId zone;

  /** Days counted in the JVM's default time zone. */
  public ClinicalClock() {
    this(ZoneId.systemDefault());
  }

  public ClinicalClock(ZoneId zone) {
    this.zone = zone;
  }

  /**
   * Whole days from {@code isoDate} (an ISO date such as {@code 2026-02-20}, or an ISO date-time
   * whose date part is used) to today on the engine clock. Negative for a date in the future.
   */
  public long daysSince(String isoDate) {
    if (isoDate == null || isoDate.isBlank()) {
      throw new IllegalArgumentException("A date is required to count days since it");
    }
    String datePart = isoDate.length() > 10 ? isoDate.substring(0, 10) : isoDate;
    LocalDate from = LocalDate.parse(datePart);
    LocalDate today = ClockUtil.getCurrentTime().toInstant().atZone(zone).toLocalDate();
    return ChronoUnit.DAYS.between(from, today);
  }

  /**
   * Whole months from {@code isoDate} to today on the engine clock, or null when the date is absent
   * (so that a decision rule on it simply does not match).
   */
  public Long monthsSince(Object isoDate) {
    if (isoDate == null || isoDate.toString().isBlank()) {
      return null;
    }
    String text = isoDate.toString();
    LocalDate from = LocalDate.parse(text.length() > 10 ? text.substring(0, 10) : text);
    LocalDate today = ClockUtil.getCurrentTime().toInstant().atZone(zone).toLocalDate();
    return ChronoUnit.MONTHS.between(from, today);
  }
}
