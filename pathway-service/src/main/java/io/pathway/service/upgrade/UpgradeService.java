package io.pathway.service.upgrade;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pathway.service.engine.DecisionReplay;
import io.pathway.service.engine.PathwayMigrations;
import io.pathway.service.engine.PathwayMigrations.Instruction;
import io.pathway.service.engine.PathwayMigrations.Plan;
import io.pathway.service.records.Journal;
import io.pathway.service.redflag.Escalations;
import io.pathway.service.records.PathwayRegistry;
import io.pathway.service.platform.PathwayProperties;
import io.pathway.service.upgrade.UpgradeStore.OpenItem;
import io.pathway.service.upgrade.Upgrades.DecisionView;
import io.pathway.service.upgrade.Upgrades.DryRun;
import io.pathway.service.upgrade.Upgrades.DryRunRequest;
import io.pathway.service.upgrade.Upgrades.PathwayView;
import io.pathway.service.upgrade.Upgrades.PlanView;
import io.pathway.service.upgrade.Upgrades.Run;
import io.pathway.service.upgrade.Upgrades.Status;
import io.pathway.service.upgrade.Upgrades.Version;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Safe upgrades of running pathways (issue 22). A dry run says, per running pathway, where its tokens are,
 * whether Camunda's migration plan validates for it, and which decisions the new tables would take
 * differently on the inputs recorded when they were taken. A migration rests on a dry run, runs as Camunda
 * batches, is recorded on each pathway's timeline, holds a pathway while a red-flag escalation is open (and
 * moves it when the escalation has ended, if it still runs), gives a clinician a review task when a decision
 * would change, and records the hard-rule check at each migrated pathway's next gate.
 */
@Service
public class UpgradeService {

  private static final Logger log = LoggerFactory.getLogger(UpgradeService.class);

  /** Journal types of the timeline entries (kind UPGRADE). */
  static final String REQUESTED = "pathway.upgrade.requested";
  static final String MIGRATED = "pathway.upgrade.migrated";
  static final String HELD = "pathway.upgrade.held";
  static final String NOT_MIGRATED = "pathway.upgrade.not-migrated";
  static final String REVIEW_REQUESTED = "pathway.upgrade.review-requested";
  static final String RECHECKED = "pathway.upgrade.rechecked";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final PathwayMigrations migrations;
  private final DecisionReplay decisions;
  private final PathwayRegistry registry;
  private final Escalations escalations;
  private final Journal journal;
  private final UpgradeStore store;
  private final ObjectMapper json;
  private final TransactionTemplate tx;
  private final PathwayProperties.Clinical clinical;

  UpgradeService(PathwayMigrations migrations, DecisionReplay decisions, PathwayRegistry registry, Escalations escalations,
      Journal journal, UpgradeStore store, ObjectMapper json, TransactionTemplate tx, PathwayProperties properties) {
    this.migrations = migrations;
    this.decisions = decisions;
    this.registry = registry;
    this.escalations = escalations;
    this.journal = journal;
    this.store = store;
    this.json = json;
    this.tx = tx;
    this.clinical = properties.clinical();
  }

  /** Versions of the pathway model, newest first. */
  public List<Version> versions() {
    return migrations.versions().stream().map(Version::of).toList();
  }

  // ------------------------------------------------------------------ dry run

