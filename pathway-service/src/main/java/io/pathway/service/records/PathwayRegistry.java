package io.pathway.service.records;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The service's own index of pathways and orders, so that events find their pathway by a key lookup. */
@Component
public class PathwayRegistry {

  /** One pathway (episode). */
  public record PathwayRef(String pathwayId, String referralId, String patientRef, Instant startedAt, Instant endedAt,
      String outcome, String stage) {
    public boolean active() {
      return endedAt == null;
    }
  }

  /** One order placed by a pathway; {@code processInstanceId} is the step that awaits its result. */
  public record OrderRef(String orderId, String pathwayId, String processInstanceId, String patientRef, String kind, String code) {}

  private final JdbcTemplate jdbc;

  PathwayRegistry(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  public void registerPathway(String pathwayId, String referralId, String patientRef) {
    jdbc.update("insert into pathway.pathway_ref (pathway_id, referral_id, patient_ref, stage) values (?,?,?, 'ENROLMENT') "
        + "on conflict (pathway_id) do nothing", pathwayId, referralId, patientRef);
  }

  /**
   * A red-flag escalation run for a patient with no active pathway is listed with the patient's
   * pathways (kind ESCALATION), so that it is on the patient's timeline; events never route to it as a pathway.
   */
  public void registerStandAloneEscalation(String escalationId, String referralId, String patientRef) {
    jdbc.update("insert into pathway.pathway_ref (pathway_id, referral_id, patient_ref, stage, kind) "
        + "values (?,?,?, 'RED_FLAG_ESCALATION', 'ESCALATION') on conflict (pathway_id) do nothing", escalationId, referralId, patientRef);
  }

  /** The patient's newest pathway (kind PATHWAY), ended or not. */
  public Optional<PathwayRef> lastFor(String patientRef) {
    return jdbc.query("select * from pathway.pathway_ref where patient_ref = ? and kind = 'PATHWAY' order by started_at desc limit 1",
        PathwayRegistry::pathway, patientRef).stream().findFirst();
  }

  public Optional<PathwayRef> byReferral(String referralId) {
    return jdbc.query("select * from pathway.pathway_ref where referral_id = ?", PathwayRegistry::pathway, referralId)
        .stream().findFirst();
  }

  public Optional<PathwayRef> byId(String pathwayId) {
    return jdbc.query("select * from pathway.pathway_ref where pathway_id = ?", PathwayRegistry::pathway, pathwayId)
        .stream().findFirst();
  }

  /** The patient's active pathway, the newest if (unusually) there are several. */
  public Optional<PathwayRef> activeFor(String patientRef) {
    return jdbc.query("select * from pathway.pathway_ref where patient_ref = ? and ended_at is null and kind = 'PATHWAY' "
            + "order by started_at desc limit 1",
        PathwayRegistry::pathway, patientRef).stream().findFirst();
  }

  public List<PathwayRef> allFor(String patientRef) {
    return jdbc.query("select * from pathway.pathway_ref where patient_ref = ? order by started_at desc",
        PathwayRegistry::pathway, patientRef);
  }

  public void stageChanged(String pathwayId, String stage) {
    jdbc.update("update pathway.pathway_ref set stage = ? where pathway_id = ?", stage, pathwayId);
  }

  public void ended(String pathwayId, String outcome) {
    jdbc.update("update pathway.pathway_ref set ended_at = now(), outcome = ?, stage = 'COMPLETED' where pathway_id = ? and ended_at is null",
        outcome, pathwayId);
  }

  public void registerOrder(OrderRef order) {
    jdbc.update("insert into pathway.order_ref (order_id, pathway_id, process_instance_id, patient_ref, kind, code) values (?,?,?,?,?,?)",
        order.orderId(), order.pathwayId(), order.processInstanceId(), order.patientRef(), order.kind(), order.code());
  }

  public Optional<OrderRef> order(String orderId) {
    return jdbc.query("select * from pathway.order_ref where order_id = ?",
        (rs, i) -> new OrderRef(rs.getString("order_id"), rs.getString("pathway_id"), rs.getString("process_instance_id"),
            rs.getString("patient_ref"), rs.getString("kind"), rs.getString("code")), orderId).stream().findFirst();
  }

  /** Claims the one referral of this urgency for the pathway; false if it was issued already. */
  public boolean claimReferral(String pathwayId, String urgency) {
    return jdbc.update("insert into pathway.referral_issued (pathway_id, urgency) values (?,?) on conflict do nothing",
        pathwayId, urgency) == 1;
  }

  /**
   * Marks the issued referral of this urgency cancelled; false when there is none (never issued) or it was cancelled
   * already, so that it is cancelled towards the office at most once.
   */
  public boolean cancelReferral(String pathwayId, String urgency, String reason) {
    return jdbc.update("update pathway.referral_issued set cancelled_at = now(), cancel_reason = ? "
        + "where pathway_id = ? and urgency = ? and ce_id is not null and cancelled_at is null", reason, pathwayId, urgency) == 1;
  }

  public void referralEvent(String pathwayId, String urgency, String ceId) {
    jdbc.update("update pathway.referral_issued set ce_id = ? where pathway_id = ? and urgency = ?", ceId, pathwayId, urgency);
  }

  private static PathwayRef pathway(ResultSet rs, int i) throws SQLException {
    var ended = rs.getTimestamp("ended_at");
    return new PathwayRef(rs.getString("pathway_id"), rs.getString("referral_id"), rs.getString("patient_ref"),
        rs.getTimestamp("started_at").toInstant(), ended == null ? null : ended.toInstant(), rs.getString("outcome"),
        rs.getString("stage"));
  }
}
