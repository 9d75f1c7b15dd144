package io.pathway.model.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pathway.model.EventCatalog;
import io.pathway.model.EventTypes;
import io.pathway.model.contract.ContractResources.Example;
import io.pathway.model.envelope.EventCodec;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.model.envelope.InvalidEventException;
import io.pathway.model.events.PathwayEvent;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The published examples: valid ones validate and round-trip through their Java type, invalid ones are refused. */
class ExamplesTest {

  private static final EventCodec CODEC = EventCodec.create();
  private static final ObjectMapper MAPPER = CODEC.objectMapper();
  private static final Pattern QUOTED_VALUE = Pattern.compile("\"([^\"]{3,})\"(?!\\s*:)");

  static List<Example> validExamples() {
    return ContractResources.examples("valid-");
  }

  static List<Example> invalidExamples() {
    return ContractResources.examples("invalid-");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validExamples")
  void shouldValidateValidExample(Example example) throws Exception {
    JsonNode data = MAPPER.readTree(example.bytes());

    assertThat(CODEC.validator().validate(example.type(), data)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validExamples")
  void shouldRoundTripValidExampleThroughItsJavaType(Example example) throws Exception {
    // given
    JsonNode json = MAPPER.readTree(example.bytes());
    Class<? extends PathwayEvent> type = EventCatalog.payloadType(example.type()).orElseThrow();

    // when
    PathwayEvent event = MAPPER.treeToValue(json, type);
    JsonNode back = MAPPER.readTree(CODEC.writeData(event));

    // then
    assertThat(back).isEqualTo(json);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validExamples")
  void shouldDecodeValidExampleAsBinaryRecord(Example example) throws Exception {
    EventEnvelope envelope = CODEC.decode(binary(example), example.bytes());

    assertThat(envelope.type()).isEqualTo(example.type());
    assertThat(envelope.data()).isInstanceOf(EventCatalog.payloadType(example.type()).orElseThrow());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validExamples")
  void shouldDecodeValidExampleAsStructuredRecord(Example example) throws Exception {
    // given
    ObjectNode event = MAPPER.createObjectNode()
        .put("specversion", "1.0").put("id", "structured-" + example.name()).put("source", "urn:hospital:examples")
        .put("type", example.type()).put("datacontenttype", "application/json");
    event.set("data", MAPPER.readTree(example.bytes()));
    RecordHeaders headers = new RecordHeaders();
    headers.add("content-type", io.pathway.model.envelope.EventHeaders.CLOUDEVENTS_JSON.getBytes(StandardCharsets.UTF_8));

    // when
    EventEnvelope envelope = CODEC.decode(headers, MAPPER.writeValueAsBytes(event));

    // then
    assertThat(envelope.id()).isEqualTo("structured-" + example.name());
    assertThat(MAPPER.readTree(CODEC.writeData(envelope.data()))).isEqualTo(MAPPER.readTree(example.bytes()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidExamples")
  void shouldRefuseInvalidExampleNamingTheField(Example example) {
    assertThatThrownBy(() -> CODEC.decode(binary(example), example.bytes()))
        .isInstanceOfSatisfying(InvalidEventException.class, e -> {
          assertThat(e.reason()).isIn(InvalidEventException.Reason.SCHEMA_VIOLATION, InvalidEventException.Reason.MALFORMED);
          assertThat(e.getMessage()).contains(example.expected());
        });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidExamples")
  void shouldNotEchoValuesOfInvalidExample(Example example) throws Exception {
    Set<String> values = new HashSet<>();
    try {
      collectTextValues(MAPPER.readTree(example.bytes()), values);
    } catch (Exception malformed) {
      Matcher quoted = QUOTED_VALUE.matcher(new String(example.bytes(), StandardCharsets.UTF_8));
      while (quoted.find()) {
        values.add(quoted.group(1));
      }
    }
    values.removeAll(allowedTexts());

    assertThatThrownBy(() -> CODEC.decode(binary(example), example.bytes()))
        .satisfies(e -> values.forEach(v -> assertThat(e.getMessage()).doesNotContain(v)));
  }

  private static RecordHeaders binary(Example example) {
    RecordHeaders headers = new RecordHeaders();
    headers.add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
    headers.add("ce_id", ("example-" + example.name()).getBytes(StandardCharsets.UTF_8));
    headers.add("ce_source", "urn:hospital:examples".getBytes(StandardCharsets.UTF_8));
    headers.add("ce_type", example.type().getBytes(StandardCharsets.UTF_8));
    headers.add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
    return headers;
  }

  private static void collectTextValues(JsonNode node, Set<String> values) {
    if (node.isTextual() && node.asText().length() >= 3) {
      values.add(node.asText());
    }
    node.forEach(child -> collectTextValues(child, values));
  }

  /** Codes and type names may appear in a message (enumerations list them); they are not patient data. */
  private static Set<String> allowedTexts() {
    Set<String> allowed = new HashSet<>(EventTypes.all());
    SchemaEnumsTest.codeEnums().values().forEach(allowed::addAll);
    return allowed;
  }
}
