package io.pathway.service.platform;

import io.pathway.service.platform.PathwayProperties;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.springframework.stereotype.Component;

/**
 * How far a time the hospital reports ({@code observedAt}, {@code assessedAt}, {@code performedAt}) is
 * trusted. A time later than the record's receipt plus {@code pathway.clock-skew} (default 5 minutes) is
 * a clock or typing error, not a fact: a red flag's deadline then counts from the receipt (it always counts
 * from the earlier of the two), and a dated follow-up, outcome or result is held for a person.
 */
@Component
public class HospitalClock {

  private final Duration skew;

  public HospitalClock(PathwayProperties properties) {
    this.skew = properties.clockSkew();
  }

  /** The time a deadline may count from: the reported time, never later than the receipt. */
  public Instant trusted(Instant reported, Instant receivedAt) {
    return reported == null || reported.isAfter(receivedAt) ? receivedAt : reported;
  }

  /** True when the reported time lies beyond the allowed skew after the receipt. */
  public boolean ahead(Instant reported, Instant receivedAt) {
    return reported != null && reported.isAfter(receivedAt.plus(skew));
  }

  /** A sentence for a person (task, alert, timeline) naming how far ahead the reported time was; codes and times only. */
  public static String aheadNote(String field, Instant reported, Instant receivedAt) {
    long minutes = Duration.between(receivedAt, reported).toMinutes();
    return field + " " + reported.truncatedTo(ChronoUnit.SECONDS) + " was " + minutes + " minutes after the record was received ("
        + receivedAt.truncatedTo(ChronoUnit.SECONDS) + "): not trusted";
  }
}
