package io.pathway.service.views;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.importer.ClassFileImporter;

import io.pathway.service.views.DeclaredInputsPolicy.Refused;
import io.pathway.service.views.DeclaredInputsPolicy.Submission;
import io.pathway.service.views.DeclaredInputsPolicy.Verdict;
import io.pathway.service.views.EngineRequests.Closed;
import io.pathway.service.views.EngineRequests.Other;
import io.pathway.service.views.EngineRequests.Start;
import io.pathway.service.views.EngineRequests.TaskCompletion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each rule of the declared-inputs policy, without a server or an engine: the engine's side is a fake. */
class DeclaredInputsPolicyTest {

  private static final String PATHWAY = io.pathway.bpmn.PathwayModel.Processes.PATHWAY;
  private static final TaskCompletion COMPLETE = new TaskCompletion("default", "t1");
  private static final Start START_BY_KEY = new Start("default", null, PATHWAY, null, false);
  private static final Start SUBMIT_START_FORM = new Start("default", null, PATHWAY, null, true);
  private static final Start START_BY_ID = new Start("default", "p:1:x", null, null, false);
  /** The review form: two editable fields, one of them required. */
  private static final FormInputs REVIEW = new FormInputs("review-form", Set.of("hypothesis", "overrideReason"), Set.of("hypothesis"));
  private static final FormInputs ENROLMENT = new FormInputs("enrolment-form", Set.of("patientRef", "redFlags"), Set.of("patientRef"));

  /** The engine's side: forms by task and by process, held variables, and the patients with an active pathway. */
  private static final class FakeEngine implements DeclaredInputsPolicy.Lookups {
    final Map<String, FormInputs> taskForms = new HashMap<>(Map.of("t1", REVIEW));
    FormInputs startForm = ENROLMENT;
    String keyOfDefinition = PATHWAY;
    final Map<String, Object> held = new HashMap<>();
    final Set<String> activePatients = new HashSet<>();
    final List<String> asked = new ArrayList<>();

    @Override
    public FormInputs taskForm(String taskId) {
      return taskForms.get(taskId);
    }

    @Override
    public FormInputs startForm(Start start) {
      return startForm;
    }

    @Override
    public String processKey(Start start) {
      return keyOfDefinition;
    }

    @Override
    public Set<String> held(String taskId, Set<String> fields) {
      asked.add("held " + fields);
      Set<String> out = new HashSet<>(held.keySet());
      out.retainAll(fields);
      return out;
    }

    @Override
    public Optional<String> refuseSecondPathway(String patientRef, String redFlagCodes) {
      asked.add("second " + patientRef + " " + redFlagCodes);
      return activePatients.contains(patientRef) ? Optional.of("Patient " + patientRef + " is on the pathway.") : Optional.empty();
    }
  }

  private final FakeEngine engine = new FakeEngine();
  private final DeclaredInputsPolicy policy = new DeclaredInputsPolicy(engine);

