package io.pathway.service.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pathway.bpmn.PathwayModel.Tasks;
import io.pathway.model.Topics;
import io.pathway.model.codes.DiagnosticTest;
import io.pathway.model.codes.ImagingFinding;
import io.pathway.model.codes.OrderKind;
import io.pathway.model.codes.PainPattern;
import io.pathway.model.codes.RedFlag;
import io.pathway.model.codes.SteroidKind;
import io.pathway.model.codes.TestOutcome;
import io.pathway.model.events.DiagnosticResult;
import io.pathway.model.events.EnrolmentRequested;
import io.pathway.model.events.Findings;
import io.pathway.model.events.FollowUpRecorded;
import io.pathway.model.events.OrderPlaced;
import io.pathway.model.events.RedFlagRaised;
import io.pathway.model.events.SteroidTreatment;
import io.pathway.service.PathwayServiceTest;
import io.pathway.service.support.Hospital;
import io.pathway.service.support.JourneyTest;
import io.pathway.service.support.Outbound;
import io.pathway.service.support.Tasklist;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.repository.Deployment;
import org.camunda.bpm.engine.repository.DeploymentBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.LinkedMultiValueMap;

/**
 * Issue 22 as an operator does it, through the service's API: pathways run on the production models; a second
 * version is deployed with one changed row of the failure-hypotheses table (a neuropathic screen of 3 now
 * proposes central sensitization, it took 4) and the hypotheses review moved into a sub-process of its own.
 * The dry run names exactly the pathways it affects, with the decision before and after; the migration moves
 * the chosen ones as a batch, leaves the others and holds the one inside an open red-flag escalation; the
 * changed decision gets a clinician review task and the moved pathway's hard rules are re-checked at its next gate.
 * The second version is undeployed afterwards (cascade), so later tests start the production models.
 */
@PathwayServiceTest
class PathwayUpgradeTest extends JourneyTest {

  static final String OPERATOR = "upgrade-operator";

  @Autowired
  RepositoryService repository;
  @Autowired
  IdentityService identity;
  @Autowired
  HistoryService history;
  @Autowired
  TaskService taskService;
  @Autowired
  ObjectMapper json;

  Deployment second;
  final List<String> reviewTasks = new ArrayList<>();

  @BeforeEach
  void operator() {
    if (identity.createUserQuery().userId(OPERATOR).count() == 0) {
      User user = identity.newUser(OPERATOR);
      user.setFirstName("Olive");
      user.setLastName("Operator");
      user.setPassword(OPERATOR);
      identity.saveUser(user);
      identity.createMembership(OPERATOR, "pathway-operators");
    }
  }

  @AfterEach
  void undeployTheSecondVersion() {
    reviewTasks.forEach(id -> taskService.deleteTask(id, true));
    if (second != null) {
      repository.deleteDeployment(second.getId(), true, true, true);
    }
  }

  // ------------------------------------------------------------------ the journey

  @Test
  void shouldDryRunMigrateAsABatchHoldAnOpenEscalationAndAskAClinicianToReviewAChangedDecision() throws Exception {
    String changed = newPatientRef();   // screen 3: the new row proposes central sensitization; waits at the moved review
    String same = newPatientRef();      // screen 6: both versions propose it; waits at the moved review
    String early = newPatientRef();     // no follow-up yet: no decision taken, waits for the follow-up
    String escalated = newPatientRef(); // screen 3, then foot drop: an urgent escalation is open
    enrol(changed, 3);
    enrol(same, 6);
    enrol(early, 3);
    enrol(escalated, 3);
    for (String p : List.of(changed, same, escalated)) {
      Hospital.send(Topics.CLINICAL_OBSERVATIONS, new FollowUpRecorded(p, "EPIDURAL_STEROID_INJECTION", 20, true, Instant.now()));
      tasklist.await(Tasklist.CLINICIAN, Tasks.REVIEW_FAILURE_HYPOTHESES, p);
    }
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised(escalated, RedFlag.FOOT_DROP, Instant.now()));
    tasklist.await(Tasklist.COORDINATOR, Tasks.CONFIRM_URGENT_SURGICAL_REFERRAL, escalated);
    await().atMost(Duration.ofSeconds(30)).until(() -> pathwayId(early) != null && activeDefinition(pathwayId(early)) != null);
    String first = activeDefinition(pathwayId(changed));
    List<String> mine = List.of(pathwayId(changed), pathwayId(same), pathwayId(early), pathwayId(escalated));

