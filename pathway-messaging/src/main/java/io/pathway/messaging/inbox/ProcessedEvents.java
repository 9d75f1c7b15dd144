package io.pathway.messaging.inbox;

import io.pathway.messaging.config.MessagingProperties;
import io.pathway.model.envelope.EventEnvelope;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The {@code processed_event} table: each consumed event once. An event is identified as CloudEvents
 * defines it, by {@code ce_source} and {@code ce_id}: the same id from another source is another event.
 * A handler claims the event when it receives it, in the transaction that applies it, and records the
 * outcome in the same transaction. A redelivery or a copy of the event finds the claim and changes
 * nothing. A second claim of an event whose first claim has not committed yet waits for it (the
 * primary key), then finds it.
 *
 * <p>Rows written before events were keyed by source carry an empty source; such a row still counts as
 * a claim of its id from any source until the retention purge removes it, so an upgrade never applies
 * an event twice.
 */
public class ProcessedEvents {

  /** Outcome of a claim whose handler has not recorded one. */
  public static final String RECEIVED = "RECEIVED";

  /** The source of claims that are not an event's own (see {@link #claim(String, String, String)}). */
  public static final String INTERNAL_SOURCE = "urn:pathway:internal";

  private final JdbcTemplate jdbc;
  private final String claim;
  private final String outcome;
  private final String claimed;

  public ProcessedEvents(JdbcTemplate jdbc, MessagingProperties properties) {
    this.jdbc = jdbc;
    String table = properties.table("processed_event");
    this.claim = "insert into " + table + " (ce_source, ce_id, ce_type, topic, outcome) "
        + "select ?, ?, ?, ?, '" + RECEIVED + "' where not exists (select 1 from " + table
        + " where ce_source = '' and ce_id = ?) on conflict (ce_source, ce_id) do nothing";
    this.outcome = "update " + table + " set outcome = ?, outcome_ref = ? where ce_source = ? and ce_id = ?";
    this.claimed = "select exists (select 1 from " + table + " where ce_source in (?, '') and ce_id = ?)";
  }

  /** Whether the event was claimed (applied, kept or refused) by a committed transaction. */
  public boolean claimed(String source, String id) {
    return Boolean.TRUE.equals(jdbc.queryForObject(claimed, Boolean.class, source, id));
  }

  /** Claims the event; false when it was claimed before (a redelivery or a duplicate): then do nothing. */
  @Transactional(propagation = Propagation.MANDATORY)
  public boolean claim(EventEnvelope event, String topic) {
    return claim(event.source().toString(), event.id(), event.type(), topic);
  }

  /**
   * Claims an id that is not an event's own, e.g. one per dead-lettered record for a step that must
   * run once per record; false when it was claimed before.
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public boolean claim(String id, String type, String topic) {
    return claim(INTERNAL_SOURCE, id, type, topic);
  }

  private boolean claim(String source, String id, String type, String topic) {
    return jdbc.update(claim, source, id, type, topic, id) == 1;
  }

  /** Records what became of a claimed event, and what it concerned ({@code ref}, e.g. a pathway id; may be null). */
  @Transactional(propagation = Propagation.MANDATORY)
  public void recordOutcome(EventEnvelope event, String outcome, String ref) {
    jdbc.update(this.outcome, outcome, ref, event.source().toString(), event.id());
  }

  /** Records what became of a claim made with {@link #claim(String, String, String)}. */
  @Transactional(propagation = Propagation.MANDATORY)
  public void recordOutcome(String id, String outcome, String ref) {
    jdbc.update(this.outcome, outcome, ref, INTERNAL_SOURCE, id);
  }
}
