package io.pathway.service.intake;

import io.pathway.model.EventCatalog;
import io.pathway.model.envelope.EventWriter;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.model.events.DiagnosticResult;
import io.pathway.model.events.PathwayEvent;
import io.pathway.model.events.TreatmentOutcome;
import io.pathway.service.records.PathwayRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Events kept until their pathway or step is there: stored whole, so nothing is lost. */
@Component
public class Inbox {

  /**
   * EXPIRED: the pathway that was active when it came has ended, so it can never match a later episode.
   * HELD: kept for a person and never matched by itself (e.g. dated in the future); a person discards it and
   * asks the sender for a corrected record.
   */
  public enum Status { PENDING, MATCHED, DISCARDED, EXPIRED, HELD }

  /** One kept event. */
  public record Entry(long id, String eventId, String type, String topic, String patientRef, Status status, int attempts,
      String lastError, Instant receivedAt, Instant lastAttemptAt, Instant alertedAt, Instant resolvedAt, String resolvedBy) {}

  private final JdbcTemplate jdbc;
  private final EventWriter codec;
  private final PathwayRegistry registry;

  Inbox(JdbcTemplate jdbc, EventWriter codec, PathwayRegistry registry) {
    this.jdbc = jdbc;
    this.codec = codec;
    this.registry = registry;
  }

  /**
   * Keeps an event (in the caller's transaction), with the pathway it belongs to: the pathway of its
   * order (results, outcomes), else the patient's pathway active now (none when there is none yet).
   */
  public void keep(EventEnvelope e, String topic) {
    insert(e, topic, Status.PENDING, null);
  }

  /** Keeps an event for a person, never to be matched by itself; {@code reason} is a code (e.g. CLOCK_AHEAD). */
  public void hold(EventEnvelope e, String topic, String reason) {
    insert(e, topic, Status.HELD, reason);
  }

  private void insert(EventEnvelope e, String topic, Status status, String heldReason) {
    jdbc.update("insert into pathway.inbox (ce_id, ce_type, topic, record_key, ce_source, ce_subject, ce_time, payload, pathway_id, "
            + "status, held_reason, alerted_at) values (?,?,?,?,?,?,?,?,?,?,?,?) on conflict (ce_source, ce_id) do nothing",
        e.id(), e.type(), topic, e.key(), e.source().toString(), e.subject(),
        e.time() == null ? null : Timestamp.from(e.time().toInstant()), codec.writeData(e.data()), pathwayOf(e.data()),
        status.name(), heldReason, status == Status.HELD ? Timestamp.from(Instant.now()) : null);
  }

  private String pathwayOf(PathwayEvent data) {
    String orderId = data instanceof DiagnosticResult r ? r.orderId() : data instanceof TreatmentOutcome o ? o.orderId() : null;
    if (orderId != null) {
      return registry.order(orderId).map(PathwayRegistry.OrderRef::pathwayId).orElse(null);
    }
    return data.patientRef() == null ? null
        : registry.activeFor(data.patientRef()).map(PathwayRegistry.PathwayRef::pathwayId).orElse(null);
  }

  /** Pending entries whose pathway has ended expire (they never match a later episode); returns how many. */
  public int expireEnded() {
    return jdbc.update("update pathway.inbox i set status = 'EXPIRED', resolved_at = now(), resolved_by = 'system' "
        + "where i.status = 'PENDING' and i.pathway_id is not null and exists (select 1 from pathway.pathway_ref p "
        + "where p.pathway_id = i.pathway_id and p.ended_at is not null)");
  }

  /** Expires this pending entry if its pathway has ended; true if it did. */
  public boolean expireIfEnded(long id) {
    return jdbc.update("update pathway.inbox i set status = 'EXPIRED', resolved_at = now(), resolved_by = 'system' "
        + "where i.id = ? and i.status = 'PENDING' and i.pathway_id is not null and exists (select 1 from pathway.pathway_ref p "
        + "where p.pathway_id = i.pathway_id and p.ended_at is not null)", id) == 1;
  }

