package io.pathway.bpmn.conventions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pathway.bpmn.PathwayModel;
import io.pathway.bpmn.support.TestEngine;
import io.pathway.model.EventTypes;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.Message;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.StartEvent;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnShape;
import org.camunda.bpm.model.dmn.Dmn;
import org.camunda.bpm.model.dmn.DmnModelInstance;
import org.camunda.bpm.model.dmn.instance.Decision;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Parses every model of the module and checks the conventions of docs/process-interface.md. */
class ModelConventionsTest {

  private static final Set<String> GROUPS = Set.of(PathwayModel.Groups.CARE_COORDINATORS, PathwayModel.Groups.SPINE_CLINICIANS);
  private static final Pattern GENERIC_ID = Pattern.compile(
      "^(UserTask|ServiceTask|Task|Activity|Gateway|Event|StartEvent|EndEvent|Flow|SequenceFlow|SubProcess|CallActivity|"
          + "BusinessRuleTask|IntermediateCatchEvent|IntermediateThrowEvent|BoundaryEvent|ExclusiveGateway|DecisionTable|"
          + "Decision|Rule|Input|Output|InputClause|OutputClause|UnaryTests|LiteralExpression)_[0-9][0-9a-z]*$");
  private static final ObjectMapper JSON = new ObjectMapper();

  static List<String> bpmnFiles() {
    return TestEngine.resources(PathwayModel.BPMN_FOLDER);
  }

  static List<String> dmnFiles() {
    return TestEngine.resources(PathwayModel.DMN_FOLDER);
  }

  static List<String> formFiles() {
    return TestEngine.resources(PathwayModel.FORMS_FOLDER);
  }

