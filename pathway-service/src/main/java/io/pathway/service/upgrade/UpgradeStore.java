package io.pathway.service.upgrade;

import io.pathway.service.upgrade.Upgrades.Item;
import io.pathway.service.upgrade.Upgrades.Run;
import io.pathway.service.upgrade.Upgrades.Status;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Dry runs, runs and their pathways, in the service's tables (V70). */
@Component
class UpgradeStore {

  /** A stored dry run: its JSON report and the token its page form sends back. */
  record StoredDryRun(String id, String targetDefinitionId, String formToken, String report) {}

  private final JdbcTemplate jdbc;

  UpgradeStore(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  void saveDryRun(String id, String targetDefinitionId, int targetVersion, String by, String formToken, String report) {
    jdbc.update("insert into pathway.upgrade_dry_run (id, target_definition_id, target_version, requested_by, form_token, report) "
        + "values (?,?,?,?,?,?)", id, targetDefinitionId, targetVersion, by, formToken, report);
  }

  Optional<StoredDryRun> dryRun(String id) {
    return jdbc.query("select id, target_definition_id, form_token, report from pathway.upgrade_dry_run where id = ?",
        (rs, i) -> new StoredDryRun(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)), id).stream().findFirst();
  }

  void saveRun(String id, String dryRunId, String targetDefinitionId, int targetVersion, String by) {
    jdbc.update("insert into pathway.upgrade_run (id, dry_run_id, target_definition_id, target_version, requested_by) values (?,?,?,?,?)",
        id, dryRunId, targetDefinitionId, targetVersion, by);
  }

  void saveItem(String runId, String pathwayId, String patientRef, String sourceDefinitionId, int sourceVersion, Status status,
      String decisionChanges, String note) {
    jdbc.update("insert into pathway.upgrade_item (run_id, pathway_id, patient_ref, source_definition_id, source_version, status, "
        + "decision_changes, note) values (?,?,?,?,?,?,?,?)", runId, pathwayId, patientRef, sourceDefinitionId, sourceVersion,
        status.name(), decisionChanges, note);
  }

  void submitted(String runId, String pathwayId, String batchId) {
    jdbc.update("update pathway.upgrade_item set status = 'SUBMITTED', batch_id = ?, updated_at = now() where run_id = ? and pathway_id = ?",
        batchId, runId, pathwayId);
  }

  void status(String runId, String pathwayId, Status status, String note) {
    jdbc.update("update pathway.upgrade_item set status = ?, note = coalesce(?, note), updated_at = now() where run_id = ? and pathway_id = ?",
        status.name(), note, runId, pathwayId);
  }

  void migrated(String runId, String pathwayId, String reviewTaskId) {
    jdbc.update("update pathway.upgrade_item set status = 'MIGRATED', recheck = 'PENDING', review_task_id = ?, updated_at = now() "
        + "where run_id = ? and pathway_id = ?", reviewTaskId, runId, pathwayId);
  }

  /** Marks the pending re-check of the pathway done with the gate's verdict; returns the runs it concerned. */
  List<String> rechecked(String pathwayId, String verdict) {
    return jdbc.queryForList("update pathway.upgrade_item set recheck = ?, updated_at = now() where pathway_id = ? and recheck = 'PENDING' "
        + "returning run_id", String.class, verdict, pathwayId);
  }

  /** Open items (HELD or SUBMITTED) with what their run says, oldest run first. */
  List<OpenItem> open() {
    return jdbc.query("select i.*, r.dry_run_id, r.target_definition_id, r.target_version, r.requested_by from pathway.upgrade_item i "
        + "join pathway.upgrade_run r on r.id = i.run_id where i.status in ('HELD', 'SUBMITTED') order by r.requested_at, i.pathway_id",
        (rs, i) -> new OpenItem(item(rs), rs.getString("run_id"), rs.getString("dry_run_id"), rs.getString("target_definition_id"),
            rs.getInt("target_version"), rs.getString("requested_by"), rs.getString("decision_changes")));
  }

  /** An open item of a run. */
  record OpenItem(Item item, String runId, String dryRunId, String targetDefinitionId, int targetVersion, String requestedBy,
      String decisionChanges) {}

  Optional<Run> run(String id) {
    return jdbc.query("select * from pathway.upgrade_run where id = ?", (rs, i) -> new Run(rs.getString("id"), rs.getString("dry_run_id"),
        rs.getString("target_definition_id"), rs.getInt("target_version"), rs.getString("requested_by"),
        rs.getTimestamp("requested_at").toInstant(), items(id)), id).stream().findFirst();
  }

  List<Run> runs() {
    return jdbc.queryForList("select id from pathway.upgrade_run order by requested_at desc limit 50", String.class).stream()
        .map(this::run).flatMap(Optional::stream).toList();
  }

  private List<Item> items(String runId) {
    return jdbc.query("select * from pathway.upgrade_item where run_id = ? order by pathway_id", (rs, i) -> item(rs), runId);
  }

  private static Item item(ResultSet rs) throws SQLException {
    return new Item(rs.getString("pathway_id"), rs.getString("patient_ref"), rs.getString("source_definition_id"),
        rs.getInt("source_version"), Status.valueOf(rs.getString("status")), rs.getString("batch_id"), rs.getString("review_task_id"),
        rs.getString("recheck"), rs.getString("note"), rs.getTimestamp("updated_at").toInstant());
  }

  /** One replica at a time works the open items (transaction-scoped advisory lock). */
  boolean tryLock() {
    return Boolean.TRUE.equals(jdbc.queryForObject("select pg_try_advisory_xact_lock(hashtext('pathway-upgrades'))", Boolean.class));
  }
}
