package io.pathway.notification.escalation;

import io.pathway.notification.NotificationProperties;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code escalation} table: one row per source event awaiting acknowledgement. */
@Repository
public class EscalationStore {

  private final JdbcClient jdbc;
  private final NotificationProperties.Escalation config;

  EscalationStore(JdbcClient jdbc, NotificationProperties properties) {
    this.jdbc = jdbc;
    this.config = properties.escalation();
  }

  /** Starts the reminder and escalation clock of a source event (once). */
  public void open(String sourceEventId, UUID originalNotificationId, Instant now) {
    jdbc.sql("""
            insert into escalation (source_event_id, original_notification_id, started_at, next_renotify_at, next_step_at)
            values (:id, :original, :now, :renotify, :step) on conflict (source_event_id) do nothing""")
        .param("id", sourceEventId)
        .param("original", originalNotificationId)
        .param("now", ts(now))
        .param("renotify", ts(now.plus(config.renotifyAfter())))
        .param("step", ts(now.plus(config.stepAfter())))
        .update();
  }

  /** Stops the chain; false when it was already acknowledged or there is none. */
  boolean acknowledge(String sourceEventId, UUID notificationId, String by, Instant at) {
    return jdbc.sql("""
            update escalation set acknowledged_at = :at, acknowledged_by = :by, acknowledged_notification_id = :nid,
              next_renotify_at = null, next_step_at = null
            where source_event_id = :id and acknowledged_at is null""")
        .param("at", ts(at)).param("by", by).param("nid", notificationId).param("id", sourceEventId)
        .update() == 1;
  }

  /** Locks and returns open escalations with something due; other replicas skip the locked ones. */
  List<Escalation> lockDue(Instant now, int limit) {
    return jdbc.sql("""
            select * from escalation
            where acknowledged_at is null and (next_renotify_at <= :now or next_step_at <= :now)
            order by started_at limit :limit for update skip locked""")
        .param("now", ts(now)).param("limit", limit)
        .query(EscalationStore::map)
        .list();
  }

  void update(Escalation e) {
    jdbc.sql("""
            update escalation set renotify_round = :round, next_renotify_at = :renotify, ladder_step = :step,
              next_step_at = :nextStep where source_event_id = :id""")
        .param("round", e.renotifyRound()).param("renotify", ts(e.nextRenotifyAt()))
        .param("step", e.ladderStep()).param("nextStep", ts(e.nextStepAt())).param("id", e.sourceEventId())
        .update();
  }

  public Optional<Escalation> find(String sourceEventId) {
    return jdbc.sql("select * from escalation where source_event_id = :id").param("id", sourceEventId)
        .query(EscalationStore::map).optional();
  }

  /** The state of one chain. */
  public record Escalation(String sourceEventId, UUID originalNotificationId, Instant startedAt, int renotifyRound,
      Instant nextRenotifyAt, int ladderStep, Instant nextStepAt, Instant acknowledgedAt, String acknowledgedBy) {

    Escalation next(int round, Instant renotifyAt, int step, Instant stepAt) {
      return new Escalation(sourceEventId, originalNotificationId, startedAt, round, renotifyAt, step, stepAt, acknowledgedAt,
          acknowledgedBy);
    }
  }

  private static Escalation map(ResultSet rs, int row) throws SQLException {
    return new Escalation(rs.getString("source_event_id"), rs.getObject("original_notification_id", UUID.class),
        instant(rs, "started_at"), rs.getInt("renotify_round"), instant(rs, "next_renotify_at"), rs.getInt("ladder_step"),
        instant(rs, "next_step_at"), instant(rs, "acknowledged_at"), rs.getString("acknowledged_by"));
  }

  private static Timestamp ts(Instant i) {
    return i == null ? null : Timestamp.from(i);
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }
}
