package io.pathway.model.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pathway.model.EventTypes;
import io.pathway.model.Topics;
import io.pathway.model.codes.AlertType;
import io.pathway.model.envelope.DeadLetterHeaders;
import io.pathway.model.envelope.DeadLetterReason;
import io.pathway.model.envelope.EventCodec;
import io.pathway.model.envelope.EventHeaders;
import io.pathway.model.envelope.EventValidator;
import io.pathway.model.envelope.InvalidEventException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** The AsyncAPI document covers every topic, dead-letter topic and event type, and its references resolve. */
class AsyncApiDocumentTest {

  private static final String DOCUMENT = "asyncapi/pathway-asyncapi.yaml";
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final EventValidator VALIDATOR = EventCodec.create().validator();

  private static JsonNode doc;

  @BeforeAll
  static void parse() throws Exception {
    try (InputStream in = AsyncApiDocumentTest.class.getClassLoader().getResourceAsStream(DOCUMENT)) {
      assertThat(in).as(DOCUMENT).isNotNull();
      Object yaml = new Yaml(new LoaderOptions()).load(in);
      doc = MAPPER.valueToTree(yaml);
    }
  }

  static Stream<String> eventTypes() {
    return EventTypes.all().stream();
  }

  static Stream<String> topics() {
    return Topics.all().stream();
  }

