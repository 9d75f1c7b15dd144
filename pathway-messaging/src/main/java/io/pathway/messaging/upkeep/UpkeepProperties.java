package io.pathway.messaging.upkeep;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the table upkeep, {@code pathway.messaging.upkeep.*}.
 *
 * @param mode {@code AUTO} (the default): only while the server's autovacuum is off; {@code ALWAYS}; {@code OFF}
 * @param interval time between two rounds
 */
@ConfigurationProperties("pathway.messaging.upkeep")
public record UpkeepProperties(@DefaultValue("AUTO") Mode mode, @DefaultValue("PT30S") Duration interval) {

  /** When the upkeep runs. */
  public enum Mode {
    /** While PostgreSQL's autovacuum (or its statistics counting) is off; a server that keeps its own tables is left alone. */
    AUTO,
    /** Every round, whatever the server does. */
    ALWAYS,
    /** Never. */
    OFF
  }

  public UpkeepProperties {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalStateException("pathway.messaging.upkeep.interval must be positive, not " + interval);
    }
  }
}