  private static Submission body(String json) {
    return Submission.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private static Refused refused(Verdict verdict) {
    assertThat(verdict).isInstanceOf(Refused.class);
    return (Refused) verdict;
  }

  @Test
  void shouldBeAPlainClassWithoutServletSpringOrEngineTypes() {
    var policy = new ClassFileImporter().importClasses(DeclaredInputsPolicy.class, DeclaredInputsPolicy.Lookups.class,
        DeclaredInputsPolicy.Submission.class, DeclaredInputsPolicy.Refused.class, FormInputs.class);

    var rule = noClasses().should().dependOnClassesThat().resideInAnyPackage("jakarta.servlet..", "org.springframework..",
        "org.camunda..");
    rule.check(policy);
    // and the rule can fail: the engine side of the policy is refused by it
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> rule.check(new ClassFileImporter().importClasses(EngineFormLookups.class)))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void shouldLeaveRequestsItDoesNotCoverAndAdministratorsCompletionsToTheEngine() {
    assertThat(policy.beforeBody(new Other(), false)).isEqualTo(DeclaredInputsPolicy.PASS);
    assertThat(policy.beforeBody(COMPLETE, true)).isEqualTo(DeclaredInputsPolicy.PASS);
    assertThat(policy.beforeBody(new Closed("POST /message"), true)).isEqualTo(DeclaredInputsPolicy.PASS);
    // an administrator's completion may set anything, even a field no form declares
    assertThat(policy.decide(COMPLETE, true, body("{\"variables\":{\"forged\":{\"value\":1}}}")))
        .isEqualTo(DeclaredInputsPolicy.PASS);
  }

  @Test
  void shouldCloseTheOtherDoorsToEveryoneButAdministratorsBeforeTheBodyIsRead() {
    Refused closed = refused(policy.beforeBody(new Closed("POST /message"), false));

    assertThat(closed.status()).isEqualTo(403);
    assertThat(closed.type()).isEqualTo("AuthorizationException");
    assertThat(closed.message()).contains("Complete your task with its form");
  }

  @Test
  void shouldReadTheBodyOfACompletionOrAStartBeforeDeciding() {
    assertThat(policy.beforeBody(COMPLETE, false)).isEqualTo(DeclaredInputsPolicy.READ_BODY);
    assertThat(policy.beforeBody(START_BY_KEY, false)).isEqualTo(DeclaredInputsPolicy.READ_BODY);
    // administrators too: a start's codes are checked for everyone
    assertThat(policy.beforeBody(START_BY_KEY, true)).isEqualTo(DeclaredInputsPolicy.READ_BODY);
  }

  @Test
  void shouldRefuseABodyThatIsNotOneJsonObjectWithEachNameOnce() {
    for (String notAnObject : List.of("[]", "\"text\"", "{", "{\"variables\":{},\"variables\":{}}",
        "{\"variables\":{\"hypothesis\":{\"value\":true},\"hypothesis\":{\"value\":false}}}")) {
      Refused refused = refused(policy.decide(COMPLETE, false, body(notAnObject)));
      assertThat(refused.status()).as(notAnObject).isEqualTo(400);
      assertThat(refused.message()).as(notAnObject).isEqualTo("The body must be a JSON object.");
    }
    // an empty body is an empty object: nothing undeclared, but the form's required answer is missing
    assertThat(refused(policy.decide(COMPLETE, false, Submission.parse(new byte[0]))).fields()).containsExactly("hypothesis");
  }

  @Test
  void shouldPassACompletionThatSetsOnlyTheFormsEditableFieldsAndAnswersTheRequiredOnes() {
    assertThat(policy.decide(COMPLETE, false,
        body("{\"variables\":{\"hypothesis\":{\"value\":true},\"overrideReason\":{\"value\":\"\"}},\"withVariablesInReturn\":true}")))
        .isEqualTo(DeclaredInputsPolicy.PASS);
  }

  @Test
  void shouldRefuseACompletionSettingAFieldItsFormDoesNotDeclareNamingOnlyThoseFields() {
    Refused refused = refused(policy.decide(COMPLETE, false,
        body("{\"variables\":{\"hypothesis\":{\"value\":true},\"facetBlockPositive\":{\"value\":true},\"treatmentsTried\":{\"value\":\"X\"}}}")));

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.type()).isEqualTo("InvalidRequestException");
    assertThat(refused.fields()).containsExactly("facetBlockPositive", "treatmentsTried");
    assertThat(refused.message()).contains("(review-form)", "facetBlockPositive, treatmentsTried").doesNotContain("hypothesis");
  }

  @Test
  void shouldRefuseAnythingButVariablesInACompletionBody() {
    Refused refused = refused(policy.decide(COMPLETE, false,
        body("{\"variables\":{\"hypothesis\":{\"value\":true}},\"localVariables\":{},\"businessKey\":\"b\"}")));

    assertThat(refused.fields()).containsExactly("businessKey", "localVariables");
    assertThat(refused.message()).startsWith("Not allowed in a task completion");
  }

