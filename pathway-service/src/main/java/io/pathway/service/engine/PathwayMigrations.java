package io.pathway.service.engine;

import io.pathway.bpmn.PathwayModel.Groups;
import io.pathway.bpmn.PathwayModel.Vars;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.batch.Batch;
import org.camunda.bpm.engine.migration.MigratingActivityInstanceValidationReport;
import org.camunda.bpm.engine.migration.MigratingProcessInstanceValidationException;
import org.camunda.bpm.engine.migration.MigratingProcessInstanceValidationReport;
import org.camunda.bpm.engine.migration.MigratingTransitionInstanceValidationReport;
import org.camunda.bpm.engine.migration.MigrationInstruction;
import org.camunda.bpm.engine.migration.MigrationInstructionValidationReport;
import org.camunda.bpm.engine.migration.MigrationPlan;
import org.camunda.bpm.engine.migration.MigrationPlanBuilder;
import org.camunda.bpm.engine.migration.MigrationPlanValidationException;
import org.camunda.bpm.engine.repository.Deployment;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.engine.runtime.ActivityInstance;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.runtime.TransitionInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BoundaryEvent;
import org.camunda.bpm.model.bpmn.instance.CallActivity;
import org.camunda.bpm.model.bpmn.instance.EventBasedGateway;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.IntermediateCatchEvent;
import org.camunda.bpm.model.bpmn.instance.ReceiveTask;
import org.camunda.bpm.model.xml.instance.ModelElementInstance;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The engine edge of upgrades: versions of the pathway model, where a pathway's tokens are, Camunda's
 * migration plans and their validation for one pathway, migration batches, and the review task a clinician
 * gets after a rule change. Everything here speaks in ids and plain records, so a compatible engine
 * (Operaton) replaces this class and {@link DecisionReplay}.
 */
@Component
public class PathwayMigrations {

  /** One deployed version of the pathway model. */
  public record Version(String definitionId, String key, int version, String deploymentId, String deploymentName, Instant deployedAt) {}

  /** A running pathway (main process instance) and the version it runs on. */
  public record Running(String pathwayId, String definitionId) {}

  /** Where one token of a pathway waits. */
  public record Token(String activityId, String activityName, String activityType) {}

  /**
   * One migration instruction: instances of {@code from} (source version) become instances of {@code to} (target);
   * {@code moved} when the activity keeps its id but sits in another scope of the target (Camunda's equal mapping
   * does not cover it, so the instruction is explicit).
   */
  public record Instruction(String from, String to, boolean moved, boolean updateEventTrigger) {

    public Instruction(String from, String to, boolean moved) {
      this(from, to, moved, false);
    }
  }

  /** A migration plan from one version to another: its instructions and, when Camunda refuses it, why. */
  public record Plan(String sourceDefinitionId, String targetDefinitionId, List<Instruction> instructions, List<String> failures) {
    public boolean valid() {
      return failures.isEmpty();
    }
  }

  /**
   * Whether Camunda would migrate one pathway with a plan, and why not; {@code escalationOpen} when (also) the
   * pathway waits in a red-flag escalation, which no migration moves ({@link EscalationMigrationGuard}): that
   * is not counted as a failure of the plan, the pathway is held until the escalation ends.
   */
  public record Check(boolean valid, List<String> failures, boolean escalationOpen) {}

  /** State of a migration batch. */
  public enum BatchState { RUNNING, DONE, STUCK }

  /** Types of the activities a token can wait in (and so need an instruction when moved). */
  private static final List<Class<? extends FlowNode>> WAIT_STATES = List.of(org.camunda.bpm.model.bpmn.instance.Task.class, ReceiveTask.class, CallActivity.class,
      IntermediateCatchEvent.class, EventBasedGateway.class, BoundaryEvent.class);

  private final RepositoryService repository;
  private final RuntimeService runtime;
  private final ManagementService management;
  private final TaskService tasks;
  private final TransactionTemplate dryRunTx;

  PathwayMigrations(RepositoryService repository, RuntimeService runtime, ManagementService management, TaskService tasks,
      PlatformTransactionManager transactions) {
    this.repository = repository;
    this.runtime = runtime;
    this.management = management;
    this.tasks = tasks;
    this.dryRunTx = new TransactionTemplate(transactions);
    this.dryRunTx.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
  }

  // ------------------------------------------------------------------ versions and pathways

