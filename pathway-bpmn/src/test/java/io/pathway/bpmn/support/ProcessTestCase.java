package io.pathway.bpmn.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathway.bpmn.PathwayModel.Processes;
import io.pathway.bpmn.PathwayModel.Tasks;
import io.pathway.bpmn.PathwayModel.Vars;
import io.pathway.model.EventTypes;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Base of the process tests: the shared engine on PostgreSQL, fake beans, a fixed clock and a small
 * vocabulary to walk a patient through the pathway.
 */
public abstract class ProcessTestCase {

  @RegisterExtension
  ProcessEngineExtension extension = ProcessEngineExtension.builder()
      .useProcessEngine(TestEngine.get())
      .build();

  /** The day the tests start on: 9 days after the steroid. */
  protected static final LocalDateTime START = LocalDateTime.of(2026, 3, 1, 9, 0);
  protected static final String STEROID_DATE = "2026-02-20";

  protected ProcessEngine engine;
  protected RuntimeService runtimeService;
  protected TaskService taskService;
  protected ManagementService managementService;
  protected HistoryService historyService;
  protected FakeBeans beans;
  private int referralSequence;

  @BeforeEach
  void setUpEngine() {
    engine = TestEngine.get();
    BpmnAwareTests.init(engine);
    runtimeService = engine.getRuntimeService();
    taskService = engine.getTaskService();
    managementService = engine.getManagementService();
    historyService = engine.getHistoryService();
    setClock(START);
    beans = new FakeBeans();
    beans.register();
  }

  @AfterEach
  void cleanUp() {
    runtimeService.createProcessInstanceQuery().rootProcessInstances().list()
        .forEach(pi -> runtimeService.deleteProcessInstance(pi.getId(), "test finished", true, true));
    Mocks.reset();
    ClockUtil.reset();
  }

  // ---------------------------------------------------------------- enrolment

  /**
   * Enrolment of a patient with neurogenic claudication after an image-guided ESI, nothing special on imaging:
   * no failure hypothesis and no test. Tests of the radicular work-up set {@code painPattern} RADICULAR
   * (every radicular pattern gets a selective nerve root block).
   */
  protected Map<String, Object> enrolment() {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("referralId", "REF-" + (++referralSequence) + "-" + System.nanoTime());
    v.put("patientRef", "PSN-0001");
    v.put("steroidKind", "EPIDURAL_STEROID_INJECTION");
    v.put("steroidDate", STEROID_DATE);
    v.put("imageGuided", true);
    v.put("contrastSpreadConfirmed", true);
    v.put("painPattern", "NEUROGENIC_CLAUDICATION");
    v.put("baselinePainScore", 7);
    v.put("neuropathicScore", 2);
    v.put("priorSpineSurgery", false);
    v.put("imagingFindings", "");
    v.put("redFlags", "");
    v.put("symptomOnsetDate", "2026-01-15");
    return v;
  }

  protected ProcessInstance enrol(Map<String, Object> variables) {
    ProcessInstance pi = runtimeService.startProcessInstanceByKey(Processes.PATHWAY, (String) variables.get("referralId"),
        variables);
    runAsyncJobs();
    return pi;
  }

  /** Process instances started by the pathway through call activities that are still running. */
  protected long runningChildren(ProcessInstance pi) {
    return runtimeService.createProcessInstanceQuery().superProcessInstanceId(pi.getId()).count();
  }

  protected long runningInstances() {
    return runtimeService.createProcessInstanceQuery().count();
  }

  // ---------------------------------------------------------------- time and jobs

  protected void setClock(LocalDateTime time) {
    ClockUtil.setCurrentTime(Date.from(time.atZone(ZoneId.systemDefault()).toInstant()));
  }

  protected void advance(Duration duration) {
    ClockUtil.setCurrentTime(Date.from(ClockUtil.getCurrentTime().toInstant().plus(duration)));
  }

  /** Runs every pending asynchronous continuation (not timers), including those they create. */
  protected void runAsyncJobs() {
    for (int round = 0; round < 100; round++) {
      List<Job> jobs = managementService.createJobQuery().messages().executable().list();
      if (jobs.isEmpty()) {
        return;
      }
      jobs.forEach(job -> managementService.executeJob(job.getId()));
    }
    throw new AssertionError("Asynchronous jobs keep coming");
  }

  /** Fires every timer that is due on the engine clock, then the continuations it caused. */
  protected int fireDueTimers() {
    Instant now = ClockUtil.getCurrentTime().toInstant();
    List<Job> due = managementService.createJobQuery().timers().list().stream()
        .filter(j -> j.getDuedate() != null && !j.getDuedate().toInstant().isAfter(now)).toList();
    due.forEach(job -> managementService.executeJob(job.getId()));
    runAsyncJobs();
    return due.size();
  }