  public List<Long> pendingIds(int limit) {
    return jdbc.queryForList("select id from pathway.inbox where status = 'PENDING' order by last_attempt_at nulls first, id limit ?",
        Long.class, limit);
  }

  /** Locks a pending entry for this transaction; empty if another replica has it or it is no longer pending. */
  public Optional<EventEnvelope> lockPending(long id) {
    return jdbc.query("select * from pathway.inbox where id = ? and status = 'PENDING' for update skip locked",
        (rs, i) -> envelope(rs), id).stream().findFirst();
  }

  public void matched(long id, String actor) {
    jdbc.update("update pathway.inbox set status = 'MATCHED', resolved_at = now(), resolved_by = ?, attempts = attempts + 1, "
        + "last_attempt_at = now() where id = ?", actor, id);
  }

  public void stillWaiting(long id, String why) {
    jdbc.update("update pathway.inbox set attempts = attempts + 1, last_attempt_at = now(), last_error = ? where id = ?", why, id);
  }

  public void discarded(long id, String actor) {
    jdbc.update("update pathway.inbox set status = 'DISCARDED', resolved_at = now(), resolved_by = ? where id = ?", actor, id);
  }

  public void audit(long id, String action, String actor, String note) {
    jdbc.update("insert into pathway.inbox_audit (inbox_id, action, actor, note) values (?,?,?,?)", id, action, actor, note);
  }

  /** Pending entries older than {@code age} for which no alert was raised yet; locked for this transaction. */
  public List<Entry> lockUnalerted(Duration age, int limit) {
    return jdbc.query("select * from pathway.inbox where status = 'PENDING' and alerted_at is null and received_at < ? "
        + "order by id limit ? for update skip locked", Inbox::entry, Timestamp.from(Instant.now().minus(age)), limit);
  }

  public void alerted(long id) {
    jdbc.update("update pathway.inbox set alerted_at = now() where id = ?", id);
  }

  public List<Entry> list(Status status, int limit) {
    return status == null
        ? jdbc.query("select * from pathway.inbox order by id desc limit ?", Inbox::entry, limit)
        : jdbc.query("select * from pathway.inbox where status = ? order by id limit ?", Inbox::entry, status.name(), limit);
  }

  public Optional<Entry> find(long id) {
    return jdbc.query("select * from pathway.inbox where id = ?", Inbox::entry, id).stream().findFirst();
  }

  public int pendingCount() {
    Integer n = jdbc.queryForObject("select count(*) from pathway.inbox where status = 'PENDING'", Integer.class);
    return n == null ? 0 : n;
  }

  public double oldestPendingAgeSeconds() {
    Double s = jdbc.queryForObject(
        "select coalesce(extract(epoch from now() - min(received_at)), 0) from pathway.inbox where status = 'PENDING'", Double.class);
    return s == null ? 0 : s;
  }

  private EventEnvelope envelope(ResultSet rs) throws SQLException {
    String type = rs.getString("ce_type");
    Class<? extends PathwayEvent> payloadType = EventCatalog.payloadType(type)
        .orElseThrow(() -> new IllegalStateException("inbox row of unknown type " + type));
    try {
      PathwayEvent data = codec.objectMapper().readValue(rs.getBytes("payload"), payloadType);
      Timestamp time = rs.getTimestamp("ce_time");
      String source = rs.getString("ce_source");
      return new EventEnvelope(rs.getString("ce_id"), type, source == null ? null : URI.create(source),
          rs.getString("ce_subject"), time == null ? null : time.toInstant().atOffset(ZoneOffset.UTC), data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Entry entry(ResultSet rs, int i) throws SQLException {
    return new Entry(rs.getLong("id"), rs.getString("ce_id"), rs.getString("ce_type"), rs.getString("topic"),
        rs.getString("record_key"), Status.valueOf(rs.getString("status")), rs.getInt("attempts"), rs.getString("last_error"),
        instant(rs, "received_at"), instant(rs, "last_attempt_at"), instant(rs, "alerted_at"), instant(rs, "resolved_at"),
        rs.getString("resolved_by"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }
}