  /** Versions of the pathway model, newest first. */
  public List<Version> versions() {
    return repository.createProcessDefinitionQuery().processDefinitionKey(PathwayEngine.PATHWAY_PROCESS)
        .orderByProcessDefinitionVersion().desc().list().stream().map(this::version).toList();
  }

  public Optional<Version> version(String definitionId) {
    ProcessDefinition d = repository.createProcessDefinitionQuery().processDefinitionId(definitionId).singleResult();
    return d == null || !PathwayEngine.PATHWAY_PROCESS.equals(d.getKey()) ? Optional.empty() : Optional.of(version(d));
  }

  private Version version(ProcessDefinition d) {
    Deployment deployment = repository.createDeploymentQuery().deploymentId(d.getDeploymentId()).singleResult();
    return new Version(d.getId(), d.getKey(), d.getVersion(), d.getDeploymentId(), deployment == null ? null : deployment.getName(),
        deployment == null || deployment.getDeploymentTime() == null ? null : deployment.getDeploymentTime().toInstant());
  }

  /** Running pathways on any version but {@code targetDefinitionId}, oldest version first. */
  public List<Running> runningOtherThan(String targetDefinitionId) {
    List<Running> running = new ArrayList<>();
    List<Version> oldestFirst = new ArrayList<>(versions());
    java.util.Collections.reverse(oldestFirst);
    for (Version v : oldestFirst) {
      if (v.definitionId().equals(targetDefinitionId)) {
        continue;
      }
      int page = 500;
      for (int first = 0; ; first += page) {
        List<ProcessInstance> batch = runtime.createProcessInstanceQuery().processDefinitionId(v.definitionId())
            .orderByProcessInstanceId().asc().listPage(first, page);
        batch.forEach(p -> running.add(new Running(p.getId(), p.getProcessDefinitionId())));
        if (batch.size() < page) {
          break;
        }
      }
    }
    return running;
  }

  /** The version a pathway runs on; empty once it has ended. */
  public Optional<String> definitionOf(String pathwayId) {
    ProcessInstance p = runtime.createProcessInstanceQuery().processInstanceId(pathwayId).singleResult();
    return p == null ? Optional.empty() : Optional.of(p.getProcessDefinitionId());
  }

  /** Where the pathway's tokens wait (leaves of its activity instance tree; a called process shows as its call activity). */
  public List<Token> tokens(String pathwayId) {
    ActivityInstance root = runtime.getActivityInstance(pathwayId);
    List<Token> tokens = new ArrayList<>();
    if (root != null) {
      collect(root, tokens);
    }
    return tokens;
  }

  private static void collect(ActivityInstance instance, List<Token> tokens) {
    for (TransitionInstance t : instance.getChildTransitionInstances()) {
      tokens.add(new Token(t.getActivityId(), t.getActivityName(), t.getActivityType()));
    }
    if (instance.getChildActivityInstances().length == 0 && instance.getChildTransitionInstances().length == 0
        && !"processDefinition".equals(instance.getActivityType())) {
      tokens.add(new Token(instance.getActivityId(), instance.getActivityName(), instance.getActivityType()));
    }
    for (ActivityInstance child : instance.getChildActivityInstances()) {
      collect(child, tokens);
    }
  }

  // ------------------------------------------------------------------ plans

  /**
   * Camunda's plan from one version to another: the equal activities, an explicit instruction for every wait
   * state that kept its id but moved to another scope, and the operator's own instructions (which win).
   */
  public Plan plan(String sourceDefinitionId, String targetDefinitionId, Collection<Instruction> extra) {
    Map<String, Instruction> wanted = new LinkedHashMap<>();
    movedWaitStates(sourceDefinitionId, targetDefinitionId).forEach((id, event) -> wanted.put(id, new Instruction(id, id, true, event)));
    extra.forEach(i -> wanted.put(i.from(), i));
    try {
      MigrationPlan plan = build(sourceDefinitionId, targetDefinitionId, wanted.values());
      return new Plan(sourceDefinitionId, targetDefinitionId, instructions(plan, wanted), List.of());
    } catch (MigrationPlanValidationException e) {
      List<String> failures = new ArrayList<>();
      Set<String> refused = new LinkedHashSet<>();
      for (MigrationInstructionValidationReport r : e.getValidationReport().getInstructionReports()) {
        MigrationInstruction i = r.getMigrationInstruction();
        refused.add(i.getSourceActivityId());
        r.getFailures().forEach(f -> failures.add(i.getSourceActivityId() + " -> " + i.getTargetActivityId() + ": " + f));
      }
      e.getValidationReport().getVariableReports().forEach((name, r) -> r.getFailures().forEach(f -> failures.add("variable " + name + ": " + f)));
      // what Camunda would accept without the refused instructions, so that pathways elsewhere can still be checked
      wanted.keySet().removeAll(refused);
      try {
        MigrationPlan partial = build(sourceDefinitionId, targetDefinitionId, wanted.values());
        return new Plan(sourceDefinitionId, targetDefinitionId, instructions(partial, wanted), failures);
      } catch (MigrationPlanValidationException again) {
        return new Plan(sourceDefinitionId, targetDefinitionId, List.of(), failures);
      }
    }
  }