    second = deploySecondVersion();
    String target = repository.createProcessDefinitionQuery().deploymentId(second.getId())
        .processDefinitionKey("steroid-failure-escalation").singleResult().getId();

    // the versions, newest first
    JsonNode versions = get("/api/upgrades/versions");
    assertThat(versions.get(0).path("definitionId").asText()).isEqualTo(target);

    // ---- dry run
    JsonNode dryRun = post("/api/upgrades/dry-runs", Map.of("targetDefinitionId", target, "pathwayIds", mine), HttpStatus.CREATED);
    assertThat(dryRun.path("target").path("definitionId").asText()).isEqualTo(target);
    assertThat(texts(dryRun.path("affected"))).as(dryRun.path("pathways").toPrettyString()).containsExactlyInAnyOrder(pathwayId(changed), pathwayId(same), pathwayId(escalated));
    JsonNode plan = dryRun.path("plans").get(0);
    assertThat(plan.path("failures")).isEmpty();
    assertThat(plan.path("instructions")).anySatisfy(i -> {
      assertThat(i.path("from").asText()).isEqualTo(Tasks.REVIEW_FAILURE_HYPOTHESES);
      assertThat(i.path("moved").asBoolean()).isTrue();
    });

    JsonNode a = pathway(dryRun, changed);
    assertThat(a.path("migrationValid").asBoolean()).isTrue();
    assertThat(texts(a.path("movedTokens"))).containsExactly(Tasks.REVIEW_FAILURE_HYPOTHESES);
    assertThat(tokenIds(a)).contains(Tasks.REVIEW_FAILURE_HYPOTHESES);
    List<JsonNode> changes = changedDecisions(a);
    assertThat(changes).as(a.toPrettyString()).singleElement().satisfies(d -> {
      assertThat(d.path("decision").asText()).isEqualTo("failure-hypotheses");
      assertThat(hypotheses(d.path("before"))).doesNotContain("NEUROPATHIC_OR_CENTRAL_SENSITIZATION");
      assertThat(hypotheses(d.path("after"))).contains("NEUROPATHIC_OR_CENTRAL_SENSITIZATION")
          .containsAll(hypotheses(d.path("before")));
    });

    JsonNode b = pathway(dryRun, same);
    assertThat(b.path("migrationValid").asBoolean()).isTrue();
    assertThat(changedDecisions(b)).isEmpty();
    assertThat(b.path("decisions")).singleElement().satisfies(d -> assertThat(d.path("comparable").asBoolean()).isTrue());
    assertThat(texts(b.path("movedTokens"))).containsExactly(Tasks.REVIEW_FAILURE_HYPOTHESES);

    JsonNode c = pathway(dryRun, early);
    assertThat(c.path("affected").asBoolean()).isFalse();
    assertThat(c.path("migrationValid").asBoolean()).isTrue();
    assertThat(c.path("decisions")).isEmpty();
    assertThat(c.path("movedTokens")).isEmpty();

    JsonNode d = pathway(dryRun, escalated);
    assertThat(d.path("escalationOpen").asBoolean()).isTrue();
    assertThat(tokenIds(d)).contains("CallActivity_RedFlagEscalation");
    assertThat(changedDecisions(d)).hasSize(1);

    // a dry run moves nothing
    for (String id : mine) {
      assertThat(activeDefinition(id)).isEqualTo(first);
    }

    // ---- migration of the affected pathways; the unaffected one is left alone
    String dryRunId = dryRun.path("id").asText();
    List<String> affected = texts(dryRun.path("affected"));
    JsonNode run = post("/api/upgrades/dry-runs/" + dryRunId + "/migration", Map.of("pathwayIds", affected), HttpStatus.ACCEPTED);
    String runId = run.path("id").asText();
    assertThat(run.path("requestedBy").asText()).isEqualTo(OPERATOR);
    assertThat(item(run, escalated).path("status").asText()).isEqualTo("HELD");
    assertThat(item(run, changed).path("status").asText()).isEqualTo("SUBMITTED");
    assertThat(item(run, changed).path("batchId").asText()).isNotBlank();

