package io.pathway.notification.delivery;

import io.pathway.model.EventTypes;
import io.pathway.model.codes.Channel;
import io.pathway.notification.routing.Destination;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** The {@code notification} and {@code delivery_attempt} tables. */
@Repository
public class NotificationStore {

  static final String COLUMNS = "id, source_event_id, source_type, patient_ref, pathway_id, priority, category, headline,"
      + " details, recipient, channel, round, escalation_level, escalated_from, requires_ack, alert_on_failure, status,"
      + " attempts, next_attempt_at, created_at, delivered_at, failed_at, last_error, acknowledged_at, acknowledged_by";

  static final RowMapper<Notification> ROW = NotificationStore::map;

  private final JdbcClient jdbc;
  private final DeliverySignal signal;

  NotificationStore(JdbcClient jdbc, DeliverySignal signal) {
    this.jdbc = jdbc;
    this.signal = signal;
  }

  /**
   * Inserts a pending notification; false when this event already has one for that recipient, channel
   * and round. Once the transaction that inserted it commits (at once without one), the delivery worker
   * is woken, so a new notification does not wait for the worker's next poll.
   */
  public boolean insert(Notification n) {
    return insert(n, null);
  }

  /** As {@link #insert(Notification)}, for a notification about a referral: {@code referralId} is the referral's id. */
  public boolean insert(Notification n, String referralId) {
    boolean inserted = insertRow(n, referralId);
    if (inserted) {
      wakeAfterCommit();
    }
    return inserted;
  }