  private MigrationPlan build(String source, String target, Collection<Instruction> explicit) {
    List<MigrationInstruction> equal;
    try {
      equal = runtime.createMigrationPlan(source, target).mapEqualActivities().build().getInstructions();
    } catch (MigrationPlanValidationException e) {
      equal = e.getValidationReport().getMigrationPlan().getInstructions();
    }
    // Camunda requires a conditional event to take the target's condition (updateEventTrigger); timers and
    // messages keep theirs, so that a deadline running from an observation is never restarted by a migration
    Set<String> conditional = conditionalEvents(repository.getBpmnModelInstance(target));
    Set<String> explicitSources = new java.util.HashSet<>();
    explicit.forEach(i -> explicitSources.add(i.from()));
    MigrationPlanBuilder builder = runtime.createMigrationPlan(source, target);
    for (MigrationInstruction i : equal) {
      if (!explicitSources.contains(i.getSourceActivityId())) {
        var instruction = builder.mapActivities(i.getSourceActivityId(), i.getTargetActivityId());
        builder = conditional.contains(i.getTargetActivityId()) ? instruction.updateEventTrigger() : instruction;
      }
    }
    for (Instruction i : explicit) {
      var instruction = builder.mapActivities(i.from(), i.to());
      builder = i.updateEventTrigger() || conditional.contains(i.to()) ? instruction.updateEventTrigger() : instruction;
    }
    return builder.build();
  }

  private MigrationPlan build(Plan plan) {
    MigrationPlanBuilder builder = runtime.createMigrationPlan(plan.sourceDefinitionId(), plan.targetDefinitionId());
    for (Instruction i : plan.instructions()) {
      var instruction = builder.mapActivities(i.from(), i.to());
      builder = i.updateEventTrigger() ? instruction.updateEventTrigger() : instruction;
    }
    return builder.build();
  }

  private static List<Instruction> instructions(MigrationPlan plan, Map<String, Instruction> explicit) {
    Map<String, Instruction> all = new LinkedHashMap<>();
    for (MigrationInstruction i : plan.getInstructions()) {
      Instruction mine = explicit.get(i.getSourceActivityId());
      all.put(i.getSourceActivityId(), new Instruction(i.getSourceActivityId(), i.getTargetActivityId(), mine != null && mine.moved(),
          i.isUpdateEventTrigger()));
    }
    return List.copyOf(all.values());
  }

  /** Wait states whose id is in both versions but whose enclosing scope differs, and whether each is an event. */
  private Map<String, Boolean> movedWaitStates(String sourceDefinitionId, String targetDefinitionId) {
    BpmnModelInstance targetModel = repository.getBpmnModelInstance(targetDefinitionId);
    Map<String, String> source = scopes(repository.getBpmnModelInstance(sourceDefinitionId));
    Map<String, String> target = scopes(targetModel);
    Map<String, Boolean> moved = new LinkedHashMap<>();
    source.forEach((id, scope) -> {
      if (target.containsKey(id) && !target.get(id).equals(scope)) {
        ModelElementInstance node = targetModel.getModelElementById(id);
        moved.put(id, conditionalEvents(targetModel).contains(id));
      }
    });
    return moved;
  }

  private static Set<String> conditionalEvents(BpmnModelInstance model) {
    Set<String> ids = new java.util.HashSet<>();
    for (org.camunda.bpm.model.bpmn.instance.ConditionalEventDefinition d
        : model.getModelElementsByType(org.camunda.bpm.model.bpmn.instance.ConditionalEventDefinition.class)) {
      ModelElementInstance event = d.getParentElement();
      if (event != null && event.getAttributeValue("id") != null) {
        ids.add(event.getAttributeValue("id"));
      }
    }
    return ids;
  }

