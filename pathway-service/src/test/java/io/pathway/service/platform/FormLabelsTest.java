package io.pathway.service.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pathway.bpmn.PathwayModel;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Labels, not codes, in every form: each code of the contract and of the decision tables has a label a clinician
 * reads, and no form shows a variable that holds codes other than through its label or a list of options with
 * labels. (The browser tests read the rendered forms too: TasklistBrowserTest.)
 */
class FormLabelsTest {

  /** Variables a form may show as they are: ids, dates, numbers, levels and what a person typed. */
  static final Set<String> PLAIN = Set.of("patientRef", "referralId", "chaseNotes", "orderId", "steroidDate", "followUpAssessedAt",
      "symptomOnsetDate", "redFlagObservedAt", "redFlagClockNote", "confirmationDeadline", "snrbLevel", "medialBranchBlockLevel",
      "imagingFindingsText", "diagnosisOverrideReason", "scheduledFor", "surgicalConsultDate", "correctedOrderId");

  static Stream<String> forms() throws IOException {
    List<String> names = new ArrayList<>();
    for (Resource r : new PathMatchingResourcePatternResolver().getResources("classpath*:" + PathwayModel.FORMS_FOLDER + "*.form")) {
      names.add(r.getFilename());
    }
    assertThat(names).hasSizeGreaterThan(5);
    return names.stream().sorted();
  }

  @Test
  void shouldHaveALabelForEveryCodeOfTheContract() throws Exception {
    Set<String> missing = new TreeSet<>();
    for (Class<?> codeList : List.of(io.pathway.model.codes.AlertType.class, io.pathway.model.codes.CancelReason.class,
        io.pathway.model.codes.DiagnosticTest.class, io.pathway.model.codes.ImagingFinding.class, io.pathway.model.codes.MriFinding.class,
        io.pathway.model.codes.OrderKind.class, io.pathway.model.codes.PainPattern.class, io.pathway.model.codes.PathwayOutcome.class,
        io.pathway.model.codes.RedFlag.class, io.pathway.model.codes.ReferralCancelReason.class,
        io.pathway.model.codes.ReferralReason.class, io.pathway.model.codes.Severity.class,
        io.pathway.model.codes.Side.class, io.pathway.model.codes.Stage.class, io.pathway.model.codes.SteroidKind.class,
        io.pathway.model.codes.TestOutcome.class, io.pathway.model.codes.Treatment.class, io.pathway.model.codes.Urgency.class)) {
      for (Object code : codeList.getEnumConstants()) {
        if (!CodeLabels.all().containsKey(code.toString())) {
          missing.add(codeList.getSimpleName() + "." + code);
        }
      }
    }
    assertThat(missing).as("codes without a label in labels/code-labels.properties").isEmpty();
  }

  @Test
  void shouldHaveALabelForEveryCodeADecisionTableProposes() throws Exception {
    Set<String> missing = new TreeSet<>();
    Pattern quoted = Pattern.compile("&#34;([A-Z][A-Z0-9_]{3,})&#34;|\"([A-Z][A-Z0-9_]{3,})\"");
    for (Resource r : new PathMatchingResourcePatternResolver().getResources("classpath*:" + PathwayModel.DMN_FOLDER + "*.dmn")) {
      String dmn = new String(r.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      Matcher m = quoted.matcher(dmn);
      while (m.find()) {
        String code = m.group(1) != null ? m.group(1) : m.group(2);
        // hit policies and ISO durations are no codes
        if (!code.equals("COLLECT") && !code.equals("FIRST") && !code.matches("P\\d.*") && !CodeLabels.all().containsKey(code)) {
          missing.add(r.getFilename() + ": " + code);
        }
      }
    }
    assertThat(missing).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("forms")
  void shouldShowCodesOnlyThroughTheirLabels(String form) throws IOException {
    JsonNode json;
    try (InputStream in = getClass().getResourceAsStream("/" + PathwayModel.FORMS_FOLDER + form)) {
      json = new ObjectMapper().readTree(in);
    }
    List<String> problems = new ArrayList<>();
    check(json.get("components"), problems);
    assertThat(problems).as(form).isEmpty();
  }

  private static void check(JsonNode components, List<String> problems) {
    for (JsonNode c : components) {
      if (c.has("components")) {
        check(c.get("components"), problems);
      }
      String type = c.path("type").asText();
      String key = c.path("key").asText("");
      // the fixed text of the form (headings, help)
      String text = c.path("text").asText("") + " " + c.path("label").asText("") + " " + c.path("description").asText("");
      for (String word : text.split("[^A-Za-z0-9_]+")) {
        if (CodeLabels.all().containsKey(word) && word.contains("_")) {
          problems.add(c.path("id").asText() + " says the code " + word);
        }
      }
      // options: a label for every value, and never the code itself
      for (JsonNode v : c.path("values")) {
        String label = v.path("label").asText();
        if (label.isBlank() || CodeLabels.CODE.matcher(label).matches()) {
          problems.add(key + " offers " + v.path("value").asText() + " without a label");
        }
      }
      // a read-only text field shows what a variable holds: its label, or a value that is never a code
      boolean readOnly = c.path("disabled").asBoolean(false) || c.path("readonly").asBoolean(false);
      if (readOnly && (type.equals("textfield") || type.equals("textarea")) && !key.endsWith("Label") && !PLAIN.contains(key)) {
        problems.add(key + " is shown as it is: show " + key + "Label (pathway-service labels codes), or list it as plain");
      }
    }
  }
}
