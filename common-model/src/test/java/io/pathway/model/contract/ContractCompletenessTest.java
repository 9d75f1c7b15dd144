package io.pathway.model.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pathway.model.EventCatalog;
import io.pathway.model.EventTypes;
import io.pathway.model.Topics;
import io.pathway.model.contract.ContractResources.Example;
import io.pathway.model.events.Findings;
import io.pathway.model.events.PathwayEvent;
import io.pathway.model.events.SteroidTreatment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every event type has its Java type, schema and examples, and the schema's fields are the record's. */
class ContractCompletenessTest {

  static Stream<String> eventTypes() {
    return EventTypes.all().stream();
  }

  @Test
  void shouldPlaceEveryEventTypeOnExactlyOneTopicOfTheContract() {
    assertThat(EventTypes.BY_TOPIC.keySet()).containsExactlyInAnyOrderElementsOf(Topics.all());
    assertThat(EventTypes.all()).doesNotHaveDuplicates().hasSize(15);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("eventTypes")
  void shouldHaveAJavaTypeThatMapsBack(String type) throws Exception {
    Class<? extends PathwayEvent> javaType = EventCatalog.payloadType(type).orElseThrow();

    assertThat(javaType.isRecord()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("eventTypes")
  void shouldHaveASchemaWithIdTitleAndDescription(String type) throws Exception {
    JsonNode schema = SchemaEnumsTest.schema(type);

    assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
    assertThat(schema.path("$id").asText()).endsWith("/" + type + ".schema.json");
    assertThat(schema.path("title").asText()).isNotBlank();
    assertThat(schema.path("description").asText()).isNotBlank();
    assertThat(schema.path("additionalProperties").asBoolean(true)).isFalse();
    schema.path("properties").forEach(p -> assertThat(p.path("description").asText()).as("description of %s", p).isNotBlank());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("eventTypes")
  void shouldHaveValidAndInvalidExamples(String type) {
    assertThat(ContractResources.examples("valid-")).extracting(Example::type).contains(type);
    assertThat(ContractResources.examples("invalid-")).extracting(Example::type).contains(type);
    ContractResources.examples("invalid-").stream().filter(e -> e.type().equals(type))
        .forEach(e -> assertThat(e.expected()).as("sidecar of %s", e).isNotBlank());
  }

  @Test
  void shouldHaveNoExampleFolderOrFileOutsideTheContract() throws IOException {
    Path root = ContractResources.root("examples");
    try (Stream<Path> folders = Files.list(root)) {
      assertThat(folders.map(p -> p.getFileName().toString())).allMatch(EventTypes.all()::contains);
    }
    try (Stream<Path> files = Files.walk(root).filter(Files::isRegularFile)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .allMatch(n -> n.matches("(valid-[a-z0-9-]+\\.json)|(invalid-[a-z0-9-]+\\.(json|expected))"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("eventTypes")
  void shouldDeclareExactlyTheFieldsOfTheRecord(String type) throws Exception {
    JsonNode schema = SchemaEnumsTest.schema(type);

    assertThat(propertyNames(schema)).containsExactlyInAnyOrderElementsOf(componentNames(EventCatalog.payloadType(type).orElseThrow()));
    if (type.equals(EventTypes.ENROLMENT_REQUESTED)) {
      assertThat(propertyNames(schema.path("properties").path("steroidTreatment"))).containsExactlyInAnyOrderElementsOf(componentNames(SteroidTreatment.class));
    }
    if (type.equals(EventTypes.DIAGNOSTIC_RESULT)) {
      assertThat(propertyNames(schema.path("properties").path("findings"))).containsExactlyInAnyOrderElementsOf(componentNames(Findings.class));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("eventTypes")
  void shouldRequireThePatientRef(String type) throws Exception {
    List<String> required = new java.util.ArrayList<>();
    SchemaEnumsTest.schema(type).path("required").forEach(r -> required.add(r.asText()));

    assertThat(required).contains("patientRef");
  }

  private static Set<String> propertyNames(JsonNode schema) {
    Set<String> names = new HashSet<>();
    schema.path("properties").fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<String> componentNames(Class<?> record) {
    return Arrays.stream(record.getRecordComponents()).map(c -> c.getName()).toList();
  }
}