  /** Runs and stores a dry run; nothing moves. */
  public DryRun dryRun(DryRunRequest request, String who) {
    List<PathwayMigrations.Version> versions = migrations.versions();
    if (versions.isEmpty()) {
      throw new IllegalArgumentException("no version of the pathway model is deployed");
    }
    String targetId = request == null || request.targetDefinitionId() == null || request.targetDefinitionId().isBlank()
        ? versions.get(0).definitionId() : request.targetDefinitionId();
    PathwayMigrations.Version target = migrations.version(targetId)
        .orElseThrow(() -> new IllegalArgumentException("no version " + targetId + " of the pathway model"));
    Map<String, Integer> versionOf = versions.stream()
        .collect(Collectors.toMap(PathwayMigrations.Version::definitionId, PathwayMigrations.Version::version));
    List<Instruction> extra = request == null || request.instructions() == null ? List.of() : request.instructions().stream()
        .map(i -> new Instruction(i.from(), i.to(), false, i.updateEventTrigger())).toList();
    Set<String> only = request == null || request.pathwayIds() == null || request.pathwayIds().isEmpty() ? null
        : new LinkedHashSet<>(request.pathwayIds());

    Map<String, Plan> plans = new LinkedHashMap<>();
    List<PathwayView> pathways = new ArrayList<>();
    for (PathwayMigrations.Running running : migrations.runningOtherThan(target.definitionId())) {
      if (only != null && !only.contains(running.pathwayId())) {
        continue;
      }
      Plan plan = plans.computeIfAbsent(running.definitionId(), source -> migrations.plan(source, target.definitionId(), extra));
      pathways.add(pathway(running, versionOf.getOrDefault(running.definitionId(), 0), plan, target));
    }
    List<PlanView> planViews = plans.values().stream().map(p -> new PlanView(p.sourceDefinitionId(),
        versionOf.getOrDefault(p.sourceDefinitionId(), 0), p.instructions(), p.failures())).toList();
    DryRun dryRun = new DryRun(UUID.randomUUID().toString(), Version.of(target), who, Instant.now(), planViews, pathways,
        pathways.stream().filter(PathwayView::affected).map(PathwayView::pathwayId).toList());
    byte[] token = new byte[24];
    RANDOM.nextBytes(token);
    store.saveDryRun(dryRun.id(), target.definitionId(), target.version(), who, HexFormat.of().formatHex(token), write(dryRun));
    log.info("Upgrade dry run {} to version {}: {} running pathways, {} affected", dryRun.id(), target.version(), pathways.size(),
        dryRun.affected().size());
    return dryRun;
  }

  private PathwayView pathway(PathwayMigrations.Running running, int sourceVersion, Plan plan, PathwayMigrations.Version target) {
    Optional<PathwayRegistry.PathwayRef> ref = registry.byId(running.pathwayId());
    String patientRef = ref.map(PathwayRegistry.PathwayRef::patientRef).orElse(null);
    List<PathwayMigrations.Token> tokens = migrations.tokens(running.pathwayId());
    PathwayMigrations.Check check = migrations.check(plan, running.pathwayId());
    Set<String> moved = plan.instructions().stream().filter(Instruction::moved).map(Instruction::from).collect(Collectors.toSet());
    List<String> movedTokens = tokens.stream().map(PathwayMigrations.Token::activityId).filter(moved::contains).distinct().toList();
    boolean escalationOpen = check.escalationOpen() || patientRef != null && escalations.openFor(patientRef).isPresent();
    List<DecisionView> decided = decisions.replay(running.pathwayId(), target.definitionId()).stream()
        .map(r -> new DecisionView(r.decisionKey(), r.decisionName(), r.activityId(), r.evaluatedAt(), r.comparable(), r.changed(),
            r.inputs(), r.before(), r.after(), r.notes())).toList();
    List<String> reasons = new ArrayList<>();
    decided.stream().filter(DecisionView::changed).forEach(d -> reasons.add("decision " + d.decision() + " changes: " + d.before()
        + " -> " + d.after()));
    decided.stream().filter(d -> !d.comparable()).forEach(d -> reasons.add("decision " + d.decision() + " cannot be compared: "
        + String.join("; ", d.notes())));
    movedTokens.forEach(a -> reasons.add("waits in " + a + ", which the new version moves"));
    if (!check.valid()) {
      reasons.add("Camunda's plan does not validate: " + String.join("; ", check.failures()));
    }
    if (escalationOpen) {
      reasons.add("a red-flag escalation is open: it would wait until the escalation ends");
    }
    boolean affected = decided.stream().anyMatch(d -> d.changed() || !d.comparable()) || !movedTokens.isEmpty() || !check.valid();
    return new PathwayView(running.pathwayId(), ref.map(PathwayRegistry.PathwayRef::referralId).orElse(null), patientRef,
        ref.map(PathwayRegistry.PathwayRef::stage).orElse(null), running.definitionId(), sourceVersion, tokens, check.valid(),
        check.failures(), escalationOpen, movedTokens, decided, affected, reasons);
  }

  public Optional<DryRun> storedDryRun(String id) {
    return store.dryRun(id).map(d -> read(d.report(), DryRun.class));
  }

