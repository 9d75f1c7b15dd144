package io.pathway.service.upgrade;

import io.pathway.service.engine.PathwayMigrations;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the upgrade API reads and answers: dry runs, runs and their pathways. */
public final class Upgrades {

  private Upgrades() {}

  /** Item states of a run. */
  public enum Status { HELD, SUBMITTED, MIGRATED, ENDED, REFUSED, FAILED }

  /** A request for a dry run: the target version (default: the newest), which pathways (default: all), extra instructions. */
  public record DryRunRequest(String targetDefinitionId, List<String> pathwayIds, List<PathwayMigrations.Instruction> instructions) {}

  /** A request to migrate some (or, without ids, every valid) pathway of a dry run. */
  public record MigrationRequest(List<String> pathwayIds) {}

  /** A version of the pathway model as the reports show it. */
  public record Version(String definitionId, int version, String deploymentId, String deploymentName, Instant deployedAt) {
    static Version of(PathwayMigrations.Version v) {
      return new Version(v.definitionId(), v.version(), v.deploymentId(), v.deploymentName(), v.deployedAt());
    }
  }

  /** Camunda's plan from one version to the target. */
  public record PlanView(String sourceDefinitionId, int sourceVersion, List<PathwayMigrations.Instruction> instructions,
      List<String> failures) {}

  /** One decision the pathway took: before (as taken) and after (the target version's table on the same inputs). */
  public record DecisionView(String decision, String name, String activity, Instant evaluatedAt, boolean comparable, boolean changed,
      Map<String, Object> inputs, List<Map<String, Object>> before, List<Map<String, Object>> after, List<String> notes) {}

  /** One running pathway in a dry run. */
  public record PathwayView(String pathwayId, String referralId, String patientRef, String stage, String sourceDefinitionId,
      int sourceVersion, List<PathwayMigrations.Token> tokens, boolean migrationValid, List<String> migrationFailures,
      boolean escalationOpen, List<String> movedTokens, List<DecisionView> decisions, boolean affected, List<String> reasons) {

    /** The decisions the new tables would take differently. */
    public List<DecisionView> changedDecisions() {
      return decisions.stream().filter(DecisionView::changed).toList();
    }
  }

  /** A dry run: what moving the running pathways to the target version would do to each of them. */
  public record DryRun(String id, Version target, String requestedBy, Instant requestedAt, List<PlanView> plans,
      List<PathwayView> pathways, List<String> affected) {}

  /** One pathway of a run. */
  public record Item(String pathwayId, String patientRef, String sourceDefinitionId, int sourceVersion, Status status, String batchId,
      String reviewTaskId, String recheck, String note, Instant updatedAt) {}

  /** A migration the operator applied. */
  public record Run(String id, String dryRunId, String targetDefinitionId, int targetVersion, String requestedBy, Instant requestedAt,
      List<Item> items) {}
}
