package io.pathway.service.views;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pathway.service.views.EngineRequests.Closed;
import io.pathway.service.views.EngineRequests.Other;
import io.pathway.service.views.EngineRequests.Start;
import io.pathway.service.views.EngineRequests.TaskCompletion;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How the declared-inputs filter reads a request path and a form, without a server. */
class EngineRequestsAndFormInputsTest {

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "POST, /engine-rest/task/t1/complete",
      "POST, /engine-rest/task/t1/submit-form",
      "POST, /engine-rest/task/t1/resolve/",
      "POST, /engine-rest/engine/default/task/t1/complete",
      "POST, /camunda/api/engine/engine/default/task/t1/submit-form"})
  void shouldRecogniseEveryTaskCompletionDoor(String method, String path) {
    assertThat(EngineRequests.classify(method, path)).isEqualTo(new TaskCompletion("default", "t1"));
  }

  @Test
  void shouldRecogniseStartsByKeyTenantAndId() {
    assertThat(EngineRequests.classify("POST", "/engine-rest/process-definition/key/p/start"))
        .isEqualTo(new Start("default", null, "p", null, false));
    assertThat(EngineRequests.classify("POST", "/engine-rest/process-definition/key/p/tenant-id/t/submit-form"))
        .isEqualTo(new Start("default", null, "p", "t", true));
    assertThat(EngineRequests.classify("POST", "/camunda/api/engine/engine/default/process-definition/p:1:x/submit-form"))
        .isEqualTo(new Start("default", "p:1:x", null, null, true));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "PUT, /engine-rest/task/t1/variables/x",
      "DELETE, /engine-rest/task/t1/localVariables/x",
      "POST, /engine-rest/process-instance/p1/variables",
      "POST, /engine-rest/process-instance/variables-async",
      "PUT, /engine-rest/execution/e1/localVariables/x",
      "POST, /engine-rest/execution/e1/messageSubscriptions/m/trigger",
      "POST, /engine-rest/message",
      "POST, /engine-rest/signal",
      "POST, /engine-rest/process-instance/p1/modification",
      "DELETE, /engine-rest/process-instance/p1",
      "POST, /engine-rest/process-instance/delete",
      "POST, /engine-rest/job/j1/execute",
      "PUT, /engine-rest/job/j1/retries",
      "POST, /engine-rest/task/t1/bpmnError",
      "POST, /engine-rest/deployment/create",
      "DELETE, /engine-rest/process-definition/key/p/delete",
      "POST, /camunda/api/engine/engine/default/message"})
  void shouldCloseTheDoorsThatWriteVariablesOrMoveTokens(String method, String path) {
    assertThat(EngineRequests.classify(method, path)).isInstanceOf(Closed.class);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "GET, /engine-rest/task/t1/variables",
      "POST, /engine-rest/task",
      "POST, /engine-rest/process-instance",
      "POST, /engine-rest/process-instance/count",
      "POST, /engine-rest/task/t1/claim",
      "POST, /engine-rest/task/t1/assignee",
      "POST, /engine-rest/filter/f1/list",
      "POST, /api/pathways/p1/withdrawal"})
  void shouldLeaveQueriesClaimsAndOtherApisAlone(String method, String path) {
    assertThat(EngineRequests.classify(method, path)).isInstanceOf(Other.class);
  }

  @Test
  void shouldDeclareEditableOnlyTheFieldsAUserCanChange() throws Exception {
    String form = """
        {"id": "f", "components": [
          {"type": "text", "text": "# Title"},
          {"type": "textfield", "key": "shown", "disabled": true},
          {"type": "textfield", "key": "echoed", "readonly": true},
          {"type": "checkbox", "key": "choice"},
          {"type": "textfield", "key": "sometimes", "disabled": "=other = true"},
          {"type": "group", "components": [{"type": "number", "key": "inGroup"}, {"type": "textfield", "key": "alsoShown", "disabled": true}]},
          {"type": "group", "path": "address", "components": [{"type": "textfield", "key": "street"}]},
          {"type": "group", "path": "display", "components": [{"type": "textfield", "key": "x", "disabled": true}]},
          {"type": "dynamiclist", "path": "levels", "components": [{"type": "textfield", "key": "level"}]},
          {"type": "textfield", "key": "nested.value"},
          {"type": "button", "key": "submit", "action": "submit"}
        ]}""";

    FormInputs inputs = FormInputs.of(new ObjectMapper().readTree(form));

    assertThat(inputs.formId()).isEqualTo("f");
    assertThat(inputs.editable()).containsExactlyInAnyOrder("choice", "sometimes", "inGroup", "address", "levels", "nested");
    assertThat(inputs.undeclared(List.of("choice", "shown", "echoed", "x", "submit"))).containsExactly("echoed", "shown", "submit", "x");
  }
}