  private void wakeAfterCommit() {
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
        @Override
        public void afterCommit() {
          signal.intakeCommitted();
        }
      });
    } else {
      signal.intakeCommitted();
    }
  }

  private boolean insertRow(Notification n, String referralId) {
    return jdbc.sql("""
            insert into notification (id, source_event_id, source_type, patient_ref, pathway_id, priority, category,
              headline, details, recipient, channel, round, escalation_level, escalated_from, requires_ack,
              alert_on_failure, status, attempts, next_attempt_at, created_at, referral_id)
            values (:id, :sourceEventId, :sourceType, :patientRef, :pathwayId, :priority, :category, :headline, :details,
              :recipient, :channel, :round, :level, :escalatedFrom, :requiresAck, :alertOnFailure, 'PENDING', 0, :due, :created,
              :referralId)
            on conflict (source_event_id, recipient, channel, round) do nothing""")
        .param("id", n.id())
        .param("sourceEventId", n.sourceEventId())
        .param("sourceType", n.sourceType())
        .param("patientRef", n.patientRef())
        .param("pathwayId", n.pathwayId())
        .param("priority", n.priority())
        .param("category", n.category())
        .param("headline", n.headline())
        .param("details", n.details())
        .param("recipient", n.recipient())
        .param("channel", n.channel().name())
        .param("round", n.round())
        .param("level", n.escalationLevel())
        .param("escalatedFrom", n.escalatedFrom())
        .param("requiresAck", n.requiresAck())
        .param("alertOnFailure", n.alertOnFailure())
        .param("due", ts(n.nextAttemptAt()))
        .param("created", ts(n.createdAt()))
        .param("referralId", referralId)
        .update() == 1;
  }

  public Optional<Notification> find(UUID id) {
    return jdbc.sql("select " + COLUMNS + " from notification where id = :id").param("id", id).query(ROW).optional();
  }

  /** Every notification of one source event, oldest first. */
  public List<Notification> forSourceEvent(String sourceEventId) {
    return jdbc.sql("select " + COLUMNS + " from notification where source_event_id = :id order by created_at, round, recipient, channel")
        .param("id", sourceEventId)
        .query(ROW)
        .list();
  }

  /** Claim order: critical alerts and emergency referrals first, then high and urgent ones, then the rest. */
  static final String URGENCY_RANK = "case when priority in ('CRITICAL', 'EMERGENCY') then 0"
      + " when priority in ('HIGH', 'URGENT') then 1 else 2 end";

  /**
   * Claims up to {@code limit} due notifications: their {@code next_attempt_at} moves to
   * {@code leaseUntil}, so a worker that dies mid-send releases them when the lease ends.
   * {@code FOR UPDATE SKIP LOCKED} lets several replicas claim side by side without taking the same row.
   * The most urgent due rows are claimed first (critical and emergency before high and urgent before
   * the rest), the longest due first within each; the list comes back in that order.
   */
  List<Notification> claimDue(Instant now, Instant leaseUntil, UUID token, int limit) {
    return jdbc.sql("""
            update notification set next_attempt_at = :lease, claim_token = :token
            where id in (select id from notification where status = 'PENDING' and next_attempt_at <= :now
                         order by\s""" + URGENCY_RANK + """
                         , next_attempt_at limit :limit for update skip locked)
            returning\s""" + COLUMNS)
        .param("lease", ts(leaseUntil))
        .param("token", token)
        .param("now", ts(now))
        .param("limit", limit)
        .query(ROW)
        .list()
        .stream()
        // RETURNING keeps no order: most urgent first, then oldest first
        .sorted(Comparator.comparingInt(Notification::urgencyRank).thenComparing(Notification::createdAt))
        .toList();
  }

  /**
   * Extends the claim of one row just before it is sent, so the lease covers that send however long
   * the batch before it took; false when the claim was lost (or the row cancelled) meanwhile.
   */
  boolean renewClaim(UUID id, UUID token, Instant leaseUntil) {
    return jdbc.sql("update notification set next_attempt_at = :lease where id = :id and claim_token = :token and status = 'PENDING'")
        .param("lease", ts(leaseUntil)).param("id", id).param("token", token)
        .update() == 1;
  }

  /** Records a success; false when the claim was lost (the lease ran out and another worker took over). */
  boolean markDelivered(UUID id, UUID token, int attempts, Instant at) {
    return jdbc.sql("""
            update notification set status = 'DELIVERED', attempts = :attempts, delivered_at = :at, next_attempt_at = null,
              claim_token = null, last_error = null
            where id = :id and claim_token = :token and status = 'PENDING'""")
        .param("attempts", attempts).param("at", ts(at)).param("id", id).param("token", token)
        .update() == 1;
  }

  boolean markRetry(UUID id, UUID token, int attempts, Instant nextAttemptAt, String error) {
    return jdbc.sql("""
            update notification set attempts = :attempts, next_attempt_at = :next, claim_token = null, last_error = :error
            where id = :id and claim_token = :token and status = 'PENDING'""")
        .param("attempts", attempts).param("next", ts(nextAttemptAt)).param("error", error)
        .param("id", id).param("token", token)
        .update() == 1;
  }

  boolean markFailed(UUID id, UUID token, int attempts, Instant at, String error) {
    return jdbc.sql("""
            update notification set status = 'FAILED', attempts = :attempts, failed_at = :at, next_attempt_at = null,
              claim_token = null, last_error = :error
            where id = :id and claim_token = :token and status = 'PENDING'""")
        .param("attempts", attempts).param("at", ts(at)).param("error", error).param("id", id).param("token", token)
        .update() == 1;
  }

  void recordAttempt(UUID notificationId, int attempt, Instant started, Instant finished, boolean delivered,
      String errorClass, String errorMessage) {
    jdbc.sql("""
            insert into delivery_attempt (notification_id, attempt, started_at, finished_at, outcome, error_class, error_message)
            values (:id, :attempt, :started, :finished, :outcome, :errorClass, :errorMessage)""")
        .param("id", notificationId).param("attempt", attempt).param("started", ts(started))
        .param("finished", ts(finished)).param("outcome", delivered ? "DELIVERED" : "FAILED")
        .param("errorClass", errorClass).param("errorMessage", errorMessage)
        .update();
  }

  public List<Attempt> attemptsOf(UUID notificationId) {
    return jdbc.sql("""
            select attempt, started_at, finished_at, outcome, error_class, error_message
            from delivery_attempt where notification_id = :id order by id""")
        .param("id", notificationId)
        .query((rs, i) -> new Attempt(rs.getInt("attempt"), instant(rs, "started_at"), instant(rs, "finished_at"),
            rs.getString("outcome"), rs.getString("error_class"), rs.getString("error_message")))
        .list();
  }

  /** Records an acknowledgement on one notification (the first one counts). */
  public boolean acknowledge(UUID id, String by, Instant at) {
    return jdbc.sql("update notification set acknowledged_at = :at, acknowledged_by = :by where id = :id and acknowledged_at is null")
        .param("at", ts(at)).param("by", by).param("id", id)
        .update() == 1;
  }

  /** Cancels the reminders and escalations of a source event not yet sent; first notices are still delivered. */
  public int cancelPendingFollowUps(String sourceEventId) {
    return jdbc.sql("""
            update notification set status = 'CANCELLED', next_attempt_at = null, claim_token = null
            where source_event_id = :id and status = 'PENDING' and (round > 0 or escalation_level > 0)""")
        .param("id", sourceEventId)
        .update();
  }

  /**
   * The recipients and channels the first notices of a referral went to: the referral named by its {@code referralId},
   * its urgency and its patient (the referrals of one episode share the referralId), whatever became of the notices.
   */
  public List<Destination> referralDestinations(String referralId, String urgency, String patientRef) {
    return jdbc.sql("""
            select distinct recipient, channel from notification
            where referral_id = :referralId and patient_ref = :patientRef and priority = :urgency and source_type = :type
              and round = 0 and escalation_level = 0
            order by recipient, channel""")
        .param("referralId", referralId).param("patientRef", patientRef).param("urgency", urgency)
        .param("type", EventTypes.REFERRAL_ISSUED)
        .query((rs, i) -> new Destination(rs.getString("recipient"), Channel.valueOf(rs.getString("channel"))))
        .list();
  }

  /**
   * Cancels what is still to be sent about a referral that was withdrawn (a notice in its retries, a reminder), so that
   * the referral never reaches anyone after its cancellation; returns how many notifications were cancelled.
   */
  public int cancelPendingOfReferral(String referralId, String urgency, String patientRef) {
    return jdbc.sql("""
            update notification set status = 'CANCELLED', next_attempt_at = null, claim_token = null
            where referral_id = :referralId and patient_ref = :patientRef and priority = :urgency and source_type = :type
              and status = 'PENDING'""")
        .param("referralId", referralId).param("patientRef", patientRef).param("urgency", urgency)
        .param("type", EventTypes.REFERRAL_ISSUED)
        .update();
  }

  /** One page of the delivery log, newest first, filtered by whichever criteria are set. */
  public List<Notification> search(Filter filter, int page, int size) {
    return filter.apply(jdbc.sql("select " + COLUMNS + " from notification" + filter.where()
            + " order by created_at desc, id limit :limit offset :offset"))
        .param("limit", size)
        .param("offset", (long) page * size)
        .query(ROW)
        .list();
  }

  public long count(Filter filter) {
    return filter.apply(jdbc.sql("select count(*) from notification" + filter.where())).query(Long.class).single();
  }

  /** Criteria of {@link #search}; null means any. */
  public record Filter(Notification.Status status, String recipient, String sourceType, String patientRef) {

    String where() {
      StringBuilder w = new StringBuilder();
      if (status != null) {
        w.append(w.isEmpty() ? " where " : " and ").append("status = :status");
      }
      if (recipient != null) {
        w.append(w.isEmpty() ? " where " : " and ").append("recipient = :recipient");
      }
      if (sourceType != null) {
        w.append(w.isEmpty() ? " where " : " and ").append("source_type = :sourceType");
      }
      if (patientRef != null) {
        w.append(w.isEmpty() ? " where " : " and ").append("patient_ref = :patientRef");
      }
      return w.toString();
    }

    JdbcClient.StatementSpec apply(JdbcClient.StatementSpec spec) {
      JdbcClient.StatementSpec s = spec;
      if (status != null) {
        s = s.param("status", status.name());
      }
      if (recipient != null) {
        s = s.param("recipient", recipient);
      }
      if (sourceType != null) {
        s = s.param("sourceType", sourceType);
      }
      if (patientRef != null) {
        s = s.param("patientRef", patientRef);
      }
      return s;
    }
  }

  /** Pending notifications and the creation time of the oldest, for the metrics. */
  PendingSummary pendingSummary() {
    return jdbc.sql("select count(*) as n, min(created_at) as oldest from notification where status = 'PENDING'")
        .query((rs, i) -> new PendingSummary(rs.getLong("n"), instant(rs, "oldest")))
        .single();
  }

  record PendingSummary(long count, Instant oldest) {}

  /** One delivery attempt. */
  public record Attempt(int attempt, Instant startedAt, Instant finishedAt, String outcome, String errorClass, String errorMessage) {}

  static Timestamp ts(Instant i) {
    return i == null ? null : Timestamp.from(i);
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }

  private static Notification map(ResultSet rs, int row) throws SQLException {
    return new Notification(
        rs.getObject("id", UUID.class), rs.getString("source_event_id"), rs.getString("source_type"),
        rs.getString("patient_ref"), rs.getString("pathway_id"), rs.getString("priority"), rs.getString("category"),
        rs.getString("headline"), rs.getString("details"), rs.getString("recipient"),
        Channel.valueOf(rs.getString("channel")), rs.getInt("round"), rs.getInt("escalation_level"),
        rs.getObject("escalated_from", UUID.class), rs.getBoolean("requires_ack"), rs.getBoolean("alert_on_failure"),
        Notification.Status.valueOf(rs.getString("status")), rs.getInt("attempts"), instant(rs, "next_attempt_at"),
        instant(rs, "created_at"), instant(rs, "delivered_at"), instant(rs, "failed_at"), rs.getString("last_error"),
        instant(rs, "acknowledged_at"), rs.getString("acknowledged_by"));
  }
}
