package io.pathway.service.fhir;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The deliveries the notification service reported, by the alert or referral event they delivered. */
@Component
class DeliveryLog {

  /** One report: delivered, or failed after every attempt. */
  record Delivery(String notificationId, boolean delivered, String channel, String recipient, int attempts, String reason, Instant at) {}

  private final JdbcTemplate jdbc;

  DeliveryLog(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** Records a report once and marks the pathway of the source event for projection; false if known already. */
  boolean record(String notificationId, boolean delivered, String sourceEventId, String patientRef, String channel, String recipient,
      int attempts, String reason, Instant at) {
    String pathwayId = jdbc.queryForList("select pathway_id from pathway.journal where patient_ref = ? and ce_id = ? limit 1",
        String.class, patientRef, sourceEventId).stream().findFirst().orElse(null);
    int added = jdbc.update("insert into pathway.fhir_delivery (notification_id, delivered, source_event_id, pathway_id, channel, "
        + "recipient, attempts, reason, at) values (?,?,?,?,?,?,?,?,?) on conflict do nothing",
        notificationId, delivered, sourceEventId, pathwayId, channel, recipient, attempts,
        reason == null ? null : reason.substring(0, Math.min(500, reason.length())), Timestamp.from(at == null ? Instant.now() : at));
    if (added == 1 && pathwayId != null) {
      jdbc.queryForList("select pathway.fhir_mark_stale(pathway.fhir_owner(?))", pathwayId);
    }
    return added == 1;
  }

  List<Delivery> forSource(String sourceEventId) {
    return jdbc.query("select * from pathway.fhir_delivery where source_event_id = ? order by at, notification_id",
        (rs, i) -> new Delivery(rs.getString("notification_id"), rs.getBoolean("delivered"), rs.getString("channel"),
            rs.getString("recipient"), rs.getInt("attempts"), rs.getString("reason"), rs.getTimestamp("at").toInstant()),
        sourceEventId);
  }
}
