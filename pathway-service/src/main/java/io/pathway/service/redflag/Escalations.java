package io.pathway.service.redflag;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The red-flag escalations the service runs, open or concluded, by patient. */
@Component
public class Escalations {

  /** One escalation; {@code pathwayId} is null when it runs stand-alone. */
  public record Escalation(String escalationId, String patientRef, String pathwayId, String adoptedBy, String flags,
      Instant observedAt, Instant endedAt, String outcome) {
    public boolean standAlone() {
      return pathwayId == null;
    }
  }

  private final JdbcTemplate jdbc;

  Escalations(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Serialises the red-flag decisions for one patient (red flag, enrolment) until the transaction
   * ends: a red flag and an enrolment of the same patient arrive on different topics, so in parallel.
   */
  public void lockPatient(String patientRef) {
    jdbc.queryForList("select pg_advisory_xact_lock(hashtext(?))", "red-flag:" + patientRef);
  }

  void register(String escalationId, String patientRef, String pathwayId, String previousPathwayId, String flags, Instant observedAt) {
    jdbc.update("insert into pathway.escalation (escalation_id, patient_ref, pathway_id, previous_pathway_id, flags, observed_at) "
        + "values (?,?,?,?,?,?) on conflict (escalation_id) do nothing",
        escalationId, patientRef, pathwayId, previousPathwayId, flags, Timestamp.from(observedAt));
  }

  void ended(String escalationId, String outcome) {
    jdbc.update("update pathway.escalation set ended_at = now(), outcome = ? where escalation_id = ? and ended_at is null",
        outcome, escalationId);
  }

  /** The patient's escalation under way, if any (at most one, by a unique index). */
  public Optional<Escalation> openFor(String patientRef) {
    return jdbc.query("select * from pathway.escalation where patient_ref = ? and ended_at is null", Escalations::row, patientRef)
        .stream().findFirst();
  }

  /** The patient's newest escalation concluded since {@code since}. */
  public Optional<Escalation> concludedSince(String patientRef, Instant since) {
    return jdbc.query("select * from pathway.escalation where patient_ref = ? and ended_at > ? order by ended_at desc limit 1",
        Escalations::row, patientRef, Timestamp.from(since)).stream().findFirst();
  }

  /**
   * A pathway enrolled while the escalation runs waits for it and ends with its outcome. One adopter per
   * escalation: false when another pathway adopted it already or it has ended (nothing is overwritten).
   */
  public boolean adopt(String escalationId, String pathwayId) {
    return jdbc.update("update pathway.escalation set adopted_by = ? where escalation_id = ? and ended_at is null "
        + "and (adopted_by is null or adopted_by = ?)", pathwayId, escalationId, pathwayId) == 1;
  }

  /** Ids of the stand-alone escalations a pathway waited for (it was enrolled while they ran). */
  public java.util.List<String> adoptedBy(String pathwayId) {
    return jdbc.queryForList("select escalation_id from pathway.escalation where adopted_by = ? order by started_at", String.class, pathwayId);
  }

  public Optional<Escalation> byId(String escalationId) {
    return jdbc.query("select * from pathway.escalation where escalation_id = ?", Escalations::row, escalationId).stream().findFirst();
  }

  void supersede(String escalationId, String urgency) {
    jdbc.update("update pathway.referral_issued set superseded_at = now() where pathway_id = ? and urgency = ? and superseded_at is null",
        escalationId, urgency);
  }

  private static Escalation row(ResultSet rs, int i) throws SQLException {
    Timestamp ended = rs.getTimestamp("ended_at");
    return new Escalation(rs.getString("escalation_id"), rs.getString("patient_ref"), rs.getString("pathway_id"),
        rs.getString("adopted_by"), rs.getString("flags"), rs.getTimestamp("observed_at").toInstant(),
        ended == null ? null : ended.toInstant(), rs.getString("outcome"));
  }
}