  // ---------------------------------------------------------------- messages

  /**
   * Delivers a message as the service does (see {@link Deliveries}): to the one process instance that waits
   * for it, by its id, and fails when nothing of that instance waits (the service would keep the event in its
   * inbox). It does not run the continuations; the callers below do.
   */
  protected void deliver(String message, String processInstanceId, Map<String, Object> variables) {
    assertThat(Deliveries.deliver(runtimeService, message, processInstanceId, variables))
        .as("process instance %s waits for %s", processInstanceId, message).isTrue();
  }

  /** A follow-up, to the patient's pathway (the service finds it as the patient's active pathway). */
  protected void followUp(ProcessInstance pi, int painReductionPercent, boolean sustained) {
    Instant assessedAt = ClockUtil.getCurrentTime().toInstant();
    beans.facts.followUpAccepted(pi.getId(), assessedAt, painReductionPercent, sustained);
    deliver(EventTypes.FOLLOW_UP_RECORDED, pi.getId(), vars(Vars.PAIN_REDUCTION_PERCENT, painReductionPercent,
        Vars.RELIEF_SUSTAINED, sustained, Vars.FOLLOW_UP_ASSESSED_AT, assessedAt.toString()));
    runAsyncJobs();
  }

  /** A result, to the order instance that placed the order (the service finds it by the order id in its order table). */
  /**
   * The result of a test, if this round's work-up ordered it (its order instance still waits): a test that already has a
   * valid result is not ordered again (F18). Returns whether it was delivered.
   */
  protected boolean diagnosticResultIfOrdered(String code, Map<String, Object> result) {
    boolean waiting = beans.orderedCodes().contains(code)
        && runtimeService.createProcessInstanceQuery().processInstanceId(beans.order(code).processInstanceId()).count() > 0;
    if (waiting) {
      diagnosticResult(code, result);
    }
    return waiting;
  }

  protected void diagnosticResult(String code, Map<String, Object> result) {
    FakeBeans.Order order = beans.order(code);
    beans.facts.result(order, result);
    deliver(EventTypes.DIAGNOSTIC_RESULT, order.processInstanceId(), with(result, Vars.RESULT_TEST, code));
    runAsyncJobs();
  }

  /** An outcome the hospital reports as sustained (the service delivers it only after the procedure's minimum interval). */
  protected void treatmentOutcome(String code, int painReductionPercent) {
    treatmentOutcome(code, painReductionPercent, true);
  }

  protected void treatmentOutcome(String code, int painReductionPercent, boolean sustained) {
    FakeBeans.Order order = beans.order(code);
    beans.facts.outcome(order, painReductionPercent);
    deliver(EventTypes.TREATMENT_OUTCOME, order.processInstanceId(), vars(Vars.OUTCOME_PAIN_REDUCTION_PERCENT, painReductionPercent,
        Vars.OUTCOME_ASSESSED_AT, "2026-06-01T10:00:00Z", Vars.OUTCOME_SUSTAINED, sustained));
    runAsyncJobs();
  }

  /** A red flag for a pathway with no escalation under way, delivered as the service does. */
  protected void redFlag(ProcessInstance pi, String flag) {
    deliver(EventTypes.RED_FLAG_RAISED, pi.getId(), vars(Vars.RED_FLAGS, flag,
        Vars.RED_FLAG_OBSERVED_AT, ClockUtil.getCurrentTime().toInstant().toString(), Vars.INTERRUPTION_REASON, "RED_FLAG"));
    runAsyncJobs();
  }

  /** The escalation under way (the one red-flag-escalation instance running). */
  protected ProcessInstance escalation() {
    List<ProcessInstance> running = runtimeService.createProcessInstanceQuery().processDefinitionKey(Processes.RED_FLAG_ESCALATION).list();
    assertThat(running).as("escalations under way").hasSize(1);
    return running.get(0);
  }

  /** A further red flag while an escalation is under way: the service delivers it to the escalation. */
  protected void furtherRedFlag(String flag, Instant observedAt) {
    deliver(EventTypes.RED_FLAG_RAISED, escalation().getId(), vars(Vars.FURTHER_FLAG, flag, Vars.FURTHER_FLAG_OBSERVED_AT,
        observedAt.toString()));
    runAsyncJobs();
  }

  /** A withdrawal, to the pathway (the service finds it by the referral id in its pathway table). */
  protected void withdraw(ProcessInstance pi, String reason) {
    deliver(EventTypes.WITHDRAWAL_REQUESTED, pi.getId(), vars(Vars.WITHDRAWAL_REASON, reason));
    runAsyncJobs();
  }

