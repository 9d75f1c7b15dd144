package io.pathway.service.treatment;

import io.pathway.bpmn.rules.RuleFacts;
import io.pathway.bpmn.rules.RuleSettings;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The facts the hard rules read, in the service's own tables: written when the service accepts a
 * result, an outcome or a follow-up, and when the pathway passes its own steps; read back by pathway.
 */
@Component
public class RuleFactStore {

  /** The enrolment as recorded at start. */
  public record Enrolment(String pathwayId, String patientRef, String steroidKind, LocalDate steroidDate, String imagingFindings,
      String painPattern, LocalDate symptomOnsetDate, Integer neuropathicScore, boolean findingsVerified, String imagingLevel,
      String imagingSide) {}

  /** Where a follow-up came from. */
  public enum FollowUpSource { EVENT, TASK }

  /** What became of a follow-up. */
  public enum FollowUpStatus { APPLIED, EARLY, UNMATCHED }

  private final JdbcTemplate jdbc;

  RuleFactStore(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  // ------------------------------------------------------------------ writing

  public void enrolled(Enrolment e) {
    jdbc.update("insert into pathway.enrolment_fact (pathway_id, patient_ref, steroid_kind, steroid_date, imaging_findings, "
            + "pain_pattern, symptom_onset_date, neuropathic_score, findings_verified, imaging_level, imaging_side) "
            + "values (?,?,?,?,?,?,?,?,?,?,?) "
            + "on conflict (pathway_id) do nothing",
        e.pathwayId(), e.patientRef(), e.steroidKind(), Date.valueOf(e.steroidDate()),
        e.imagingFindings() == null ? "" : e.imagingFindings(), e.painPattern(),
        e.symptomOnsetDate() == null ? null : Date.valueOf(e.symptomOnsetDate()), e.neuropathicScore(), e.findingsVerified(),
        e.imagingLevel(), e.imagingSide());
  }

  /** A clinician confirmed, at the hypotheses gate, the findings a coordinator entered on the start form (F17). */
  public void findingsConfirmed(String pathwayId, String by) {
    jdbc.update("update pathway.enrolment_fact set findings_verified = true, findings_confirmed_by = ? where pathway_id = ?", by,
        pathwayId);
  }

  public void settings(String pathwayId, int reliefThreshold, int electiveMinDays, int neuromodulationMinMeasures, int sustainedMinDays,
      int blockReliefThreshold) {
    jdbc.update("insert into pathway.rule_settings (pathway_id, relief_threshold_percent, elective_min_failed_care_days, "
            + "neuromodulation_min_failed_measures, sustained_relief_min_days, block_relief_threshold_percent) values (?,?,?,?,?,?) "
            + "on conflict (pathway_id) do nothing",
        pathwayId, reliefThreshold, electiveMinDays, neuromodulationMinMeasures, sustainedMinDays, blockReliefThreshold);
  }

  /**
   * Records a result of an order. Every result is kept: the rules read the latest one of each order
   * ({@link #facts}), so a correction replaces what the rules see while the earlier result stays on record.
   */
  public void result(String pathwayId, RuleFacts.Result r) {
    jdbc.update("insert into pathway.result_fact (order_id, pathway_id, test, outcome, side, level, relief_percent, mri_finding, "
            + "performed_at) values (?,?,?,?,?,?,?,?,?)",
        r.orderId(), pathwayId, r.test(), r.outcome(), r.side(), r.level(), r.reliefPercent(), r.mriFinding(), ts(r.performedAt()));
  }

  /** F11: the coordinator's note on the chase that closed the order without a result (on its latest, not-done row). */
  public void chaseNote(String orderId, String note) {
    if (note == null || note.isBlank()) {
      return;
    }
    jdbc.update("update pathway.result_fact set note = ? where id = (select max(id) from pathway.result_fact where order_id = ?)",
        note.length() > 2000 ? note.substring(0, 2000) : note, orderId);
  }

  /**
   * F11: the tests of the pathway closed by a chase without a result (their latest row says not done or cancelled), one line
   * each with the date and the coordinator's note, for the clinician who confirms the diagnosis; empty when there is none.
   */
  public String chaseNotes(String pathwayId) {
    List<String> lines = jdbc.query("select test, outcome, received_at, note from (select distinct on (order_id) * from "
            + "pathway.result_fact where pathway_id = ? order by order_id, id desc) latest where outcome in ('NOT_DONE', 'CANCELLED') "
            + "order by id",
        (rs, i) -> io.pathway.service.platform.CodeLabels.of(rs.getString("test")) + ": "
            + ("NOT_DONE".equals(rs.getString("outcome")) ? "not done" : "cancelled")
            + (rs.getTimestamp("received_at") == null ? "" : " (closed " + rs.getTimestamp("received_at").toInstant()
                .atZone(java.time.ZoneOffset.UTC).toLocalDate() + ")")
            + ": " + (rs.getString("note") == null ? "no note given" : rs.getString("note")), pathwayId);
    return String.join("\n", lines);
  }

  /** The latest result recorded for an order, if any. */
  public Optional<RuleFacts.Result> latestResult(String orderId) {
    return jdbc.query("select * from pathway.result_fact where order_id = ? order by id desc limit 1", RuleFactStore::result, orderId)
        .stream().findFirst();
  }

  /** Records an outcome the pathway took (delivered to its procedure's step): the first one of the order counts. */
  public void outcome(String pathwayId, RuleFacts.Outcome o, Boolean sustained) {
    jdbc.update("insert into pathway.treatment_fact (order_id, pathway_id, treatment, pain_reduction_percent, assessed_at, sustained) "
        + "values (?,?,?,?,?,?) on conflict (order_id) do nothing", o.orderId(), pathwayId, o.treatment(), o.painReductionPercent(),
        ts(o.assessedAt()), sustained);
  }

  /** Why the platform cancelled the order, if it did (red flag, withdrawal, superseded, evidence withdrawn, not done). */
  public Optional<String> orderCancelReason(String orderId) {
    return jdbc.query("select cancel_reason from pathway.order_ref where order_id = ? and cancelled_at is not null",
        (rs, i) -> rs.getString(1), orderId).stream().findFirst();
  }

  /** When a procedure's outcome may first count: its scheduled date (null until scheduled) and its minimum interval. */
  public record Procedure(LocalDate scheduledFor, String outcomeMinInterval) {}

  /** A procedure was ordered: its minimum interval is fixed on the order (later configuration changes do not move it). */
  public void procedureOrdered(String orderId, String outcomeMinInterval) {
    jdbc.update("update pathway.order_ref set outcome_min_interval = ? where order_id = ?", outcomeMinInterval, orderId);
  }

  /** The coordinator scheduled the procedure of this order instance (completion of "Schedule procedure"). */
  public void procedureScheduled(String orderProcessInstanceId, LocalDate scheduledFor) {
    jdbc.update("update pathway.order_ref set scheduled_for = ? where process_instance_id = ? and kind = 'PROCEDURE'",
        Date.valueOf(scheduledFor), orderProcessInstanceId);
  }

  public Optional<Procedure> procedure(String orderId) {
    return jdbc.query("select scheduled_for, outcome_min_interval from pathway.order_ref where order_id = ?", (rs, i) -> new Procedure(
        rs.getDate(1) == null ? null : rs.getDate(1).toLocalDate(), rs.getString(2)), orderId).stream().findFirst();
  }

  public void followUp(String pathwayId, FollowUpStatus status, String steroidKind, int painReductionPercent, Boolean sustained,
      Instant assessedAt, FollowUpSource source) {
    jdbc.update("insert into pathway.follow_up_fact (pathway_id, status, steroid_kind, pain_reduction_percent, sustained, assessed_at, "
        + "source) values (?,?,?,?,?,?,?)", pathwayId, status.name(), steroidKind, painReductionPercent, sustained, ts(assessedAt),
        source.name());
  }

  public void decision(String pathwayId, String kind, String value, String detail) {
    jdbc.update("insert into pathway.decision_fact (pathway_id, kind, value, detail) values (?,?,?,?)", pathwayId, kind, value, detail);
  }

  public void ruleCheck(String pathwayId, String proposedTreatment, String proposedProcedure, String selectedTreatment,
      String selectedProcedure, String diagnosis, String reason, String rule) {
    jdbc.update("insert into pathway.rule_check (pathway_id, proposed_treatment, proposed_procedure, selected_treatment, "
            + "selected_procedure, diagnosis, override_reason, rule) values (?,?,?,?,?,?,?,?)", pathwayId, proposedTreatment,
        proposedProcedure, selectedTreatment, selectedProcedure, diagnosis, reason, rule);
  }

  // ------------------------------------------------------------------ reading

  public Optional<Enrolment> enrolment(String pathwayId) {
    return jdbc.query("select * from pathway.enrolment_fact where pathway_id = ?", (rs, i) -> new Enrolment(
        rs.getString("pathway_id"), rs.getString("patient_ref"), rs.getString("steroid_kind"),
        rs.getDate("steroid_date").toLocalDate(), rs.getString("imaging_findings"), rs.getString("pain_pattern"),
        rs.getDate("symptom_onset_date") == null ? null : rs.getDate("symptom_onset_date").toLocalDate(),
        (Integer) rs.getObject("neuropathic_score"), rs.getBoolean("findings_verified"), rs.getString("imaging_level"),
        rs.getString("imaging_side")), pathwayId)
        .stream().findFirst();
  }

  /** The settings the pathway started with; the defaults of the configuration if it has none recorded. */
  public Optional<int[]> settingsRow(String pathwayId) {
    return jdbc.query("select * from pathway.rule_settings where pathway_id = ?", (rs, i) -> new int[] {
        rs.getInt("relief_threshold_percent"), rs.getInt("elective_min_failed_care_days"),
        rs.getInt("neuromodulation_min_failed_measures"), rs.getInt("sustained_relief_min_days"),
        rs.getInt("block_relief_threshold_percent")}, pathwayId).stream().findFirst();
  }

  public Optional<RuleSettings> settings(String pathwayId) {
    return settingsRow(pathwayId).map(s -> new RuleSettings(s[1], s[2], s[0], s[4]));
  }

  /** Pain reduction and sustained of the follow-up the pathway accepted last, if any. */
  public Optional<Object[]> appliedFollowUp(String pathwayId) {
    return jdbc.query("select pain_reduction_percent, sustained from pathway.follow_up_fact where pathway_id = ? and status = 'APPLIED' "
        + "order by id desc limit 1", (rs, i) -> new Object[] {rs.getInt(1), (Boolean) rs.getObject(2)}, pathwayId).stream().findFirst();
  }

  public RuleFacts facts(String pathwayId) {
    Optional<Enrolment> e = enrolment(pathwayId);
    // the latest result of each order (a correction replaces what the rules read), in the order the first results came
    List<RuleFacts.Result> results = jdbc.query("select latest.* from (select distinct on (order_id) * from pathway.result_fact "
            + "where pathway_id = ? order by order_id, id desc) latest join (select order_id, min(id) first_id from pathway.result_fact "
            + "where pathway_id = ? group by order_id) f using (order_id) order by f.first_id",
        RuleFactStore::result, pathwayId, pathwayId);
    List<RuleFacts.Outcome> outcomes = jdbc.query(
        "select * from pathway.treatment_fact where pathway_id = ? order by received_at, order_id",
        (rs, i) -> new RuleFacts.Outcome(rs.getString("order_id"), rs.getString("treatment"), rs.getInt("pain_reduction_percent"),
            instant(rs, "assessed_at")), pathwayId);
    Instant failure = jdbc.query("select assessed_at from pathway.follow_up_fact where pathway_id = ? and status = 'APPLIED' "
        + "order by id desc limit 1", (rs, i) -> instant(rs, "assessed_at"), pathwayId).stream().findFirst().orElse(null);
    String diagnosis = latest(pathwayId, "DIAGNOSIS").map(d -> d[0]).orElse(null);
    String[] proposal = latest(pathwayId, "TREATMENT_PROPOSAL").orElse(new String[2]);
    Set<String> imaging = e.map(Enrolment::imagingFindings).filter(s -> !s.isBlank())
        .map(s -> Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).collect(Collectors.toSet()))
        .orElse(Set.of());
    return new RuleFacts(e.map(Enrolment::steroidKind).orElse(null), e.map(Enrolment::steroidDate).orElse(null), imaging,
        e.map(Enrolment::painPattern).orElse(null), failure, results, outcomes, diagnosis, proposal[0], proposal[1],
        e.map(Enrolment::neuropathicScore).orElse(null), e.map(Enrolment::findingsVerified).orElse(false),
        e.map(Enrolment::imagingLevel).orElse(null), e.map(Enrolment::imagingSide).orElse(null));
  }

  private Optional<String[]> latest(String pathwayId, String kind) {
    return jdbc.query("select value, detail from pathway.decision_fact where pathway_id = ? and kind = ? order by id desc limit 1",
        (rs, i) -> new String[] {rs.getString("value"), rs.getString("detail")}, pathwayId, kind).stream().findFirst();
  }

  private static RuleFacts.Result result(ResultSet rs, int row) throws SQLException {
    return new RuleFacts.Result(rs.getString("order_id"), rs.getString("test"), rs.getString("outcome"), rs.getString("side"),
        rs.getString("level"), (Integer) rs.getObject("relief_percent"), rs.getString("mri_finding"), instant(rs, "performed_at"));
  }

  private static Timestamp ts(Instant i) {
    return i == null ? null : Timestamp.from(i);
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }
}
