package io.pathway.messaging.inbox;

import io.pathway.messaging.config.MessagingProperties;
import io.pathway.model.envelope.EventEnvelope;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The {@code processed_event} table: each consumed event once. A handler claims the event when it
 * receives it, in the transaction that applies it, and records the outcome in the same transaction.
 * A redelivery or a copy of the event finds the claim and changes nothing. A second claim of an event
 * whose first claim has not committed yet waits for it (the primary key), then finds it.
 */
public class ProcessedEvents {

  /** Outcome of a claim whose handler has not recorded one. */
  public static final String RECEIVED = "RECEIVED";

  private final JdbcTemplate jdbc;
  private final String claim;
  private final String outcome;

  public ProcessedEvents(JdbcTemplate jdbc, MessagingProperties properties) {
    this.jdbc = jdbc;
    String table = properties.table("processed_event");
    this.claim = "insert into " + table + " (ce_id, ce_type, topic, outcome) values (?, ?, ?, '" + RECEIVED + "') "
        + "on conflict (ce_id) do nothing";
    this.outcome = "update " + table + " set outcome = ?, outcome_ref = ? where ce_id = ?";
  }

  /** Claims the event; false when it was claimed before (a redelivery or a duplicate): then do nothing. */
  @Transactional(propagation = Propagation.MANDATORY)
  public boolean claim(EventEnvelope event, String topic) {
    return claim(event.id(), event.type(), topic);
  }

  /**
   * Claims an id that is not an event's own, e.g. one per dead-lettered record for a step that must
   * run once per record; false when it was claimed before.
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public boolean claim(String id, String type, String topic) {
    return jdbc.update(claim, id, type, topic) == 1;
  }

  /** Records what became of a claimed event, and what it concerned ({@code ref}, e.g. a pathway id; may be null). */
  @Transactional(propagation = Propagation.MANDATORY)
  public void recordOutcome(String ceId, String outcome, String ref) {
    jdbc.update(this.outcome, outcome, ref, ceId);
  }
}