    JsonNode migrated = await().atMost(Duration.ofSeconds(60)).until(() -> get("/api/upgrades/runs/" + runId),
        r -> "MIGRATED".equals(item(r, changed).path("status").asText()) && "MIGRATED".equals(item(r, same).path("status").asText()));
    assertThat(activeDefinition(pathwayId(changed))).isEqualTo(target);
    assertThat(activeDefinition(pathwayId(same))).isEqualTo(target);
    assertThat(activeDefinition(pathwayId(early))).isEqualTo(first);
    assertThat(activeDefinition(pathwayId(escalated))).as("never moved inside an open escalation").isEqualTo(first);
    assertThat(item(migrated, escalated).path("status").asText()).isEqualTo("HELD");

    // the moved task is still the clinician's, now inside its new sub-process
    assertThat(tasklist.tasks(Tasklist.CLINICIAN, Tasks.REVIEW_FAILURE_HYPOTHESES, changed)).hasSize(1);

    // a changed decision gets a clinician review task; an unchanged one does not
    String review = item(migrated, changed).path("reviewTaskId").asText();
    reviewTasks.add(review);
    assertThat(item(migrated, same).path("reviewTaskId").isNull()).isTrue();
    ResponseEntity<String> task = rest.withBasicAuth(Tasklist.CLINICIAN, Tasklist.CLINICIAN).getForEntity("/engine-rest/task/{id}",
        String.class, review);
    assertThat(task.getStatusCode()).isEqualTo(HttpStatus.OK);
    JsonNode reviewTask = json.readTree(task.getBody());
    assertThat(reviewTask.path("name").asText()).endsWith(" · " + changed);
    assertThat(reviewTask.path("description").asText()).contains("NEUROPATHIC_OR_CENTRAL_SENSITIZATION");

    // each pathway's timeline says who moved it, when, from which version to which, on which dry run
    JsonNode timeline = get("/api/pathways/" + pathwayId(changed) + "/timeline", "demo");
    List<JsonNode> upgrades = new ArrayList<>();
    timeline.path("entries").forEach(e -> {
      if ("UPGRADE".equals(e.path("kind").asText())) {
        upgrades.add(e);
      }
    });
    assertThat(upgrades).extracting(e -> e.path("name").asText())
        .contains("pathway.upgrade.requested", "pathway.upgrade.migrated", "pathway.upgrade.review-requested");
    JsonNode moved = upgrades.stream().filter(e -> e.path("name").asText().equals("pathway.upgrade.migrated")).findFirst().orElseThrow();
    assertThat(moved.path("by").asText()).isEqualTo(OPERATOR);
    JsonNode data = moved.path("details").path("data");
    assertThat(data.path("dryRunId").asText()).isEqualTo(dryRunId);
    assertThat(data.path("from").path("definitionId").asText()).isEqualTo(first);
    assertThat(data.path("to").path("definitionId").asText()).isEqualTo(target);
    JsonNode requested = upgrades.stream().filter(e -> e.path("name").asText().equals("pathway.upgrade.requested")).findFirst().orElseThrow();
    assertThat(texts(requested.path("details").path("data").path("pathways"))).containsExactlyInAnyOrderElementsOf(affected);

