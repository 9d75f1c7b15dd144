package io.pathway.model.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import io.pathway.model.EventTypes;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every published schema is itself a valid draft 2020-12 schema (checked against the bundled meta-schema). */
class SchemaMetaTest {

  private static final JsonSchema META_SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
      .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));

  static Stream<String> eventTypes() {
    return EventTypes.all().stream();
  }

  @org.junit.jupiter.api.Test
  void shouldRejectABrokenSchema() throws Exception {
    var broken = new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"type\": 5, \"required\": \"x\"}");

    assertThat(META_SCHEMA.validate(broken)).isNotEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("eventTypes")
  void shouldBeAValidDraft202012Schema(String type) throws Exception {
    assertThat(META_SCHEMA.validate(SchemaEnumsTest.schema(type))).isEmpty();
  }
}