  // ---------------------------------------------------------------- tasks

  protected Task task(String taskDefinitionKey) {
    List<Task> tasks = taskService.createTaskQuery().taskDefinitionKey(taskDefinitionKey).list();
    assertThat(tasks).as("open tasks %s", taskDefinitionKey).hasSize(1);
    return tasks.get(0);
  }

  protected boolean hasTask(String taskDefinitionKey) {
    return taskService.createTaskQuery().taskDefinitionKey(taskDefinitionKey).count() > 0;
  }

  protected void complete(String taskDefinitionKey, Map<String, Object> variables) {
    taskService.complete(task(taskDefinitionKey).getId(), variables);
    runAsyncJobs();
  }

  protected void complete(String taskDefinitionKey) {
    complete(taskDefinitionKey, Map.of());
  }

  protected static Map<String, Object> vars(Object... keyValues) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  protected Object variable(ProcessInstance pi, String name) {
    return runtimeService.getVariable(pi.getId(), name);
  }

  protected Object historicVariable(ProcessInstance pi, String name) {
    var v = historyService.createHistoricVariableInstanceQuery().processInstanceId(pi.getId()).variableName(name)
        .singleResult();
    return v == null ? null : v.getValue();
  }

  protected boolean ended(ProcessInstance pi) {
    return runtimeService.createProcessInstanceQuery().processInstanceId(pi.getId()).count() == 0;
  }

  // ---------------------------------------------------------------- walking the pathway

  /** From enrolment to the clinician's review of the failure hypotheses (steroid failed). */
  protected ProcessInstance enrolAndFailSteroid(Map<String, Object> enrolment) {
    ProcessInstance pi = enrol(enrolment);
    followUp(pi, 20, false);
    BpmnAwareTests.assertThat(pi).isWaitingAt(Tasks.REVIEW_FAILURE_HYPOTHESES);
    return pi;
  }

  /** Accepts the proposed hypotheses and the proposed work-up unchanged. */
  protected void acceptHypothesesAndWorkup() {
    complete(Tasks.REVIEW_FAILURE_HYPOTHESES);
    complete(Tasks.REVIEW_DIAGNOSTIC_WORKUP);
  }

  /**
   * From enrolment to an elective referral as the hard rules allow it: a large herniation at L4-L5 on the left confirmed
   * by a left L5 nerve root block, the epidural steroid injection of the enrolment and then physical therapy failed, 90
   * days after the documented steroid failure; the clinician accepts each proposal.
   */
  protected ProcessInstance referForElectiveSurgery() {
    ProcessInstance pi = enrolAndFailSteroid(with(enrolment(), "imagingFindings", "LARGE_DISC_HERNIATION", "painPattern", "RADICULAR",
        "imagingLevel", "L4-L5", "imagingSide", "LEFT"));
    acceptHypothesesAndWorkup();
    diagnosticResultIfOrdered("SELECTIVE_NERVE_ROOT_BLOCK", leftL5RootBlock());
    complete(Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS);
    assertThat(runtimeService.getVariable(pi.getId(), "proposedTreatment")).isEqualTo("TARGETED_PHYSICAL_THERAPY");
    complete(Tasks.CONFIRM_TREATMENT);
    complete(Tasks.SCHEDULE_PROCEDURE, vars("scheduledFor", "2026-04-01"));
    treatmentOutcome("TARGETED_PHYSICAL_THERAPY", 10);
    advance(Duration.ofDays(90));
    acceptHypothesesAndWorkup();
    diagnosticResultIfOrdered("SELECTIVE_NERVE_ROOT_BLOCK", leftL5RootBlock());
    complete(Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS);
    assertThat(runtimeService.getVariable(pi.getId(), "proposedTreatment")).isEqualTo("ELECTIVE_SURGICAL_REFERRAL");
    complete(Tasks.CONFIRM_TREATMENT);
    return pi;
  }

  /** A positive left L5 nerve root block with 90% relief. */
  protected static Map<String, Object> leftL5RootBlock() {
    return with(positive(), "blockLevel", "L5", "blockSide", "LEFT");
  }

  protected static Map<String, Object> positive() {
    return vars("resultOutcome", "POSITIVE", "resultPerformedAt", "2026-03-20T10:00:00Z", "blockReliefPercent", 90, "blockLevel", "L4-L5");
  }

  protected static Map<String, Object> negative() {
    return vars("resultOutcome", "NEGATIVE", "resultPerformedAt", "2026-03-20T10:00:00Z");
  }

  protected static Map<String, Object> with(Map<String, Object> base, Object... keyValues) {
    Map<String, Object> m = new HashMap<>(base);
    m.putAll(vars(keyValues));
    return m;
  }
}