  private static BpmnModelInstance bpmn(String resource) {
    try (InputStream in = open(resource)) {
      return Bpmn.readModelFromStream(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static DmnModelInstance dmn(String resource) {
    try (InputStream in = open(resource)) {
      return Dmn.readModelFromStream(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static InputStream open(String resource) {
    InputStream in = ModelConventionsTest.class.getClassLoader().getResourceAsStream(resource);
    assertThat(in).as(resource).isNotNull();
    return in;
  }

  private static Map<String, JsonNode> formsById() {
    return formFiles().stream().collect(Collectors.toMap(f -> read(f).get("id").asText(), ModelConventionsTest::read));
  }

  private static JsonNode read(String resource) {
    try (InputStream in = open(resource)) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException(resource, e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bpmnFiles")
  void shouldGiveEveryUserTaskAGroupAnExistingFormADueDateAndAPriority(String resource) {
    Collection<UserTask> tasks = bpmn(resource).getModelElementsByType(UserTask.class);
    Map<String, JsonNode> forms = formsById();
    assertThat(tasks).isNotEmpty();
    for (UserTask t : tasks) {
      assertThat(t.getCamundaCandidateGroupsList()).as("groups of %s", t.getId()).isNotEmpty().allMatch(GROUPS::contains);
      assertThat(t.getCamundaFormRef()).as("formRef of %s", t.getId()).isNotBlank();
      assertThat(forms).as("form %s of %s", t.getCamundaFormRef(), t.getId()).containsKey(t.getCamundaFormRef());
      assertThat(t.getCamundaFormRefBinding()).as("formRefBinding of %s", t.getId()).isEqualTo("deployment");
      assertThat(t.getCamundaDueDate()).as("due date of %s", t.getId()).matches("\\$\\{dueDates\\.(after|at)\\(.*");
      assertThat(t.getCamundaPriority()).as("priority of %s", t.getId()).isNotBlank();
      assertThat(Integer.parseInt(t.getCamundaPriority())).isBetween(40, 100);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bpmnFiles")
  void shouldKeepHistoryOfEveryProcess(String resource) {
    Collection<Process> processes = bpmn(resource).getModelElementsByType(Process.class);
    assertThat(processes).isNotEmpty().allSatisfy(p -> {
      assertThat(p.isExecutable()).isTrue();
      assertThat(p.getCamundaHistoryTimeToLiveString()).as("historyTimeToLive of %s", p.getId()).isEqualTo("P3650D");
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bpmnFiles")
  void shouldUseOnlyMessageNamesOfTheContract(String resource) {
    List<String> names = bpmn(resource).getModelElementsByType(Message.class).stream().map(Message::getName).toList();
    assertThat(names).allMatch(EventTypes.all()::contains, "an event type of the contract");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bpmnFiles")
  void shouldNameEveryElementIdAfterWhatItIs(String resource) {
    BpmnModelInstance model = bpmn(resource);
    List<String> ids = new ArrayList<>();
    model.getModelElementsByType(org.camunda.bpm.model.bpmn.instance.FlowElement.class).forEach(e -> ids.add(e.getId()));
    assertThat(ids).isNotEmpty().doesNotContainNull();
    assertThat(ids).noneMatch(id -> GENERIC_ID.matcher(id).matches());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bpmnFiles")
  void shouldDrawEveryFlowNodeInTheDiagram(String resource) {
    BpmnModelInstance model = bpmn(resource);
    Set<String> drawn = model.getModelElementsByType(BpmnShape.class).stream()
        .map(s -> s.getBpmnElement().getId()).collect(Collectors.toSet());
    List<String> nodes = model.getModelElementsByType(org.camunda.bpm.model.bpmn.instance.FlowNode.class).stream()
        .map(BaseElement::getId).toList();
    assertThat(drawn).containsAll(nodes);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dmnFiles")
  void shouldKeepHistoryOfEveryDecisionAndNameItsParts(String resource) {
    DmnModelInstance model = dmn(resource);
    Collection<Decision> decisions = model.getModelElementsByType(Decision.class);
    assertThat(decisions).isNotEmpty().allSatisfy(d ->
        assertThat(d.getCamundaHistoryTimeToLiveString()).as("historyTimeToLive of %s", d.getId()).isEqualTo("P3650D"));
    List<String> ids = model.getModelElementsByType(org.camunda.bpm.model.dmn.instance.DmnElement.class).stream()
        .map(org.camunda.bpm.model.dmn.instance.DmnElement::getId).filter(id -> id != null).toList();
    assertThat(ids).noneMatch(id -> GENERIC_ID.matcher(id).matches());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("formFiles")
  void shouldWriteEveryFormForTheTasklistOfCamunda7(String resource) {
    JsonNode form = read(resource);
    assertThat(form.get("schemaVersion").asInt()).isEqualTo(16);
    assertThat(resource).isEqualTo(PathwayModel.FORMS_FOLDER + form.get("id").asText() + ".form");
    List<JsonNode> fields = new ArrayList<>();
    collectFields(form.get("components"), fields);
    assertThat(fields).isNotEmpty().allSatisfy(f -> {
      assertThat(f.path("label").asText()).as("label of %s", f.path("key")).isNotBlank();
      if ("select".equals(f.path("type").asText())) {
        assertThat(f.path("values").size()).as("options of %s", f.path("key")).isPositive();
      }
    });
    assertThat(fields).as("at least one field the user fills in")
        .anyMatch(f -> !f.path("disabled").asBoolean(false));
    assertThat(fields).as("display-only fields are disabled (not submitted), never readonly (submitted back)")
        .noneMatch(f -> f.path("readonly").asBoolean(false));
    List<String> ids = new ArrayList<>();
    collectIds(form.get("components"), ids);
    assertThat(ids).as("component ids").doesNotHaveDuplicates();
    assertThat(fields.stream().map(f -> f.get("key").asText()).toList()).as("field keys").doesNotHaveDuplicates();
  }

  @org.junit.jupiter.api.Test
  void shouldGiveTheStartEventTheEnrolmentForm() {
    StartEvent start = bpmn(PathwayModel.BPMN_FOLDER + PathwayModel.Processes.PATHWAY + ".bpmn")
        .getModelElementById("StartEvent_PatientEnrolled");
    assertThat(start.getCamundaFormRef()).isEqualTo("enrolment");
    assertThat(formsById()).containsKey("enrolment");
    assertThat(Stream.of(start.getCamundaFormRefBinding())).containsExactly("deployment");
  }

  private static final Set<String> DELEGATES = Set.of("${pathwayInitialiser}", "${orderPlacer}", "${referralIssuer}",
      "${alertRaiser}", "${escalationRegistrar}", "${referralSuperseder}", "${redFlagForwarder}", "${treatmentRuleCheck}");
  private static final Set<String> OUTBOX_WRITERS = Set.of("${orderPlacer}", "${referralIssuer}");
  private static final Set<String> LISTENERS = Set.of("${stagePublisher}", "${pathwayCompletionPublisher}", "${escalationCloser}",
      "${orderCancellation}", "${treatmentRuleInputs}");

  /** The error code a step's delegate throws in place of failing (extension property, FailureRoute), or null. */
  private static String failureCode(org.camunda.bpm.model.bpmn.instance.ServiceTask t) {
    if (t.getExtensionElements() == null) {
      return null;
    }
    return t.getExtensionElements().getElementsQuery().filterByType(
            org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties.class).list().stream()
        .flatMap(p -> p.getCamundaProperties().stream())
        .filter(p -> io.pathway.bpmn.support.FailureRoute.PROPERTY.equals(p.getCamundaName()))
        .map(org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperty::getCamundaValue).findFirst().orElse(null);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bpmnFiles")
  void shouldCallOnlyTheBeansOfTheProcessInterface(String resource) {
    BpmnModelInstance model = bpmn(resource);
    for (org.camunda.bpm.model.bpmn.instance.ServiceTask t : model.getModelElementsByType(
        org.camunda.bpm.model.bpmn.instance.ServiceTask.class)) {
      assertThat(t.getCamundaDelegateExpression()).as("delegate of %s", t.getId()).isIn(DELEGATES);
      String code = failureCode(t);
      if (code != null || OUTBOX_WRITERS.contains(t.getCamundaDelegateExpression()) && !t.isCamundaAsyncBefore()) {
        // tried at once only with a failure route: the error its delegate throws, caught on the step, leading to an
        // asynchronous copy of it (FailureRoute); a step that names a failure route has all of it
        assertThat(code).as("%s writes to the outbox behind an async boundary, or names its failure route", t.getId()).isNotNull();
        List<org.camunda.bpm.model.bpmn.instance.BoundaryEvent> caught = model.getModelElementsByType(
                org.camunda.bpm.model.bpmn.instance.BoundaryEvent.class).stream()
            .filter(b -> b.getAttachedTo() == t && b.getEventDefinitions().stream().anyMatch(d ->
                d instanceof org.camunda.bpm.model.bpmn.instance.ErrorEventDefinition e && e.getError() != null
                    && code.equals(e.getError().getErrorCode())))
            .toList();
        assertThat(caught).as("%s: a boundary error event catching %s", t.getId(), code).hasSize(1);
        assertThat(caught.get(0).getOutgoing()).as("%s: its failure route", t.getId()).singleElement().satisfies(flow -> {
          assertThat(flow.getTarget()).isInstanceOf(org.camunda.bpm.model.bpmn.instance.ServiceTask.class);
          org.camunda.bpm.model.bpmn.instance.ServiceTask retried = (org.camunda.bpm.model.bpmn.instance.ServiceTask) flow.getTarget();
          assertThat(retried.getCamundaDelegateExpression()).as("the retried step's delegate").isEqualTo(t.getCamundaDelegateExpression());
          assertThat(retried.isCamundaAsyncBefore()).as("the retried step is a job of its own").isTrue();
          assertThat(failureCode(retried)).as("the retried step fails as a job (retries, incident)").isNull();
        });
      }
    }
    for (org.camunda.bpm.model.bpmn.instance.camunda.CamundaExecutionListener l : model.getModelElementsByType(
        org.camunda.bpm.model.bpmn.instance.camunda.CamundaExecutionListener.class)) {
      if (l.getCamundaDelegateExpression() != null) {
        assertThat(l.getCamundaDelegateExpression()).isIn(LISTENERS);
      } else {
        assertThat(l.getCamundaExpression()).as("expression listener")
            .matches("\\$\\{(execution\\.(setVariable\\(|setProcessBusinessKey\\(referralId\\))|ruleFactRecorder\\.\\w+\\(execution\\)).*");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bpmnFiles")
  void shouldReferToDecisionsAndProcessesOfThisModule(String resource) {
    BpmnModelInstance model = bpmn(resource);
    Set<String> decisions = dmnFiles().stream()
        .flatMap(f -> dmn(f).getModelElementsByType(Decision.class).stream()).map(Decision::getId).collect(Collectors.toSet());
    Set<String> processes = bpmnFiles().stream()
        .flatMap(f -> bpmn(f).getModelElementsByType(Process.class).stream()).map(Process::getId).collect(Collectors.toSet());
    model.getModelElementsByType(org.camunda.bpm.model.bpmn.instance.BusinessRuleTask.class)
        .forEach(t -> assertThat(decisions).as("decision of %s", t.getId()).contains(t.getCamundaDecisionRef()));
    model.getModelElementsByType(org.camunda.bpm.model.bpmn.instance.CallActivity.class)
        .forEach(c -> assertThat(processes).as("process of %s", c.getId()).contains(c.getCalledElement()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bpmnFiles")
  void shouldBindDecisionsAndCalledProcessesToTheirOwnDeployment(String resource) {
    BpmnModelInstance model = bpmn(resource);
    model.getModelElementsByType(org.camunda.bpm.model.bpmn.instance.BusinessRuleTask.class)
        .forEach(t -> assertThat(t.getCamundaDecisionRefBinding()).as("binding of %s", t.getId()).isEqualTo("deployment"));
    model.getModelElementsByType(org.camunda.bpm.model.bpmn.instance.CallActivity.class)
        .forEach(c -> assertThat(c.getCamundaCalledElementBinding()).as("binding of %s", c.getId()).isEqualTo("deployment"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bpmnFiles")
  void shouldReadEveryTimerFromConfiguration(String resource) {
    List<String> timers = new ArrayList<>();
    bpmn(resource).getModelElementsByType(org.camunda.bpm.model.bpmn.instance.TimerEventDefinition.class).forEach(t -> {
      Stream.of(t.getTimeDate(), t.getTimeDuration(), t.getTimeCycle())
          .filter(e -> e != null).forEach(e -> timers.add(e.getTextContent()));
    });
    assertThat(timers).allSatisfy(text -> assertThat(text).matches(".*\\$\\{[a-zA-Z]+\\}"));
  }

  static Stream<org.junit.jupiter.params.provider.Arguments> formFields() {
    return Stream.of(
        org.junit.jupiter.params.provider.Arguments.of("enrolment", List.of("referralId", "patientRef", "steroidKind",
            "steroidDate", "imageGuided", "contrastSpreadConfirmed", "painPattern", "baselinePainScore", "neuropathicScore",
            "priorSpineSurgery", "imagingFindings", "imagingLevel", "imagingSide", "redFlags", "symptomOnsetDate")),
        org.junit.jupiter.params.provider.Arguments.of("record-follow-up", List.of("painReductionPercent", "reliefSustained")),
        org.junit.jupiter.params.provider.Arguments.of("review-failure-hypotheses", List.of("hypothesisStructuralCompression",
            "hypothesisTechnicalFailure", "hypothesisNeuropathicOrCentralSensitization", "hypothesisPossibleMisdiagnosis",
            "hypothesisRecurrenceOrScar", "hypothesesOverrideReason", "hypothesesRefusalReason",
            // the follow-up result that made it a failure, and the symptom duration
            "painReductionPercent", "reliefSustained", "followUpAssessedAt", "symptomDurationMonths")),
        org.junit.jupiter.params.provider.Arguments.of("review-diagnostic-workup", List.of("orderContrastMri",
            "orderSelectiveNerveRootBlock", "orderDiscography", "orderMedialBranchBlock", "orderSiJointBlock",
            "orderRepeatInjection", "workupOverrideReason", "workupRefusalReason")),
        org.junit.jupiter.params.provider.Arguments.of("confirm-definitive-diagnosis", List.of("proposedDiagnosis",
            "diagnosisEvidence", "definitiveDiagnosis", "diagnosisOverrideReason", "diagnosisRefusalReason",
            // imaging, pain pattern, every block with side, level, relief and date
            "imagingFindingsText", "painPattern", "blockEvidence", "chaseNotes", "medialBranchBlockSide", "medialBranchBlockLevel",
            "medialBranchBlockReliefPercent", "siJointBlockSide", "siJointBlockReliefPercent")),
        org.junit.jupiter.params.provider.Arguments.of("confirm-treatment", List.of("proposedTreatment", "treatmentRationale",
            "selectedTreatment", "selectedSurgicalProcedure", "treatmentOverrideReason", "treatmentRefusalReason",
            // the diagnosis evidence and its override reason; for surgery what confirmed the mechanical source
            "diagnosisEvidence", "diagnosisOverrideReason", "mechanicalSourceEvidence", "blockEvidence", "electiveCriteriaMet")),
        org.junit.jupiter.params.provider.Arguments.of("confirm-emergency-transfer", List.of("emergencyTransferConfirmed")),
        org.junit.jupiter.params.provider.Arguments.of("confirm-urgent-referral", List.of("urgentReferralConfirmed")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("formFields")
  void shouldShowTheFieldsTheModelReadsAndWrites(String formId, List<String> keys) {
    List<JsonNode> fields = new ArrayList<>();
    collectFields(formsById().get(formId).get("components"), fields);

    // a field showing {@code <key>Label} shows the key's value in words (pathway-service computes the label)
    assertThat(fields.stream().map(f -> f.get("key").asText().replaceFirst("Label$", "")).toList()).containsAll(keys);
  }

  @org.junit.jupiter.api.Test
  void shouldOfferOnlyCodesTheModelsKnowInTheSelects() {
    List<JsonNode> fields = new ArrayList<>();
    collectFields(formsById().get("confirm-treatment").get("components"), fields);
    List<String> treatments = fields.stream().filter(f -> f.get("key").asText().equals("selectedTreatment"))
        .flatMap(f -> java.util.stream.StreamSupport.stream(f.get("values").spliterator(), false))
        .map(v -> v.get("value").asText()).toList();

    assertThat(treatments).containsExactlyInAnyOrderElementsOf(io.pathway.bpmn.rules.TreatmentRules.TREATMENTS);
    assertThat(treatments.stream().filter(t -> !t.equals("ELECTIVE_SURGICAL_REFERRAL")))
        .allMatch(t -> java.util.Arrays.stream(io.pathway.model.codes.Treatment.values()).anyMatch(c -> c.name().equals(t)),
            "a Treatment code of the contract (ordered as a procedure)");
  }

  private static void collectIds(JsonNode components, List<String> out) {
    if (components == null) {
      return;
    }
    for (JsonNode c : components) {
      out.add(c.path("id").asText());
      collectIds(c.get("components"), out);
    }
  }

  private static void collectFields(JsonNode components, List<JsonNode> out) {
    if (components == null) {
      return;
    }
    for (JsonNode c : components) {
      if (c.has("key")) {
        out.add(c);
      }
      collectFields(c.get("components"), out);
    }
  }
}
