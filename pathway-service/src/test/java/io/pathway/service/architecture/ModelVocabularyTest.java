package io.pathway.service.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathway.bpmn.PathwayModel;
import io.pathway.model.EventTypes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The service names process keys, decisions, user tasks, candidate groups, process variables and message
 * names only through {@link PathwayModel} and {@link EventTypes}: a string literal in main code equal to one
 * of those names fails the build, so a renamed variable breaks at compile time, not in a running pathway.
 */
class ModelVocabularyTest {

  private static final Path MAIN = Path.of("src/main/java");

  /**
   * Literals that equal a model name but are something else, by file (relative to the service's root
   * package) and literal, with how often they may occur there.
   */
  private static final Map<String, Map<String, Integer>> NOT_MODEL_NAMES = Map.of(
      // field names of the contract's JSON payloads, read leniently from a record that failed validation
      "redflag/UnreadableRedFlags.java", Map.of("redFlags", 1, "patientRef", 1),
      // a column of the pathway table
      "records/PathwayRegistry.java", Map.of("stage", 1),
      // the REST API: a query parameter and fields of the withdrawal answer
      "views/PathwayController.java", Map.of("patientRef", 1, "pathwayId", 2),
      // fields of the contract's JSON payloads the Journey tab hides or reads
      "views/JourneyService.java", Map.of("patientRef", 1, "pathwayId", 1, "referralId", 1, "stage", 1),
      // a tag of the ledger's stage gauges
      "views/LedgerMetrics.java", Map.of("stage", 1));

  @Test
  void shouldSpellModelNamesOnlyThroughThePathwayModelAndTheEventTypes() throws IOException {
    Set<String> names = modelNames();
    Map<String, Map<String, Integer>> found = new TreeMap<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String relative = MAIN.resolve("io/pathway/service").relativize(file).toString().replace('\\', '/');
        for (String literal : literals(Files.readString(file))) {
          if (names.contains(literal)) {
            found.computeIfAbsent(relative, f -> new TreeMap<>()).merge(literal, 1, Integer::sum);
          }
        }
      }
    }
    assertThat(found).as("literals equal to model names, by file (use PathwayModel or EventTypes)")
        .isEqualTo(new TreeMap<>(NOT_MODEL_NAMES));
  }

  @Test
  void shouldFindAModelNameSpelledAsALiteralButNotInCommentsOrLongerStrings() {
    String source = """
        class X {
          // "patientRef" in a comment
          /* "redFlags" in a block comment */
          String a = "pathwayId";
          String b = "select pathwayId from x";
          char c = '"';
          String d = "say \\"stage\\"";
          String e = PathwayModel.Vars.STAGE + "stage";
        }
        """;

    assertThat(literals(source).stream().filter(modelNames()::contains)).containsExactly("pathwayId", "stage");
  }

  /** Process keys, decisions, tasks, steps, groups and variables of the models, and the message names. */
  static Set<String> modelNames() {
    return Stream.concat(Arrays.stream(PathwayModel.class.getDeclaredClasses()), Stream.of(EventTypes.class))
        .flatMap(c -> Arrays.stream(c.getDeclaredFields()))
        .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class)
        .map(ModelVocabularyTest::value).collect(Collectors.toSet());
  }

  private static String value(Field f) {
    try {
      f.setAccessible(true);
      return (String) f.get(null);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The string literals of a Java source (text blocks included), unescaped; comments and char literals skipped. */
  static List<String> literals(String src) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < src.length()) {
      char c = src.charAt(i);
      if (src.startsWith("//", i)) {
        int end = src.indexOf('\n', i);
        i = end < 0 ? src.length() : end + 1;
      } else if (src.startsWith("/*", i)) {
        int end = src.indexOf("*/", i + 2);
        i = end < 0 ? src.length() : end + 2;
      } else if (src.startsWith("\"\"\"", i)) {
        int end = src.indexOf("\"\"\"", i + 3);
        end = end < 0 ? src.length() : end;
        out.add(src.substring(i + 3, end).strip());
        i = end + 3;
      } else if (c == '"' || c == '\'') {
        StringBuilder s = new StringBuilder();
        int j = i + 1;
        while (j < src.length() && src.charAt(j) != c) {
          if (src.charAt(j) == '\\' && j + 1 < src.length()) {
            j++;
          }
          s.append(src.charAt(j));
          j++;
        }
        if (c == '"') {
          out.add(s.toString());
        }
        i = j + 1;
      } else {
        i++;
      }
    }
    return out;
  }
}