    // ---- the escalation ends: the held pathway ended with it (referred) and was never moved
    tasklist.completeWhenReady(Tasklist.COORDINATOR, Tasks.CONFIRM_URGENT_SURGICAL_REFERRAL, escalated,
        Map.of("urgentReferralConfirmed", true, "referralNote", "Spinal clinic tomorrow"));
    JsonNode ended = await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/upgrades/runs/" + runId),
        r -> "ENDED".equals(item(r, escalated).path("status").asText()));
    assertThat(ended).isNotNull();
    assertThat(history.createHistoricProcessInstanceQuery().processInstanceId(pathwayId(escalated)).singleResult().getProcessDefinitionId())
        .isEqualTo(first);

    // ---- the migrated pathway goes on in the new version; the hard rules are checked again at its next gate
    String patientBefore = patient;
    patient = changed;
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_FAILURE_HYPOTHESES, changed, Map.of());
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_DIAGNOSTIC_WORKUP, changed, Map.of());
    List<OrderPlaced> tests = await().atMost(Duration.ofSeconds(30)).until(
        () -> Outbound.events(Topics.ORDERS, OrderPlaced.class, changed).stream().filter(o -> o.kind() == OrderKind.DIAGNOSTIC).toList(),
        l -> !l.isEmpty());
    tests.forEach(o -> Hospital.send(Topics.DIAGNOSTIC_RESULTS, positive(o)));
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS, changed, Map.of());
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.CONFIRM_TREATMENT, changed, Map.of());
    patient = patientBefore;
    JsonNode rechecked = await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/upgrades/runs/" + runId),
        r -> !"PENDING".equals(item(r, changed).path("recheck").asText()));
    assertThat(item(rechecked, changed).path("recheck").asText()).isEqualTo("ALLOWED");
    assertThat(item(rechecked, same).path("recheck").asText()).isEqualTo("PENDING");
    assertThat(jdbc.queryForObject("select count(*) from pathway.journal where pathway_id = ? and ce_type = 'pathway.upgrade.rechecked'",
        Integer.class, pathwayId(changed))).isEqualTo(1);
  }

  @Test
  void shouldOfferTheDryRunAndTheMigrationAsAPageToOperatorsOnly() {
    assertThat(rest.withBasicAuth(Tasklist.COORDINATOR, Tasklist.COORDINATOR).getForEntity("/api/upgrades/versions", String.class)
        .getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(rest.withBasicAuth(Tasklist.CLINICIAN, Tasklist.CLINICIAN).postForEntity("/api/upgrades/dry-runs", json(Map.of()),
        String.class).getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(rest.getForEntity("/api/upgrades/page", String.class).getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);

    enrol(patient, 3);
    await().atMost(Duration.ofSeconds(30)).until(() -> pathwayId(patient) != null && activeDefinition(pathwayId(patient)) != null);
    ResponseEntity<String> page = rest.withBasicAuth(OPERATOR, OPERATOR).getForEntity("/api/upgrades/page", String.class);
    assertThat(page.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(page.getBody()).contains("Versions of the pathway model", activeDefinition(pathwayId(patient)));

    // with one version only there is nothing to move: the page's dry run says so, and its form needs its own token
    LinkedMultiValueMap<String, String> form = new LinkedMultiValueMap<>();
    form.add("pathways", pathwayId(patient));
    ResponseEntity<String> dryRun = rest.withBasicAuth("demo", "demo").postForEntity("/api/upgrades/page/dry-run", formEntity(form),
        String.class);
    assertThat(dryRun.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(dryRun.getBody()).contains("Nothing has moved");
    String dryRunId = dryRun.getBody().replaceAll("(?s).*name='dryRunId' value='([^']+)'.*", "$1");
    LinkedMultiValueMap<String, String> forged = new LinkedMultiValueMap<>();
    forged.add("dryRunId", dryRunId);
    forged.add("token", "guessed");
    forged.add("pathway", pathwayId(patient));
    assertThat(rest.withBasicAuth(OPERATOR, OPERATOR).postForEntity("/api/upgrades/page/migration", formEntity(forged), String.class)
        .getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
  }

  // ------------------------------------------------------------------ the second version

  /**
   * The production models again, with the failure-hypotheses row "neuropathic screen >= 4" now ">= 3", and the
   * hypotheses review moved into a sub-process of its own (same task id, another scope).
   */
  Deployment deploySecondVersion() throws IOException {
    DeploymentBuilder builder = repository.createDeployment().name("pathway-upgrade-test-v2");
    PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
    for (String pattern : List.of("classpath*:bpmn/*.bpmn", "classpath*:dmn/*.dmn", "classpath*:forms/*.form")) {
      for (Resource r : resolver.getResources(pattern)) {
        String name = pattern.substring("classpath*:".length(), pattern.indexOf('/') + 1) + r.getFilename();
        String text;
        try (InputStream in = r.getInputStream()) {
          text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (name.equals("dmn/failure-hypotheses.dmn")) {
          String row = "<inputEntry id=\"Rule_NeuropathicScreenPositive_In6\"><text>&gt;= 4</text></inputEntry>";
          assertThat(text).contains(row);
          text = text.replace(row, row.replace("&gt;= 4", "&gt;= 3"));
        }
        if (name.equals("bpmn/steroid-failure-escalation.bpmn")) {
          text = moveReviewIntoSubProcess(text);
        }
        builder.addString(name, text);
      }
    }
    return builder.deploy();
  }

  static String moveReviewIntoSubProcess(String bpmn) {
    int start = bpmn.indexOf("<bpmn:userTask id=\"Task_ReviewFailureHypotheses\"");
    int end = bpmn.indexOf("</bpmn:userTask>", start) + "</bpmn:userTask>".length();
    assertThat(start).isPositive();
    String task = bpmn.substring(start, end)
        .replace("<bpmn:incoming>Flow_ReviewHypothesesEntryToReviewFailureHypotheses</bpmn:incoming>",
            "<bpmn:incoming>Flow_ReviewStartToReview</bpmn:incoming>")
        .replace("<bpmn:outgoing>Flow_ReviewHypothesesToCheck</bpmn:outgoing>", "<bpmn:outgoing>Flow_ReviewToReviewEnd</bpmn:outgoing>");
    String subProcess = "<bpmn:subProcess id=\"SubProcess_ReviewHypotheses\" name=\"Clinical review of the hypotheses\">"
        + "<bpmn:incoming>Flow_ReviewHypothesesEntryToReviewFailureHypotheses</bpmn:incoming>"
        + "<bpmn:outgoing>Flow_ReviewHypothesesToCheck</bpmn:outgoing>"
        + "<bpmn:startEvent id=\"StartEvent_ReviewHypotheses\"><bpmn:outgoing>Flow_ReviewStartToReview</bpmn:outgoing></bpmn:startEvent>"
        + task
        + "<bpmn:endEvent id=\"End_ReviewHypotheses\"><bpmn:incoming>Flow_ReviewToReviewEnd</bpmn:incoming></bpmn:endEvent>"
        + "<bpmn:sequenceFlow id=\"Flow_ReviewStartToReview\" sourceRef=\"StartEvent_ReviewHypotheses\" targetRef=\"Task_ReviewFailureHypotheses\" />"
        + "<bpmn:sequenceFlow id=\"Flow_ReviewToReviewEnd\" sourceRef=\"Task_ReviewFailureHypotheses\" targetRef=\"End_ReviewHypotheses\" />"
        + "</bpmn:subProcess>";
    String moved = bpmn.substring(0, start) + subProcess + bpmn.substring(end);
    return moved
        .replace("targetRef=\"Task_ReviewFailureHypotheses\" />", "targetRef=\"SubProcess_ReviewHypotheses\" />")
        .replace("<bpmn:sequenceFlow id=\"Flow_ReviewHypothesesToCheck\" sourceRef=\"Task_ReviewFailureHypotheses\"",
            "<bpmn:sequenceFlow id=\"Flow_ReviewHypothesesToCheck\" sourceRef=\"SubProcess_ReviewHypotheses\"")
        // the flow inside the new sub-process keeps its target
        .replace("sourceRef=\"StartEvent_ReviewHypotheses\" targetRef=\"SubProcess_ReviewHypotheses\" />",
            "sourceRef=\"StartEvent_ReviewHypotheses\" targetRef=\"Task_ReviewFailureHypotheses\" />");
  }

  // ------------------------------------------------------------------ helpers

  void enrol(String patientRef, int neuropathicScore) {
    LocalDate steroid = LocalDate.now().minusDays(40);
    Hospital.send(Topics.PATHWAY_ENROLMENTS, new EnrolmentRequested("REF-" + patientRef, patientRef,
        new SteroidTreatment(SteroidKind.EPIDURAL_STEROID_INJECTION, steroid, true, true), PainPattern.AXIAL, 7, false,
        List.of(ImagingFinding.FACET_ARTHROPATHY), neuropathicScore, List.of(), LocalDate.now().minusMonths(1)));
  }

  static DiagnosticResult positive(OrderPlaced order) {
    DiagnosticTest test = DiagnosticTest.valueOf(order.code());
    Findings findings = switch (test) {
      case CONTRAST_MRI -> new Findings(io.pathway.model.codes.MriFinding.RECURRENT_HERNIATION, null, null, null, null, null);
      case SELECTIVE_NERVE_ROOT_BLOCK -> new Findings(null, "L5", 90, null, null, null);
      case DISCOGRAPHY -> new Findings(null, "L4-L5", null, true, true, null);
      case MEDIAL_BRANCH_BLOCK, SI_JOINT_BLOCK -> new Findings(null, null, 90, null, null, "BILATERAL");
    };
    return new DiagnosticResult(order.orderId(), order.patientRef(), test, TestOutcome.POSITIVE, findings, Instant.now());
  }

  String pathwayId(String patientRef) {
    return jdbc.query("select pathway_id from pathway.pathway_ref where patient_ref = ? and kind = 'PATHWAY'",
        (rs, i) -> rs.getString(1), patientRef).stream().findFirst().orElse(null);
  }

  /** The version a running pathway is on (null when it is not running). */
  String activeDefinition(String pathwayId) {
    var p = history.createHistoricProcessInstanceQuery().processInstanceId(pathwayId).unfinished().singleResult();
    return p == null ? null : p.getProcessDefinitionId();
  }

  JsonNode get(String path) throws IOException {
    return get(path, OPERATOR);
  }

  JsonNode get(String path, String user) throws IOException {
    ResponseEntity<String> r = rest.withBasicAuth(user, user).getForEntity(path, String.class);
    assertThat(r.getStatusCode()).as(path + ": " + r.getBody()).isEqualTo(HttpStatus.OK);
    return json.readTree(r.getBody());
  }

  JsonNode post(String path, Object body, HttpStatus expected) throws IOException {
    ResponseEntity<String> r = rest.withBasicAuth(OPERATOR, OPERATOR).exchange(path, HttpMethod.POST, json(body), String.class);
    assertThat(r.getStatusCode()).as(path + ": " + r.getBody()).isEqualTo(expected);
    return json.readTree(r.getBody());
  }

  HttpEntity<String> json(Object body) {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_JSON);
    try {
      return new HttpEntity<>(json.writeValueAsString(body), headers);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static HttpEntity<LinkedMultiValueMap<String, String>> formEntity(LinkedMultiValueMap<String, String> form) {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_FORM_URLENCODED);
    return new HttpEntity<>(form, headers);
  }

  JsonNode pathway(JsonNode dryRun, String patientRef) {
    String id = pathwayId(patientRef);
    for (JsonNode p : dryRun.path("pathways")) {
      if (p.path("pathwayId").asText().equals(id)) {
        return p;
      }
    }
    throw new AssertionError("pathway of " + patientRef + " not in the dry run");
  }

  JsonNode item(JsonNode run, String patientRef) {
    String id = pathwayId(patientRef);
    for (JsonNode i : run.path("items")) {
      if (i.path("pathwayId").asText().equals(id)) {
        return i;
      }
    }
    throw new AssertionError("pathway of " + patientRef + " not in the run");
  }

  static List<JsonNode> changedDecisions(JsonNode pathway) {
    List<JsonNode> changed = new ArrayList<>();
    pathway.path("decisions").forEach(d -> {
      if (d.path("changed").asBoolean()) {
        changed.add(d);
      }
    });
    return changed;
  }

  static List<String> hypotheses(JsonNode rows) {
    List<String> h = new ArrayList<>();
    rows.forEach(r -> h.add(r.path("hypothesis").asText()));
    return h;
  }

  static List<String> tokenIds(JsonNode pathway) {
    List<String> ids = new ArrayList<>();
    pathway.path("tokens").forEach(t -> ids.add(t.path("activityId").asText()));
    return ids;
  }

  static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(n -> texts.add(n.asText()));
    return texts;
  }
}
