package io.pathway.model.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pathway.model.EventTypes;
import io.pathway.model.codes.AlertType;
import io.pathway.model.codes.CancelReason;
import io.pathway.model.codes.Channel;
import io.pathway.model.codes.DiagnosticTest;
import io.pathway.model.codes.ImagingFinding;
import io.pathway.model.codes.LesionSide;
import io.pathway.model.codes.MriFinding;
import io.pathway.model.codes.OrderKind;
import io.pathway.model.codes.PainPattern;
import io.pathway.model.codes.PathwayOutcome;
import io.pathway.model.codes.RedFlag;
import io.pathway.model.codes.ReferralCancelReason;
import io.pathway.model.codes.ReferralReason;
import io.pathway.model.codes.Severity;
import io.pathway.model.codes.Side;
import io.pathway.model.codes.Stage;
import io.pathway.model.codes.SteroidKind;
import io.pathway.model.codes.TestOutcome;
import io.pathway.model.codes.Treatment;
import io.pathway.model.codes.Urgency;
import io.pathway.model.envelope.EventValidator;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Schema enumerations and Java enums stay equal: every code list is a {@code $defs} entry named after
 * its enum in {@code io.pathway.model.codes}, and no schema has an enumeration anywhere else except
 * lists of event types.
 */
class SchemaEnumsTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static final List<Class<? extends Enum<?>>> CODE_ENUMS = List.of(AlertType.class, CancelReason.class, Channel.class,
      DiagnosticTest.class, ImagingFinding.class, LesionSide.class, MriFinding.class, OrderKind.class, PainPattern.class,
      PathwayOutcome.class, RedFlag.class, ReferralCancelReason.class, ReferralReason.class, Severity.class, Side.class, Stage.class,
      SteroidKind.class, TestOutcome.class, Treatment.class, Urgency.class);

  static Map<String, List<String>> codeEnums() {
    Map<String, List<String>> enums = new TreeMap<>();
    for (Class<? extends Enum<?>> type : CODE_ENUMS) {
      enums.put(type.getSimpleName(), Arrays.stream(type.getEnumConstants()).map(Enum::name).toList());
    }
    return enums;
  }

  static Stream<String> eventTypes() {
    return EventTypes.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("eventTypes")
  void shouldDefineCodeListsEqualToTheJavaEnums(String type) throws Exception {
    JsonNode defs = schema(type).path("$defs");

    defs.fields().forEachRemaining(def -> {
      assertThat(codeEnums()).as("$defs/%s of %s names a Java enum", def.getKey(), type).containsKey(def.getKey());
      List<String> values = new ArrayList<>();
      def.getValue().get("enum").forEach(v -> values.add(v.asText()));
      assertThat(values).as("$defs/%s of %s", def.getKey(), type).isEqualTo(codeEnums().get(def.getKey()));
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("eventTypes")
  void shouldHaveNoEnumerationOutsideTheCodeLists(String type) throws Exception {
    JsonNode schema = schema(type);
    List<JsonNode> strayEnums = new ArrayList<>();
    schema.fields().forEachRemaining(field -> {
      if (!field.getKey().equals("$defs")) {
        collectEnums(field.getValue(), strayEnums);
      }
    });

    strayEnums.forEach(values -> values.forEach(v ->
        assertThat(EventTypes.all()).as("an enumeration outside $defs may only list event types").contains(v.asText())));
  }

  @Test
  void shouldUseEveryCodeListInSomeSchema() throws Exception {
    Set<String> used = new HashSet<>();
    for (String type : EventTypes.all()) {
      schema(type).path("$defs").fieldNames().forEachRemaining(used::add);
    }

    assertThat(used).containsExactlyInAnyOrderElementsOf(codeEnums().keySet());
  }

  private static void collectEnums(JsonNode node, List<JsonNode> enums) {
    if (node.isObject() && node.has("enum")) {
      enums.add(node.get("enum"));
    }
    node.forEach(child -> collectEnums(child, enums));
  }

  static JsonNode schema(String type) throws Exception {
    try (InputStream in = SchemaEnumsTest.class.getClassLoader().getResourceAsStream(EventValidator.schemaResource(type))) {
      assertThat(in).as("schema of %s", type).isNotNull();
      return MAPPER.readTree(in);
    }
  }
}