  @Test
  void shouldRefuseACompletionThatLeavesOutOrBlanksARequiredAnswerUnlessTheTaskHoldsIt() {
    Refused missing = refused(policy.decide(COMPLETE, false, body("{\"variables\":{\"overrideReason\":{\"value\":\"x\"}}}")));
    Refused blank = refused(policy.decide(COMPLETE, false, body("{\"variables\":{\"hypothesis\":{\"value\":\"  \"}}}")));
    Refused nullValue = refused(policy.decide(COMPLETE, false, body("{\"variables\":{\"hypothesis\":{\"value\":null}}}")));

    assertThat(List.of(missing, blank, nullValue)).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.fields()).containsExactly("hypothesis");
      assertThat(r.message()).contains("Required by the form (review-form)", "task completion");
    });
    assertThat(engine.asked).contains("held [hypothesis]");

    // Tasklist submits back the value the task already holds: that is an answer
    engine.held.put("hypothesis", true);
    assertThat(policy.decide(COMPLETE, false, body("{\"variables\":{\"overrideReason\":{\"value\":\"x\"}}}")))
        .isEqualTo(DeclaredInputsPolicy.PASS);
  }

  @Test
  void shouldLeaveACompletionOfAnUnknownTaskToTheEngineAndRefuseEverythingOnATaskWithoutAForm() {
    assertThat(policy.decide(new TaskCompletion("default", "gone"), false, body("{\"variables\":{\"x\":{\"value\":1}}}")))
        .isEqualTo(DeclaredInputsPolicy.PASS);

    engine.taskForms.put("t2", FormInputs.NONE);
    Refused refused = refused(policy.decide(new TaskCompletion("default", "t2"), false, body("{\"variables\":{\"x\":{\"value\":1}}}")));
    assertThat(refused.fields()).containsExactly("x");
    assertThat(refused.message()).startsWith("Not an input of this task's form:");
    assertThat(policy.decide(new TaskCompletion("default", "t2"), false, body("{}"))).isEqualTo(DeclaredInputsPolicy.PASS);
  }

  @Test
  void shouldPassAStartWithTheStartFormsFieldsAndRefuseOneWithMore() {
    assertThat(policy.decide(START_BY_KEY, false,
        body("{\"variables\":{\"patientRef\":{\"value\":\"PT-1\"},\"redFlags\":{\"value\":\"FOOT_DROP\"}},\"businessKey\":\"b\"}")))
        .isEqualTo(DeclaredInputsPolicy.PASS);

    Refused refused = refused(policy.decide(START_BY_KEY, false,
        body("{\"variables\":{\"patientRef\":{\"value\":\"PT-1\"},\"electiveMinFailedCareDays\":{\"value\":0}}}")));
    assertThat(refused.fields()).containsExactly("electiveMinFailedCareDays");
    assertThat(refused.message()).contains("start form (enrolment-form)");
  }

  @Test
  void shouldRefuseAStartThatSkipsTheStartEventOrItsListeners() {
    Refused instructions = refused(policy.decide(START_BY_KEY, false,
        body("{\"variables\":{\"patientRef\":{\"value\":\"PT-1\"}},\"startInstructions\":[],\"skipCustomListeners\":true}")));
    assertThat(instructions.fields()).containsExactly("skipCustomListeners", "startInstructions");
    assertThat(instructions.message()).contains("A start begins at the start event");

    // submit-form takes no withVariablesInReturn, start does
    assertThat(refused(policy.decide(SUBMIT_START_FORM, false,
        body("{\"variables\":{\"patientRef\":{\"value\":\"PT-1\"}},\"withVariablesInReturn\":true}"))).fields())
        .containsExactly("withVariablesInReturn");
    assertThat(policy.decide(START_BY_KEY, false,
        body("{\"variables\":{\"patientRef\":{\"value\":\"PT-1\"}},\"withVariablesInReturn\":true}")))
        .isEqualTo(DeclaredInputsPolicy.PASS);
  }

  @Test
  void shouldRefuseAStartWithoutTheStartFormsRequiredAnswer() {
    Refused refused = refused(policy.decide(START_BY_KEY, false, body("{\"variables\":{\"redFlags\":{\"value\":\"\"}}}")));

    assertThat(refused.fields()).containsExactly("patientRef");
    assertThat(refused.message()).contains("A start must answer every required field");
  }

  @Test
  void shouldRefuseRedFlagsOrImagingFindingsThatAreNotContractCodesEvenFromAnAdministrator() {
    for (boolean admin : List.of(false, true)) {
      Refused flags = refused(policy.decide(START_BY_KEY, admin,
          body("{\"variables\":{\"patientRef\":{\"value\":\"PT-1\"},\"redFlags\":{\"value\":\"FOOT_DROP,numb legs\"}}}")));
      assertThat(flags.status()).isEqualTo(400);
      assertThat(flags.fields()).containsExactly("redFlags");
      assertThat(flags.message()).contains("not a code of the contract");

      Refused imaging = refused(policy.decide(START_BY_KEY, admin,
          body("{\"variables\":{\"patientRef\":{\"value\":\"PT-1\"},\"imagingFindings\":{\"value\":[\"DISC_OF_DOOM\"]}}}")));
      assertThat(imaging.fields()).containsExactly("imagingFindings");
    }
    // a list of codes, as a multi-select sends it, is fine
    assertThat(policy.decide(START_BY_KEY, true,
        body("{\"variables\":{\"patientRef\":{\"value\":\"PT-1\"},\"redFlags\":{\"value\":[\"FOOT_DROP\"]}}}")))
        .isEqualTo(DeclaredInputsPolicy.PASS);
  }

  @Test
  void shouldRefuseASecondPathwayForAPatientWithAnActiveOneEvenFromAnAdministrator() {
    engine.activePatients.add("PT-1");

    for (boolean admin : List.of(false, true)) {
      Refused refused = refused(policy.decide(START_BY_KEY, admin,
          body("{\"variables\":{\"patientRef\":{\"value\":\"PT-1\"},\"redFlags\":{\"value\":[\"FOOT_DROP\",\"FOOT_DROP\"]}}}")));
      assertThat(refused.status()).isEqualTo(409);
      assertThat(refused.fields()).containsExactly("patientRef");
      assertThat(refused.message()).isEqualTo("Patient PT-1 is on the pathway.");
    }
    // the red flags reach the service's check as normalised codes
    assertThat(engine.asked).contains("second PT-1 FOOT_DROP");
    // another patient starts
    assertThat(policy.decide(START_BY_KEY, false, body("{\"variables\":{\"patientRef\":{\"value\":\"PT-2\"}}}")))
        .isEqualTo(DeclaredInputsPolicy.PASS);
  }

  @Test
  void shouldCheckForASecondPathwayOnlyWhenTheStartIsOfThePathwayByKeyOrByDefinition() {
    engine.activePatients.add("PT-1");
    String start = "{\"variables\":{\"patientRef\":{\"value\":\"PT-1\"}}}";

    assertThat(refused(policy.decide(START_BY_ID, false, body(start))).status()).isEqualTo(409);

    engine.keyOfDefinition = "another-process";
    assertThat(policy.decide(START_BY_ID, false, body(start))).isEqualTo(DeclaredInputsPolicy.PASS);
    assertThat(policy.decide(new Start("default", null, "another-process", null, false), false, body(start)))
        .isEqualTo(DeclaredInputsPolicy.PASS);
  }

  @Test
  void shouldLetAnAdministratorStartWithMoreThanTheStartFormAndLeaveAnUnknownDefinitionToTheEngine() {
    assertThat(policy.decide(START_BY_KEY, true,
        body("{\"variables\":{\"patientRef\":{\"value\":\"PT-1\"},\"electiveMinFailedCareDays\":{\"value\":0}},\"startInstructions\":[]}")))
        .isEqualTo(DeclaredInputsPolicy.PASS);

    engine.startForm = null;
    assertThat(policy.decide(START_BY_KEY, false, body("{\"variables\":{\"anything\":{\"value\":0}}}")))
        .isEqualTo(DeclaredInputsPolicy.PASS);
  }
}