  /** The token the page's apply form must send back with a dry run. */
  Optional<String> formToken(String dryRunId) {
    return store.dryRun(dryRunId).map(UpgradeStore.StoredDryRun::formToken);
  }

  // ------------------------------------------------------------------ migration

  /**
   * Migrates the chosen pathways of a dry run (all of them without a choice) to its target version: recorded
   * per pathway, in Camunda batches per source version; a pathway with an open red-flag escalation is held.
   */
  public Run migrate(String dryRunId, List<String> pathwayIds, String who) {
    DryRun dryRun = storedDryRun(dryRunId).orElseThrow(() -> new java.util.NoSuchElementException("no dry run " + dryRunId));
    if (migrations.version(dryRun.target().definitionId()).isEmpty()) {
      throw new IllegalStateException("the target version of dry run " + dryRunId + " is no longer deployed");
    }
    Map<String, PathwayView> inDryRun = new LinkedHashMap<>();
    dryRun.pathways().forEach(p -> inDryRun.put(p.pathwayId(), p));
    List<String> chosen = pathwayIds == null || pathwayIds.isEmpty()
        ? dryRun.pathways().stream().filter(PathwayView::migrationValid).map(PathwayView::pathwayId).toList()
        : List.copyOf(new LinkedHashSet<>(pathwayIds));
    List<String> unknown = chosen.stream().filter(id -> !inDryRun.containsKey(id)).toList();
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("not in dry run " + dryRunId + ": " + String.join(", ", unknown));
    }
    if (chosen.isEmpty()) {
      throw new IllegalArgumentException("no pathway to migrate in dry run " + dryRunId);
    }
    String runId = UUID.randomUUID().toString();
    Instant now = Instant.now();
    return tx.execute(s -> {
      store.saveRun(runId, dryRunId, dryRun.target().definitionId(), dryRun.target().version(), who);
      Map<String, List<String>> ready = new LinkedHashMap<>();
      for (String id : chosen) {
        PathwayView p = inDryRun.get(id);
        Status status;
        String note = null;
        Optional<String> runsOn = migrations.definitionOf(id);
        if (runsOn.isEmpty()) {
          status = Status.ENDED;
          note = "the pathway has ended";
        } else if (!runsOn.get().equals(p.sourceDefinitionId())) {
          status = Status.REFUSED;
          note = "the pathway runs on another version than in the dry run: run a new dry run";
        } else if (p.patientRef() != null && escalations.openFor(p.patientRef()).isPresent()) {
          status = Status.HELD;
          note = "a red-flag escalation is open: moved when it has ended";
        } else if (!p.migrationValid()) {
          status = Status.REFUSED;
          note = "Camunda's plan does not validate: " + String.join("; ", p.migrationFailures());
        } else {
          status = Status.SUBMITTED;
          ready.computeIfAbsent(p.sourceDefinitionId(), k -> new ArrayList<>()).add(id);
        }
        store.saveItem(runId, id, p.patientRef() == null ? "" : p.patientRef(), p.sourceDefinitionId(), p.sourceVersion(),
            status, changes(p), note);
      }
      ready.forEach((source, ids) -> submit(runId, dryRun, source, ids));
      for (String id : chosen) {
        PathwayView p = inDryRun.get(id);
        Upgrades.Item item = store.run(runId).orElseThrow().items().stream().filter(i -> i.pathwayId().equals(id)).findFirst().orElseThrow();
        Map<String, Object> data = entry(runId, dryRun, who, now, p);
        data.put("pathways", chosen);
        data.put("status", item.status().name());
        data.put("note", item.note());
        record(id, p.patientRef(), REQUESTED, runId, data);
      }
      log.info("Upgrade run {} by {} on dry run {}: {} pathways to version {}", runId, who, dryRunId, chosen.size(),
          dryRun.target().version());
      return store.run(runId).orElseThrow();
    });
  }

  private void submit(String runId, DryRun dryRun, String sourceDefinitionId, List<String> pathwayIds) {
    PlanView view = dryRun.plans().stream().filter(p -> p.sourceDefinitionId().equals(sourceDefinitionId)).findFirst().orElseThrow();
    String batchId = migrations.submit(new Plan(sourceDefinitionId, dryRun.target().definitionId(), view.instructions(), List.of()),
        pathwayIds);
    pathwayIds.forEach(id -> store.submitted(runId, id, batchId));
  }

  public Optional<Run> run(String id) {
    return store.run(id);
  }

  public List<Run> runs() {
    return store.runs();
  }

  /**
   * Works the open items: a batch's pathways that moved are recorded (and get their review task and pending
   * re-check); a pathway the batch could not move is held when an escalation opened meanwhile; a held pathway
   * is submitted once its escalation has ended, or closed when the pathway ended with it.
   */
  @Scheduled(fixedDelayString = "${pathway.upgrade.poll-interval:PT1S}", initialDelayString = "${pathway.upgrade.poll-interval:PT1S}")
  public void reconcile() {
    try {
      tx.executeWithoutResult(s -> {
        if (store.tryLock()) {
          reconcileLocked();
        }
      });
    } catch (RuntimeException e) {
      log.warn("Upgrade reconciliation failed, next round retries: {}", e.getClass().getSimpleName());
    }
  }

  private void reconcileLocked() {
    List<OpenItem> open = store.open();
    if (open.isEmpty()) {
      return;
    }
    Map<String, PathwayMigrations.BatchState> batches = new LinkedHashMap<>();
    Map<String, Map<String, List<OpenItem>>> release = new LinkedHashMap<>();
    for (OpenItem o : open) {
      String pathwayId = o.item().pathwayId();
      Optional<String> runsOn = migrations.definitionOf(pathwayId);
      if (runsOn.isPresent() && runsOn.get().equals(o.targetDefinitionId())) {
        migrated(o);
        continue;
      }
      if (o.item().status() == Status.SUBMITTED) {
        PathwayMigrations.BatchState state = batches.computeIfAbsent(o.item().batchId(), migrations::batch);
        if (state == PathwayMigrations.BatchState.RUNNING) {
          continue;
        }
      }
      if (runsOn.isEmpty()) {
        store.status(o.runId(), pathwayId, Status.ENDED, "the pathway ended before it could move");
        record(pathwayId, o.item().patientRef(), NOT_MIGRATED, o.runId(), Map.of("runId", o.runId(), "status", Status.ENDED.name(),
            "note", "the pathway ended before it could move"));
      } else if (escalations.openFor(o.item().patientRef()).isPresent()) {
        if (o.item().status() == Status.SUBMITTED) {
          store.status(o.runId(), pathwayId, Status.HELD, "a red-flag escalation opened before the batch reached the pathway");
          record(pathwayId, o.item().patientRef(), HELD, o.runId(), Map.of("runId", o.runId(), "status", Status.HELD.name(),
              "note", "a red-flag escalation opened before the batch reached the pathway: moved when it has ended"));
        }
      } else if (o.item().status() == Status.HELD) {
        release.computeIfAbsent(o.runId(), k -> new LinkedHashMap<>())
            .computeIfAbsent(o.item().sourceDefinitionId(), k -> new ArrayList<>()).add(o);
      } else {
        store.status(o.runId(), pathwayId, Status.FAILED, "the batch did not move the pathway");
        record(pathwayId, o.item().patientRef(), NOT_MIGRATED, o.runId(), Map.of("runId", o.runId(), "status", Status.FAILED.name(),
            "note", "the batch did not move the pathway"));
      }
    }
    batches.forEach((batchId, state) -> {
      if (state == PathwayMigrations.BatchState.STUCK) {
        migrations.discard(batchId);
      }
    });
    release.forEach((runId, bySource) -> bySource.forEach((source, items) -> {
      DryRun dryRun = storedDryRun(items.get(0).dryRunId()).orElseThrow();
      List<String> ready = new ArrayList<>();
      for (OpenItem o : items) {
        PathwayView p = dryRun.pathways().stream().filter(v -> v.pathwayId().equals(o.item().pathwayId())).findFirst().orElseThrow();
        if (p.migrationValid()) {
          ready.add(p.pathwayId());
        } else {
          String note = "the escalation has ended, but Camunda's plan does not validate: " + String.join("; ", p.migrationFailures());
          store.status(runId, p.pathwayId(), Status.REFUSED, note);
          record(p.pathwayId(), p.patientRef(), NOT_MIGRATED, runId, Map.of("runId", runId, "status", Status.REFUSED.name(), "note", note));
        }
      }
      if (!ready.isEmpty()) {
        submit(runId, dryRun, source, ready);
        log.info("Upgrade run {}: {} held pathways submitted after their escalation ended", runId, ready.size());
      }
    }));
  }

  private void migrated(OpenItem o) {
    String pathwayId = o.item().pathwayId();
    DryRun dryRun = storedDryRun(o.dryRunId()).orElseThrow();
    PathwayView p = dryRun.pathways().stream().filter(v -> v.pathwayId().equals(pathwayId)).findFirst().orElseThrow();
    String taskId = null;
    if (!p.changedDecisions().isEmpty()) {
      taskId = migrations.reviewTask(pathwayId, o.item().patientRef(), "Review decisions after a rule change",
          reviewDescription(p, dryRun, o.requestedBy()), Instant.now().plus(java.time.Duration.parse(clinical.clinicalTaskDue())));
    }
    store.migrated(o.runId(), pathwayId, taskId);
    Map<String, Object> data = entry(o.runId(), dryRun, o.requestedBy(), Instant.now(), p);
    data.put("status", Status.MIGRATED.name());
    data.put("recheck", "the hard rules are checked again at the pathway's next gate");
    record(pathwayId, o.item().patientRef(), MIGRATED, o.runId(), data);
    if (taskId != null) {
      Map<String, Object> review = new LinkedHashMap<>();
      review.put("runId", o.runId());
      review.put("taskId", taskId);
      review.put("changes", p.changedDecisions().stream().map(d -> Map.of("decision", d.decision(), "before", d.before(),
          "after", d.after())).toList());
      record(pathwayId, o.item().patientRef(), REVIEW_REQUESTED, o.runId(), review);
    }
  }

  private static String reviewDescription(PathwayView p, DryRun dryRun, String who) {
    StringBuilder s = new StringBuilder("The pathway was moved to version ").append(dryRun.target().version()).append(" of the models by ")
        .append(who).append(". On the inputs recorded when they were taken, the new tables decide differently:");
    for (DecisionView d : p.changedDecisions()) {
      s.append(" ").append(d.name() == null ? d.decision() : d.name()).append(" (").append(d.activity()).append("): was ")
          .append(d.before()).append(", would now be ").append(d.after()).append(".");
    }
    return s.append(" Review whether the pathway's decisions still hold and amend them at the next step if needed.").toString();
  }

  /** The hard-rule gate of a pathway ran (its verdict): a migrated pathway's pending re-check is recorded. */
  void gateChecked(String pathwayId, String verdict) {
    for (String runId : store.rechecked(pathwayId, verdict == null ? "UNKNOWN" : verdict)) {
      String patientRef = registry.byId(pathwayId).map(PathwayRegistry.PathwayRef::patientRef).orElse("");
      record(pathwayId, patientRef, RECHECKED, runId, Map.of("runId", runId, "gate", "treatment rules",
          "verdict", verdict == null ? "UNKNOWN" : verdict));
    }
  }

  // ------------------------------------------------------------------ records

  private static Map<String, Object> entry(String runId, DryRun dryRun, String who, Instant at, PathwayView p) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("runId", runId);
    data.put("dryRunId", dryRun.id());
    data.put("by", who);
    data.put("at", at.toString());
    data.put("from", Map.of("definitionId", p.sourceDefinitionId(), "version", p.sourceVersion()));
    data.put("to", Map.of("definitionId", dryRun.target().definitionId(), "version", dryRun.target().version()));
    data.put("decisionChanges", p.changedDecisions().stream().map(d -> Map.of("decision", d.decision(), "before", d.before(),
        "after", d.after())).toList());
    return data;
  }

  private void record(String pathwayId, String patientRef, String type, String runId, Map<String, Object> entry) {
    Map<String, Object> data = new LinkedHashMap<>(entry);
    data.putIfAbsent("by", "pathway");
    journal.record(new Journal.Entry(pathwayId, patientRef == null ? "" : patientRef, Journal.Direction.OPERATOR, type,
        runId + ":" + type, write(data), Instant.now()));
  }

  private String changes(PathwayView p) {
    return p.changedDecisions().isEmpty() ? null : write(p.changedDecisions());
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write an upgrade record", e);
    }
  }

  private <T> T read(String value, Class<T> type) {
    try {
      return json.readValue(value, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot read an upgrade record", e);
    }
  }
}