  @Test
  void shouldBeAsyncApi3() {
    assertThat(doc.path("asyncapi").asText()).isEqualTo("3.0.0");
    assertThat(doc.path("info").path("description").asText()).contains("patientRef", "ce_id", "referralId", "orderId", "UNMATCHED_EVENT");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("topics")
  void shouldDescribeEveryTopicWithExactlyItsEventTypes(String topic) {
    JsonNode channel = channel(topic);

    Set<String> names = new HashSet<>();
    channel.path("messages").forEach(ref -> names.add(resolve(ref).path("name").asText()));
    assertThat(names).containsExactlyInAnyOrderElementsOf(EventTypes.BY_TOPIC.get(topic));
  }

  @Test
  void shouldHaveNoChannelOutsideTheContract() {
    Set<String> expected = new HashSet<>(Topics.all());
    Topics.withDeadLetter().forEach(t -> expected.add(Topics.dlt(t)));
    Set<String> addresses = new HashSet<>();
    doc.path("channels").forEach(c -> addresses.add(c.path("address").asText()));

    assertThat(addresses).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void shouldDescribeEveryDeadLetterTopicWithItsReasonHeaders() {
    for (String topic : Topics.withDeadLetter()) {
      JsonNode message = resolve(channel(Topics.dlt(topic)).path("messages").path("deadLetter"));
      JsonNode headers = resolve(message.path("headers")).path("properties");

      assertThat(headers.has(DeadLetterHeaders.REASON)).isTrue();
      assertThat(headers.has(DeadLetterHeaders.DETAIL)).isTrue();
      assertThat(headers.has("kafka_dlt-original-topic")).isTrue();
      List<String> reasons = new ArrayList<>();
      headers.path(DeadLetterHeaders.REASON).path("enum").forEach(r -> reasons.add(r.asText()));
      assertThat(reasons).containsExactlyInAnyOrderElementsOf(Arrays.stream(DeadLetterReason.values()).map(Enum::name).toList());
      assertThat(headers.fieldNames()).toIterable().as("no exception message or stack trace on a DLT")
          .doesNotContain("kafka_dlt-exception-message", "kafka_dlt-exception-stacktrace");
    }
  }

  @Test
  void shouldGiveEveryRefusalOfTheCodecADeadLetterReasonOfTheSameName() {
    for (InvalidEventException.Reason refusal : InvalidEventException.Reason.values()) {
      assertThat(DeadLetterReason.of(refusal).name()).isEqualTo(refusal.name());
    }
  }

  @Test
  void shouldSayThatUnreadableRedFlagsRaiseACriticalAlertWhereTheyAreDeadLettered() {
    assertThat(doc.path("info").path("description").asText()).contains("UNREADABLE_RED_FLAG", "CRITICAL");
    for (String topic : List.of(Topics.CLINICAL_OBSERVATIONS, Topics.PATHWAY_ENROLMENTS)) {
      assertThat(channel(Topics.dlt(topic)).path("description").asText()).as(Topics.dlt(topic))
          .contains("CRITICAL", AlertType.UNREADABLE_RED_FLAG.name(), "record key");
    }
    for (String topic : List.of(Topics.DIAGNOSTIC_RESULTS, Topics.TREATMENT_OUTCOMES)) {
      assertThat(channel(Topics.dlt(topic)).path("description").asText()).as(Topics.dlt(topic))
          .doesNotContain(AlertType.UNREADABLE_RED_FLAG.name());
    }
  }

  @Test
  void shouldShowAnUnreadableRedFlagAlertAndAnOrderCancellationAsExamples() {
    List<String> alertTypes = new ArrayList<>();
    messagesNamed(EventTypes.ALERT_RAISED).forEach(m -> m.path("examples").forEach(e -> alertTypes.add(e.path("payload").path("type").asText())));
    assertThat(alertTypes).contains(AlertType.UNREADABLE_RED_FLAG.name());

    JsonNode cancelled = messagesNamed(EventTypes.ORDER_CANCELLED).get(0);
    assertThat(cancelled.path("correlationId").path("location").asText()).isEqualTo("$message.payload#/orderId");
    assertThat(cancelled.path("description").asText()).contains("stop", "never dropped silently");

    JsonNode referralCancelled = messagesNamed(EventTypes.REFERRAL_CANCELLED).get(0);
    assertThat(referralCancelled.path("correlationId").path("location").asText()).isEqualTo("$message.payload#/referralId");
    assertThat(referralCancelled.path("description").asText()).contains("stop acting", "never cancelled", "never dropped silently");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("eventTypes")
  void shouldReferenceTheJsonSchemaOfEveryEventType(String type) {
    List<JsonNode> messages = messagesNamed(type);
    assertThat(messages).as("messages named %s", type).isNotEmpty();

    for (JsonNode message : messages) {
      String schemaRef = message.path("payload").path("schema").findValuesAsText("$ref").stream()
          .filter(r -> r.startsWith("../")).findFirst().orElseThrow();
      assertThat(schemaRef).isEqualTo("../" + EventValidator.schemaResource(type));
      Path schema = ContractResources.root("asyncapi").resolve(schemaRef).normalize();
      assertThat(Files.exists(schema)).as("%s exists", schema).isTrue();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("eventTypes")
  void shouldCarryValidExamples(String type) {
    for (JsonNode message : messagesNamed(type)) {
      JsonNode examples = message.path("examples");
      assertThat(examples.size()).as("examples of %s", type).isPositive();
      for (JsonNode example : examples) {
        boolean structured = message.path("contentType").asText().equals(EventHeaders.CLOUDEVENTS_JSON);
        JsonNode data = structured ? example.path("payload").path("data") : example.path("payload");
        assertThat(VALIDATOR.validate(type, data)).as("example %s", example.path("name").asText()).isEmpty();
        String declaredType = structured ? example.path("payload").path("type").asText() : example.path("headers").path("ce_type").asText();
        assertThat(declaredType).isEqualTo(type);
      }
    }
  }

  @Test
  void shouldKeyEveryEventMessageByPatientRef() {
    for (String type : EventTypes.all()) {
      for (JsonNode message : messagesNamed(type)) {
        assertThat(message.path("bindings").path("kafka").path("key").path("$ref").asText())
            .isEqualTo("#/components/schemas/PatientRef");
      }
    }
  }

  @Test
  void shouldDescribeTheCloudEventsHeaders() {
    JsonNode headers = doc.path("components").path("schemas").path("CloudEventBinaryHeaders").path("properties");
    Set<String> names = new HashSet<>();
    headers.fieldNames().forEachRemaining(names::add);

    assertThat(names).contains(EventHeaders.HEADER_ID, EventHeaders.HEADER_SOURCE, EventHeaders.HEADER_TYPE,
        EventHeaders.HEADER_SPECVERSION, EventHeaders.HEADER_TIME, EventHeaders.HEADER_SUBJECT, EventHeaders.HEADER_CONTENT_TYPE);
    assertThat(doc.path("components").path("schemas").has("StructuredCloudEvent")).isTrue();
  }

  @Test
  void shouldHaveOperationsFromThePlatformsPointOfView() {
    Map<String, Set<String>> actionsByAddress = new java.util.HashMap<>();
    doc.path("operations").forEach(op -> actionsByAddress
        .computeIfAbsent(resolve(op.path("channel")).path("address").asText(), a -> new HashSet<>())
        .add(op.path("action").asText()));

    Topics.INBOUND.forEach(t -> assertThat(actionsByAddress.get(t)).as(t).containsExactly("receive"));
    Topics.OUTBOUND.forEach(t -> assertThat(actionsByAddress.get(t)).as(t).contains("send"));
    Topics.withDeadLetter().forEach(t -> assertThat(actionsByAddress.get(Topics.dlt(t))).as(Topics.dlt(t)).containsExactly("send"));
  }

  @Test
  void shouldResolveEveryLocalReference() {
    List<String> refs = doc.findValuesAsText("$ref").stream().filter(r -> r.startsWith("#/")).distinct().toList();

    assertThat(refs).isNotEmpty();
    refs.forEach(ref -> assertThat(doc.at(ref.substring(1)).isMissingNode()).as(ref).isFalse());
  }

  @Test
  void shouldResolveEveryFileReference() {
    Path folder = ContractResources.root("asyncapi");
    Set<String> files = doc.findValuesAsText("$ref").stream().filter(r -> !r.startsWith("#")).collect(Collectors.toSet());

    assertThat(files).hasSize(EventTypes.all().size());
    files.forEach(f -> assertThat(Files.exists(folder.resolve(f).normalize())).as(f).isTrue());
  }

  private static JsonNode channel(String address) {
    List<JsonNode> matching = new ArrayList<>();
    doc.path("channels").forEach(c -> {
      if (c.path("address").asText().equals(address)) {
        matching.add(c);
      }
    });
    assertThat(matching).as("channels with address %s", address).hasSize(1);
    return matching.get(0);
  }

  private static List<JsonNode> messagesNamed(String type) {
    List<JsonNode> messages = new ArrayList<>();
    doc.path("components").path("messages").forEach(m -> {
      if (m.path("name").asText().equals(type)) {
        messages.add(m);
      }
    });
    return messages;
  }

  private static JsonNode resolve(JsonNode node) {
    JsonNode current = node;
    while (current.has("$ref") && current.path("$ref").asText().startsWith("#/")) {
      current = doc.at(current.path("$ref").asText().substring(1));
    }
    assertThat(current.isMissingNode()).as("reference %s", node).isFalse();
    return current;
  }
}
