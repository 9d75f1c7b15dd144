package io.pathway.service.views;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pathway.bpmn.PathwayModel.Processes;
import io.pathway.bpmn.PathwayModel.Tasks;
import io.pathway.model.Topics;
import io.pathway.model.codes.ImagingFinding;
import io.pathway.model.codes.PainPattern;
import io.pathway.model.codes.SteroidKind;
import io.pathway.model.events.EnrolmentRequested;
import io.pathway.model.events.FollowUpRecorded;
import io.pathway.model.events.SteroidTreatment;
import io.pathway.service.PathwayServiceTest;
import io.pathway.service.support.Hospital;
import io.pathway.service.support.Tasklist;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.FormService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * Only declared inputs (issue 9): a completion or a start may set only what its form declares editable, through the
 * engine REST API and through the Tasklist webapp; the other doors that write variables or move tokens are closed to
 * everyone but administrators.
 */
@PathwayServiceTest
class DeclaredInputsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** The hard-rule inputs of issue 9, as a forger would send them. */
  private static final Map<String, Object> FORGED = Map.of(
      "medialBranchBlockOutcome", "POSITIVE",
      "facetBlockPositive", true,
      "electiveMinFailedCareDays", 0,
      "treatmentsTried", "RADIOFREQUENCY_ABLATION");

  @Autowired
  TestRestTemplate rest;
  @Autowired
  RuntimeService runtime;
  @Autowired
  TaskService taskService;
  @Autowired
  RepositoryService repository;
  @Autowired
  FormService formService;
  Tasklist tasklist;
  String patient;

  @BeforeEach
  void newPatient() {
    tasklist = new Tasklist(rest);
    patient = "PT-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A facet-pain patient whose steroid failed: the clinician's hypotheses review is open. */
  private Tasklist.Task hypothesesReview() {
    LocalDate date = LocalDate.now().minusDays(40);
    Hospital.send(Topics.PATHWAY_ENROLMENTS, new EnrolmentRequested("REF-" + patient, patient,
        new SteroidTreatment(SteroidKind.EPIDURAL_STEROID_INJECTION, date, true, true), PainPattern.AXIAL, 7, false,
        List.of(ImagingFinding.FACET_ARTHROPATHY), 2, List.of(), date.minusMonths(3)));
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new FollowUpRecorded(patient, "EPIDURAL_STEROID_INJECTION", 20, true, Instant.now()));
    return tasklist.await(Tasklist.CLINICIAN, Tasks.REVIEW_FAILURE_HYPOTHESES, patient);
  }

  @Test
  void shouldRefuseForgedHardRuleInputsAtEveryCompletionDoorAndChangeNothing() throws IOException {
    // given
    Tasklist.Task review = hypothesesReview();
    Map<String, Object> before = runtime.getVariables(review.processInstanceId());
    Map<String, Object> forged = new LinkedHashMap<>(FORGED);
    forged.put("hypothesisPossibleMisdiagnosis", true);

    for (String door : List.of("complete", "submit-form", "resolve")) {
      // when
      ResponseEntity<String> response = post(Tasklist.CLINICIAN, "/engine-rest/task/" + review.id() + "/" + door, variables(forged));

      // then
      assertThat(response.getStatusCode()).as(door).isEqualTo(HttpStatus.BAD_REQUEST);
      JsonNode error = JSON.readTree(response.getBody());
      assertThat(error.get("message").asText()).contains(FORGED.keySet()).doesNotContain("hypothesisPossibleMisdiagnosis");
      assertThat(error.get("fields")).extracting(JsonNode::asText).containsExactlyInAnyOrderElementsOf(FORGED.keySet());
    }
    assertUnchanged(review, before);
  }

  @Test
  void shouldRefuseEachForgedInputAloneAndOnTheEnginesOwnPath() throws IOException {
    Tasklist.Task review = hypothesesReview();
    Map<String, Object> before = runtime.getVariables(review.processInstanceId());

    for (var forged : FORGED.entrySet()) {
      ResponseEntity<String> response = post(Tasklist.CLINICIAN, "/engine-rest/engine/default/task/" + review.id() + "/complete",
          variables(Map.of(forged.getKey(), forged.getValue())));

      assertThat(response.getStatusCode()).as(forged.getKey()).isEqualTo(HttpStatus.BAD_REQUEST);
      assertThat(JSON.readTree(response.getBody()).get("message").asText()).contains(forged.getKey());
    }
    // nor is a name given twice read the harmless way
    ResponseEntity<String> twice = post(Tasklist.CLINICIAN, "/engine-rest/task/" + review.id() + "/complete",
        "{\"variables\":{\"facetBlockPositive\":{\"value\":true}},\"variables\":{\"hypothesesOverrideReason\":{\"value\":\"x\"}}}");
    assertThat(twice.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    // the coordinator, who may not work this task, is refused the same way before the engine is asked
    assertThat(post(Tasklist.COORDINATOR, "/engine-rest/task/" + review.id() + "/complete", variables(FORGED)).getStatusCode())
        .isEqualTo(HttpStatus.BAD_REQUEST);
    assertUnchanged(review, before);
  }

  @Test
  void shouldRefuseForgedInputsSubmittedThroughTheTasklistWebapp() throws IOException {
    // given
    Tasklist.Task review = hypothesesReview();
    Map<String, Object> before = runtime.getVariables(review.processInstanceId());
    TasklistWebapp browser = TasklistWebapp.login(rest, Tasklist.CLINICIAN, Tasklist.CLINICIAN);

    for (String door : List.of("submit-form", "complete")) {
      // when
      ResponseEntity<String> response = browser.post("/task/" + review.id() + "/" + door, variables(FORGED));

      // then
      assertThat(response.getStatusCode()).as(door).isEqualTo(HttpStatus.BAD_REQUEST);
      assertThat(JSON.readTree(response.getBody()).get("message").asText()).contains("medialBranchBlockOutcome");
    }
    assertUnchanged(review, before);

    // and the form's own submission goes through
    ResponseEntity<String> submitted = browser.post("/task/" + review.id() + "/submit-form", variables(Map.of(
        "hypothesisPossibleMisdiagnosis", true, "hypothesisStructuralCompression", false, "hypothesesOverrideReason", "")));
    assertThat(submitted.getStatusCode()).as(submitted.getBody()).isEqualTo(HttpStatus.NO_CONTENT);
    assertThat(taskService.createTaskQuery().taskId(review.id()).count()).isZero();
  }

  @Test
  void shouldAcceptACompletionThatSetsOnlyTheFormsFields() {
    Tasklist.Task review = hypothesesReview();

    ResponseEntity<String> response = post(Tasklist.CLINICIAN, "/engine-rest/task/" + review.id() + "/complete", variables(Map.of(
        "hypothesisNeuropathicOrCentralSensitization", true, "hypothesesOverrideReason", "allodynia on examination")));

    assertThat(response.getStatusCode()).isEqualTo(HttpStatus.NO_CONTENT);
    assertThat(runtime.getVariable(review.processInstanceId(), "hypothesesOverrideReason")).isEqualTo("allodynia on examination");
    tasklist.await(Tasklist.CLINICIAN, Tasks.REVIEW_DIAGNOSTIC_WORKUP, patient);
  }

  @Test
  void shouldRefuseAStartThatSetsMoreThanTheEnrolmentFormAtEveryStartDoor() throws IOException {
    String definitionId = repository.createProcessDefinitionQuery().processDefinitionKey(Processes.PATHWAY).latestVersion()
        .singleResult().getId();
    TasklistWebapp browser = TasklistWebapp.login(rest, Tasklist.COORDINATOR, Tasklist.COORDINATOR);
    Map<String, Object> start = enrolment();
    start.put("medialBranchBlockOutcome", "POSITIVE");

    for (String door : List.of("/engine-rest/process-definition/key/" + Processes.PATHWAY + "/start",
        "/engine-rest/process-definition/key/" + Processes.PATHWAY + "/submit-form",
        "/engine-rest/process-definition/" + definitionId + "/start",
        "/engine-rest/process-definition/" + definitionId + "/submit-form")) {
      ResponseEntity<String> response = post(Tasklist.COORDINATOR, door, variables(start));

      assertThat(response.getStatusCode()).as(door).isEqualTo(HttpStatus.BAD_REQUEST);
      assertThat(JSON.readTree(response.getBody()).get("message").asText()).contains("medialBranchBlockOutcome");
    }
    ResponseEntity<String> webapp = browser.post("/process-definition/key/" + Processes.PATHWAY + "/submit-form", variables(start));
    assertThat(webapp.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    // nor may a start begin elsewhere than at the start event
    ResponseEntity<String> instructions = post(Tasklist.COORDINATOR,
        "/engine-rest/process-definition/key/" + Processes.PATHWAY + "/start",
        "{\"variables\":{},\"startInstructions\":[{\"type\":\"startBeforeActivity\",\"activityId\":\"Task_ConfirmTreatment\"}]}");
    assertThat(instructions.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(instructions.getBody()).contains("startInstructions");

    assertThat(runtime.createProcessInstanceQuery().processInstanceBusinessKey("REF-" + patient).count()).isZero();
  }

  @Test
  void shouldAcceptAStartWithTheEnrolmentFormsFields() {
    ResponseEntity<String> response = post(Tasklist.COORDINATOR,
        "/engine-rest/process-definition/key/" + Processes.PATHWAY + "/submit-form", variables(enrolment()));

    assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(runtime.createProcessInstanceQuery().variableValueEquals("patientRef", patient).count()).isEqualTo(1);
  }

  @Test
  void shouldRefuseACompletionThatLeavesOutARequiredAnswerAndChangeNothing() throws IOException {
    // given: a follow-up is overdue (steroid 40 days ago, nothing heard), so the coordinator must record it
    LocalDate date = LocalDate.now().minusDays(40);
    Hospital.send(Topics.PATHWAY_ENROLMENTS, new EnrolmentRequested("REF-" + patient, patient,
        new SteroidTreatment(SteroidKind.ORAL_CORTICOSTEROID, date, null, null), PainPattern.RADICULAR, 6, false,
        List.of(), 1, List.of(), date.minusMonths(3)));
    Tasklist.Task followUp = tasklist.await(Tasklist.COORDINATOR, Tasks.RECORD_FOLLOW_UP_ASSESSMENT, patient);

    // when: a hurried REST call gives the pain reduction but not whether the relief lasted, or leaves it empty
    ResponseEntity<String> missing = post(Tasklist.COORDINATOR, "/engine-rest/task/" + followUp.id() + "/complete",
        variables(Map.of("painReductionPercent", 80)));
    ResponseEntity<String> empty = post(Tasklist.COORDINATOR, "/engine-rest/task/" + followUp.id() + "/complete",
        "{\"variables\":{\"painReductionPercent\":{\"value\":80},\"reliefSustained\":{\"value\":null}}}");

    // then: 400 naming the answer, and the task is still open with nothing written
    for (ResponseEntity<String> response : List.of(missing, empty)) {
      assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(HttpStatus.BAD_REQUEST);
      assertThat(JSON.readTree(response.getBody()).get("message").asText()).contains("reliefSustained").contains("record-follow-up");
    }
    assertThat(taskService.createTaskQuery().taskId(followUp.id()).count()).isOne();
    assertThat(runtime.getVariable(followUp.processInstanceId(), "painReductionPercent")).isNull();

    // and the complete answer goes through
    ResponseEntity<String> answered = post(Tasklist.COORDINATOR, "/engine-rest/task/" + followUp.id() + "/complete",
        variables(Map.of("painReductionPercent", 80, "reliefSustained", "false")));
    assertThat(answered.getStatusCode()).as(answered.getBody()).isEqualTo(HttpStatus.NO_CONTENT);
    assertThat(runtime.getVariable(followUp.processInstanceId(), "reliefSustained")).isEqualTo(false);
  }

  @Test
  void shouldCloseTheOtherDoorsThatWriteVariablesOrMoveTokensToNonAdministrators() {
    // given
    Tasklist.Task review = hypothesesReview();
    String pi = review.processInstanceId();
    String execution = runtime.createExecutionQuery().processInstanceId(pi).list().get(0).getId();
    String value = "{\"value\":\"POSITIVE\",\"type\":\"String\"}";
    String modifications = "{\"modifications\":{\"medialBranchBlockOutcome\":" + value + "}}";
    Map<String, String[]> doors = new LinkedHashMap<>();
    doors.put("PUT /task/" + review.id() + "/variables/medialBranchBlockOutcome", new String[] {value});
    doors.put("POST /task/" + review.id() + "/variables", new String[] {modifications});
    doors.put("PUT /task/" + review.id() + "/localVariables/medialBranchBlockOutcome", new String[] {value});
    doors.put("PUT /process-instance/" + pi + "/variables/medialBranchBlockOutcome", new String[] {value});
    doors.put("POST /process-instance/" + pi + "/variables", new String[] {modifications});
    doors.put("DELETE /process-instance/" + pi + "/variables/treatmentsTried", new String[] {null});
    doors.put("PUT /execution/" + execution + "/localVariables/medialBranchBlockOutcome", new String[] {value});
    doors.put("POST /message", new String[] {"{\"messageName\":\"pathway.withdrawal.requested.v1\",\"businessKey\":\"REF-" + patient + "\"}"});
    doors.put("POST /signal", new String[] {"{\"name\":\"anything\"}"});
    doors.put("POST /process-instance/" + pi + "/modification",
        new String[] {"{\"instructions\":[{\"type\":\"startBeforeActivity\",\"activityId\":\"Task_ConfirmTreatment\"}]}"});
    doors.put("POST /execution/" + execution + "/messageSubscriptions/pathway.withdrawal.requested.v1/trigger", new String[] {"{}"});
    doors.put("POST /job/any/execute", new String[] {null});
    doors.put("PUT /job/any/retries", new String[] {"{\"retries\":3}"});
    doors.put("DELETE /process-instance/" + pi, new String[] {null});

    for (String user : List.of(Tasklist.CLINICIAN, Tasklist.COORDINATOR)) {
      doors.forEach((door, body) -> {
        String[] parts = door.split(" ", 2);
        // when
        ResponseEntity<String> response = call(user, HttpMethod.valueOf(parts[0]), "/engine-rest" + parts[1], body[0]);
        // then
        assertThat(response.getStatusCode()).as("%s %s", user, door).isEqualTo(HttpStatus.FORBIDDEN);
      });
    }
    assertThat(runtime.getVariable(pi, "medialBranchBlockOutcome")).isNull();
    assertThat(runtime.getVariable(pi, "treatmentsTried")).isNotNull();
    assertThat(taskService.createTaskQuery().taskId(review.id()).count()).isOne();

    // and what a Tasklist user needs still works: queries, claiming
    ResponseEntity<String> query = call(Tasklist.COORDINATOR, HttpMethod.POST, "/engine-rest/task?firstResult=0&maxResults=10",
        "{\"taskDefinitionKey\":\"Task_ReviewFailureHypotheses\"}");
    assertThat(query.getStatusCode()).as(query.getBody()).isEqualTo(HttpStatus.OK);
    assertThat(call(Tasklist.CLINICIAN, HttpMethod.POST, "/engine-rest/task/" + review.id() + "/claim", "{\"userId\":\"clinician\"}")
        .getStatusCode()).isEqualTo(HttpStatus.NO_CONTENT);
  }

  @Test
  void shouldLeaveEveryDoorOpenToAdministrators() {
    Tasklist.Task review = hypothesesReview();

    ResponseEntity<String> response = call("demo", HttpMethod.PUT,
        "/engine-rest/process-instance/" + review.processInstanceId() + "/variables/operatorNote",
        "{\"value\":\"checked\",\"type\":\"String\"}");

    assertThat(response.getStatusCode()).isEqualTo(HttpStatus.NO_CONTENT);
    assertThat(runtime.getVariable(review.processInstanceId(), "operatorNote")).isEqualTo("checked");
  }

  @Test
  void shouldAcceptForEveryDeployedFormASubmissionOfExactlyItsEditableFields() throws IOException {
    // given: every form of the deployed pathway
    String deployment = repository.createProcessDefinitionQuery().processDefinitionKey(Processes.PATHWAY).latestVersion()
        .singleResult().getDeploymentId();
    List<String> resources = repository.getDeploymentResourceNames(deployment).stream().filter(n -> n.endsWith(".form")).toList();
    assertThat(resources).hasSizeGreaterThanOrEqualTo(11);

    for (String resource : resources) {
      try (InputStream in = repository.getResourceAsStream(deployment, resource)) {
        JsonNode form = JSON.readTree(in);
        FormInputs inputs = FormInputs.of(form);
        // when: form-js submits every field that is not disabled
        List<String> submitted = submittedByFormJs(form.get("components"));

        // then
        assertThat(submitted).as(resource).isNotEmpty();
        assertThat(inputs.undeclared(submitted)).as(resource).isEmpty();
        assertThat(inputs.undeclared(List.of("medialBranchBlockOutcome"))).as(resource).containsExactly("medialBranchBlockOutcome");
      }
    }
  }

  @Test
  void shouldDeclareTheHypothesesNotTheEvidenceEditableOnTheReviewForm() throws IOException {
    String deployment = repository.createProcessDefinitionQuery().processDefinitionKey(Processes.PATHWAY).latestVersion()
        .singleResult().getDeploymentId();
    try (InputStream in = repository.getResourceAsStream(deployment, resourceOf(deployment, "review-failure-hypotheses.form"))) {
      FormInputs inputs = FormInputs.of(JSON.readTree(in));

      assertThat(inputs.editable()).contains("hypothesisPossibleMisdiagnosis", "hypothesesOverrideReason")
          .doesNotContain("patientRef", "treatmentsTried", "proposedHypotheses", "hypothesesRefusalReason");
    }
  }

  private String resourceOf(String deployment, String fileName) {
    return repository.getDeploymentResourceNames(deployment).stream().filter(n -> n.endsWith(fileName)).findFirst().orElseThrow();
  }

  /** What form-js puts in a submission: the top-level key of every field that is not disabled. */
  private static List<String> submittedByFormJs(JsonNode components) {
    List<String> keys = new java.util.ArrayList<>();
    if (components != null) {
      for (JsonNode c : components) {
        if (c.path("disabled").asBoolean(false)) {
          continue;
        }
        if (c.has("path") && c.has("components")) {
          keys.add(c.get("path").asText().split("\\.")[0]);
        } else if (c.has("components")) {
          keys.addAll(submittedByFormJs(c.get("components")));
        } else if (c.has("key")) {
          keys.add(c.get("key").asText().split("\\.")[0]);
        }
      }
    }
    return keys;
  }

  private void assertUnchanged(Tasklist.Task task, Map<String, Object> before) {
    assertThat(taskService.createTaskQuery().taskId(task.id()).count()).as("task still open").isOne();
    Map<String, Object> after = runtime.getVariables(task.processInstanceId());
    assertThat(after.keySet()).isEqualTo(before.keySet());
    FORGED.keySet().forEach(name -> assertThat(after.get(name)).as(name).isEqualTo(before.get(name)));
    assertThat(after.get("hypothesisPossibleMisdiagnosis")).isEqualTo(before.get("hypothesisPossibleMisdiagnosis"));
  }

  /** Enrolment values for the fields the deployed start form declares (read from the form, not assumed). */
  private Map<String, Object> enrolment() {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("referralId", "REF-" + patient);
    values.put("patientRef", patient);
    values.put("steroidKind", "EPIDURAL_STEROID_INJECTION");
    values.put("steroidDate", LocalDate.now().minusDays(10).toString());
    values.put("imageGuided", true);
    values.put("contrastSpreadConfirmed", true);
    values.put("painPattern", "RADICULAR");
    values.put("baselinePainScore", 7);
    values.put("neuropathicScore", 2);
    values.put("priorSpineSurgery", false);
    values.put("symptomOnsetDate", LocalDate.now().minusMonths(3).toString());
    String definitionId = repository.createProcessDefinitionQuery().processDefinitionKey(Processes.PATHWAY).latestVersion()
        .singleResult().getId();
    try (InputStream in = formService.getDeployedStartForm(definitionId)) {
      var editable = FormInputs.of(JSON.readTree(in)).editable();
      return values.entrySet().stream().filter(e -> editable.contains(e.getKey()))
          .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String variables(Map<String, Object> variables) {
    StringBuilder body = new StringBuilder("{\"variables\":{");
    variables.forEach((k, v) -> {
      if (body.charAt(body.length() - 1) != '{') {
        body.append(',');
      }
      body.append('"').append(k).append("\":{\"value\":").append(v instanceof String ? "\"" + v + "\"" : String.valueOf(v)).append('}');
    });
    return body.append("}}").toString();
  }

  private ResponseEntity<String> post(String user, String path, String json) {
    return call(user, HttpMethod.POST, path, json);
  }

  private ResponseEntity<String> call(String user, HttpMethod method, String path, String json) {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_JSON);
    return rest.withBasicAuth(user, user).exchange(path, method, new HttpEntity<>(json, headers), String.class);
  }
}