  private static Map<String, String> scopes(BpmnModelInstance model) {
    Map<String, String> scopes = new LinkedHashMap<>();
    for (FlowNode node : model.getModelElementsByType(FlowNode.class)) {
      if (WAIT_STATES.stream().anyMatch(t -> t.isInstance(node))) {
        ModelElementInstance parent = node.getParentElement();
        String scope = parent == null ? "" : String.valueOf(parent.getAttributeValue("id"));
        if (node instanceof BoundaryEvent b && b.getAttachedTo() != null) {
          scope = scope + "/" + b.getAttachedTo().getId();
        }
        scopes.put(node.getId(), scope);
      }
    }
    return scopes;
  }

  // ------------------------------------------------------------------ validation and execution

  /**
   * Whether Camunda migrates this pathway with the plan: the migration is executed in a transaction of its own
   * and rolled back, so Camunda's own instance validation answers (the community edition has no other way).
   */
  public Check check(Plan plan, String pathwayId) {
    if (!plan.valid() && plan.instructions().isEmpty()) {
      return new Check(false, plan.failures(), false);
    }
    List<String> failures = new ArrayList<>();
    try {
      dryRunTx.executeWithoutResult(status -> {
        status.setRollbackOnly();
        runtime.newMigration(build(plan)).processInstanceIds(pathwayId).execute();
      });
    } catch (MigratingProcessInstanceValidationException e) {
      MigratingProcessInstanceValidationReport report = e.getValidationReport();
      failures.addAll(report.getFailures());
      for (MigratingActivityInstanceValidationReport r : report.getActivityInstanceReports()) {
        r.getFailures().forEach(f -> failures.add(r.getSourceScopeId() + ": " + f));
      }
      for (MigratingTransitionInstanceValidationReport r : report.getTransitionInstanceReports()) {
        r.getFailures().forEach(f -> failures.add(r.getSourceScopeId() + ": " + f));
      }
    } catch (MigrationPlanValidationException e) {
      failures.add("plan refused: " + e.getMessage());
    } catch (RuntimeException e) {
      failures.add("migration failed: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
    boolean escalation = failures.removeIf(f -> f.endsWith(EscalationMigrationGuard.FAILURE));
    return new Check(failures.isEmpty(), failures, escalation);
  }

  /** Submits the migration of these pathways as one Camunda batch; returns the batch id. */
  public String submit(Plan plan, List<String> pathwayIds) {
    Batch batch = runtime.newMigration(build(plan)).processInstanceIds(pathwayIds).executeAsync();
    return batch.getId();
  }

  /**
   * RUNNING while the batch has work left; DONE when it completed (Camunda removes it); STUCK when it is still
   * there but every job left has failed for good (the instances of those jobs were not migrated).
   */
  public BatchState batch(String batchId) {
    Batch batch = management.createBatchQuery().batchId(batchId).singleResult();
    if (batch == null) {
      return BatchState.DONE;
    }
    boolean seeding = management.createJobQuery().jobDefinitionId(batch.getSeedJobDefinitionId()).count() > 0;
    boolean left = management.createJobQuery().jobDefinitionId(batch.getBatchJobDefinitionId()).withRetriesLeft().count() > 0;
    boolean failed = management.createJobQuery().jobDefinitionId(batch.getBatchJobDefinitionId()).noRetriesLeft().count() > 0;
    return seeding || left || !failed ? BatchState.RUNNING : BatchState.STUCK;
  }

  /** Deletes a stuck batch and its failed jobs (the pathways they held stay where they were). */
  public void discard(String batchId) {
    management.deleteBatch(batchId, true);
  }

  // ------------------------------------------------------------------ review task

  /**
   * A clinician's task to review a pathway whose decision the new tables would take differently: a task of its
   * own (not in the model), for the spine clinicians, named like every pathway task, carrying the pathway's ids.
   */
  public String reviewTask(String pathwayId, String patientRef, String name, String description, Instant due) {
    Task task = tasks.newTask();
    task.setName(name + " · " + patientRef);
    task.setDescription(description.length() > 4000 ? description.substring(0, 3997) + "..." : description);
    task.setPriority(50);
    task.setDueDate(Date.from(due));
    tasks.saveTask(task);
    tasks.addCandidateGroup(task.getId(), Groups.SPINE_CLINICIANS);
    tasks.setVariablesLocal(task.getId(), Map.of(Vars.PATHWAY_ID, pathwayId, Vars.PATIENT_REF, patientRef));
    return task.getId();
  }
}
