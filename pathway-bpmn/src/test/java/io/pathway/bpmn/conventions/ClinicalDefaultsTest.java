package io.pathway.bpmn.conventions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pathway.bpmn.ClinicalDefaults;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each clinical default is defined once, in {@link ClinicalDefaults}: the documentation's table of settings, the forms'
 * validation of reasons and every "at least N characters" a person reads hold the same values, and the models never
 * spell a reason's length themselves.
 */
class ClinicalDefaultsTest {

  private static final Path RESOURCES = Path.of("src/main/resources");
  private static final Pattern DOC_ROW = Pattern.compile("^\\| `([a-z.-]+)` \\| `([^`]+)` \\|", Pattern.MULTILINE);
  private static final Pattern AT_LEAST = Pattern.compile("at least (\\d+) characters");

  @Test
  void shouldDocumentEveryDefaultWithTheValueTheCodeUses() throws IOException {
    Map<String, String> documented = new TreeMap<>();
    String doc = Files.readString(Path.of("../docs/clinical-pathway.md"));
    String table = doc.substring(doc.indexOf("| setting | default | bounds | meaning |"));
    table = table.substring(0, table.indexOf("\n\n"));
    Matcher row = DOC_ROW.matcher(table);
    while (row.find()) {
      if (!row.group(1).startsWith("pathway.")) { // the table's pathway.* rows are service settings, not clinical ones
        documented.put(constantName(row.group(1)), row.group(2));
      }
    }
    Map<String, String> defined = new TreeMap<>();
    for (Field f : ClinicalDefaults.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        defined.put(f.getName(), (String) get(f));
      }
    }

    assertThat(documented).isEqualTo(defined);
  }

  @Test
  void shouldAskEveryFormForReasonsOfTheDefinedLength() throws IOException {
    List<String> wrong = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    try (Stream<Path> forms = Files.list(RESOURCES.resolve("forms"))) {
      for (Path form : forms.filter(p -> p.toString().endsWith(".form")).toList()) {
        json.readTree(form.toFile()).findValues("minLength").forEach(n -> {
          if (n.asInt() != ClinicalDefaults.MIN_REASON_LENGTH) {
            wrong.add(form.getFileName() + ": minLength " + n.asInt());
          }
        });
        saysAtLeast(form, wrong);
      }
    }

    assertThat(wrong).isEmpty();
  }

  @Test
  void shouldNeverSpellTheReasonLengthInTheModels() throws IOException {
    List<String> wrong = new ArrayList<>();
    try (Stream<Path> models = Files.walk(RESOURCES)) {
      for (Path model : models.filter(p -> p.toString().endsWith(".bpmn") || p.toString().endsWith(".dmn")).toList()) {
        String text = Files.readString(model);
        if (Pattern.compile("length\\(\\)\\s*(&lt;|&gt;|<|>|=)").matcher(text).find()) {
          wrong.add(model.getFileName() + " compares a length itself: use reasons.given(...)");
        }
        saysAtLeast(model, wrong);
      }
    }

    assertThat(wrong).isEmpty();
  }

  private static void saysAtLeast(Path file, List<String> wrong) throws IOException {
    Matcher m = AT_LEAST.matcher(Files.readString(file));
    while (m.find()) {
      if (Integer.parseInt(m.group(1)) != ClinicalDefaults.MIN_REASON_LENGTH) {
        wrong.add(file.getFileName() + ": \"" + m.group() + "\"");
      }
    }
  }

  /** {@code outcome-min-interval.physical-therapy} is {@code OUTCOME_MIN_INTERVAL_PHYSICAL_THERAPY}. */
  private static String constantName(String setting) {
    return setting.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
  }

  private static Object get(Field f) {
    try {
      return f.get(null);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
