package io.pathway.model.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pathway.model.EventTypes;
import io.pathway.model.Fixtures;
import io.pathway.model.Topics;
import io.pathway.model.envelope.InvalidEventException.Reason;
import io.pathway.model.events.EnrolmentRequested;
import io.pathway.model.events.RedFlagRaised;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;

class EventCodecTest {

  private static final EventCodec CODEC = EventCodec.create();

  private static final String RED_FLAG_JSON =
      "{\"patientRef\":\"PSN-test-0002\",\"flag\":\"SADDLE_ANESTHESIA\",\"observedAt\":\"2026-11-24T22:40:00Z\"}";

  @Test
  void shouldWriteBinaryModeRecordWithCloudEventsHeadersAndPatientKey() {
    // given
    EventEnvelope envelope = EventEnvelope.of(Fixtures.HOSPITAL, Fixtures.enrolment());

    // when
    ProducerRecord<String, byte[]> record = CODEC.toRecord(Topics.PATHWAY_ENROLMENTS, envelope);

    // then
    assertThat(record.topic()).isEqualTo(Topics.PATHWAY_ENROLMENTS);
    assertThat(record.key()).isEqualTo("PSN-test-0001");
    assertThat(header(record.headers(), "ce_id")).isEqualTo(envelope.id());
    assertThat(header(record.headers(), "ce_type")).isEqualTo(EventTypes.ENROLMENT_REQUESTED);
    assertThat(header(record.headers(), "ce_source")).isEqualTo("urn:hospital:ehr-test");
    assertThat(header(record.headers(), "ce_specversion")).isEqualTo("1.0");
    assertThat(header(record.headers(), "ce_subject")).isEqualTo("PSN-test-0001");
    assertThat(OffsetDateTime.parse(header(record.headers(), "ce_time"))).isEqualTo(envelope.time());
    assertThat(header(record.headers(), "content-type")).isEqualTo("application/json");
    assertThat(new String(record.value(), StandardCharsets.UTF_8)).startsWith("{\"referralId\":\"REF-TEST-0001\"");
  }

  @Test
  void shouldDecodeWhatItEncodes() throws Exception {
    // given
    EventEnvelope sent = EventEnvelope.of(Fixtures.HOSPITAL, Fixtures.enrolment());
    ProducerRecord<String, byte[]> produced = CODEC.toRecord(Topics.PATHWAY_ENROLMENTS, sent);

    // when
    EventEnvelope received = CODEC.decode(consumed(produced));

    // then
    assertThat(received).isEqualTo(sent);
    assertThat(received.dataAs(EnrolmentRequested.class).steroidTreatment().imageGuided()).isTrue();
  }

  @Test
  void shouldBuildTheSameRecordFromSerializedParts() throws Exception {
    // given: what an outbox row holds
    byte[] data = CODEC.writeData(Fixtures.redFlag());
    OffsetDateTime time = OffsetDateTime.parse("2026-11-24T22:40:00.123Z");

    // when
    ProducerRecord<String, byte[]> record = CODEC.toRecord(Topics.CLINICAL_OBSERVATIONS, "PSN-test-0002", "evt-1",
        EventTypes.RED_FLAG_RAISED, Fixtures.HOSPITAL, "PSN-test-0002", time, data);
    EventEnvelope decoded = CODEC.decode(consumed(record));

    // then
    assertThat(decoded.id()).isEqualTo("evt-1");
    assertThat(decoded.time()).isEqualTo(time);
    assertThat(decoded.data()).isEqualTo(Fixtures.redFlag());
  }

  @Test
  void shouldDecodeBinaryModeWrittenWithoutTheSdk() throws Exception {
    EventEnvelope envelope = CODEC.decode(RecordBuilder.binary(EventTypes.RED_FLAG_RAISED, RED_FLAG_JSON).on(Topics.CLINICAL_OBSERVATIONS));

    assertThat(envelope.id()).isEqualTo("8c1f0c7e-2f4b-4a55-9a1e-0d5b8a3c9e11");
    assertThat(envelope.source()).isEqualTo(URI.create("urn:hospital:ehr-test"));
    assertThat(envelope.time()).isEqualTo(OffsetDateTime.parse("2026-11-24T22:40:00Z"));
    assertThat(envelope.data()).isEqualTo(Fixtures.redFlag());
  }

  @Test
  void shouldDecodeBinaryModeWithoutContentType() throws Exception {
    EventEnvelope envelope = CODEC.decode(
        RecordBuilder.binary(EventTypes.RED_FLAG_RAISED, RED_FLAG_JSON).without("content-type").on(Topics.CLINICAL_OBSERVATIONS));

    assertThat(envelope.data()).isEqualTo(Fixtures.redFlag());
  }

  @Test
  void shouldDecodeStructuredModeWithJsonData() throws Exception {
    // given
    String json = "{\"specversion\":\"1.0\",\"id\":\"s-1\",\"source\":\"urn:hospital:ehr-test\","
        + "\"type\":\"pathway.redflag.raised.v1\",\"subject\":\"PSN-test-0002\",\"time\":\"2026-11-24T22:40:00Z\","
        + "\"datacontenttype\":\"application/json\",\"data\":" + RED_FLAG_JSON + "}";

    // when
    EventEnvelope envelope = CODEC.decode(RecordBuilder.structured(json).on(Topics.CLINICAL_OBSERVATIONS));

    // then
    assertThat(envelope.id()).isEqualTo("s-1");
    assertThat(envelope.type()).isEqualTo(EventTypes.RED_FLAG_RAISED);
    assertThat(envelope.subject()).isEqualTo("PSN-test-0002");
    assertThat(envelope.data()).isEqualTo(Fixtures.redFlag());
  }

  @Test
  void shouldDecodeStructuredModeWithBase64Data() throws Exception {
    String base64 = java.util.Base64.getEncoder().encodeToString(RED_FLAG_JSON.getBytes(StandardCharsets.UTF_8));
    String json = "{\"specversion\":\"1.0\",\"id\":\"s-2\",\"source\":\"urn:hospital:ehr-test\","
        + "\"type\":\"pathway.redflag.raised.v1\",\"datacontenttype\":\"application/json\",\"data_base64\":\"" + base64 + "\"}";

    EventEnvelope envelope = CODEC.decode(RecordBuilder.structured(json).on(Topics.CLINICAL_OBSERVATIONS));

    assertThat(envelope.dataAs(RedFlagRaised.class)).isEqualTo(Fixtures.redFlag());
  }

  @Test
  void shouldRefuseMissingType() {
    assertRefused(RecordBuilder.binary(EventTypes.RED_FLAG_RAISED, RED_FLAG_JSON).without("ce_type"),
        Reason.MISSING_TYPE, "ce_type");
  }

  @Test
  void shouldRefuseMissingTypeInStructuredMode() {
    String json = "{\"specversion\":\"1.0\",\"id\":\"s-3\",\"source\":\"urn:x\",\"data\":" + RED_FLAG_JSON + "}";
    assertRefused(RecordBuilder.structured(json), Reason.MISSING_TYPE, "type");
  }

  @Test
  void shouldRefuseUnknownType() {
    assertRefused(RecordBuilder.binary("pathway.redflag.raised.v9", RED_FLAG_JSON), Reason.UNKNOWN_TYPE, "ce_type");
  }

  @Test
  void shouldRefuseTypeNotAllowedOnTheTopic() {
    String followUp = "{\"patientRef\":\"PSN-test-0002\",\"treatment\":\"ORAL_CORTICOSTEROID\",\"painReductionPercent\":10,"
        + "\"assessedAt\":\"2026-11-24T22:40:00Z\"}";
    ConsumerRecord<String, byte[]> record =
        RecordBuilder.binary(EventTypes.FOLLOW_UP_RECORDED, followUp).on(Topics.DIAGNOSTIC_RESULTS);

    assertThatThrownBy(() -> CODEC.decode(record))
        .isInstanceOfSatisfying(InvalidEventException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_TYPE);
          assertThat(e.getMessage()).contains("ce_type").contains(Topics.DIAGNOSTIC_RESULTS);
        });
  }

  @Test
  void shouldTakeARedFlagOnEveryInboundTopicButNoOutboundOne() throws Exception {
    for (String topic : EventTypes.INBOUND_TOPICS) {
      EventEnvelope envelope = CODEC.decode(RecordBuilder.binary(EventTypes.RED_FLAG_RAISED, RED_FLAG_JSON).on(topic));
      assertThat(envelope.data()).as(topic).isEqualTo(Fixtures.redFlag());
    }
    assertThatThrownBy(() -> CODEC.decode(RecordBuilder.binary(EventTypes.RED_FLAG_RAISED, RED_FLAG_JSON).on(Topics.ALERTS)))
        .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_TYPE));
  }

  @Test
  void shouldRecogniseAStructuredEventWithoutOrWithACapitalisedContentType() throws Exception {
    String json = "{\"specversion\":\"1.0\",\"id\":\"s-9\",\"source\":\"urn:hospital:ehr-test\","
        + "\"type\":\"pathway.redflag.raised.v1\",\"data\":" + RED_FLAG_JSON + "}";
    RecordBuilder none = new RecordBuilder().value(json);
    RecordBuilder capitalised = new RecordBuilder().header("Content-Type", "application/cloudevents+json").value(json);
    RecordBuilder plainJson = new RecordBuilder().header("content-type", "application/json").value(json);

    for (RecordBuilder record : java.util.List.of(none, capitalised)) {
      EventEnvelope envelope = CODEC.decode(record.on(Topics.CLINICAL_OBSERVATIONS));
      assertThat(envelope.id()).isEqualTo("s-9");
      assertThat(envelope.data()).isEqualTo(Fixtures.redFlag());
    }
    // a record that says it is binary JSON is read as binary: no ce_type header, refused
    assertThatThrownBy(() -> CODEC.decode(plainJson.on(Topics.CLINICAL_OBSERVATIONS)))
        .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MISSING_TYPE));
  }

  @Test
  void shouldRefuseMissingId() {
    assertRefused(RecordBuilder.binary(EventTypes.RED_FLAG_RAISED, RED_FLAG_JSON).without("ce_id"), Reason.MISSING_ID, "ce_id");
  }

  @Test
  void shouldRefuseMissingIdInStructuredMode() {
    String json = "{\"specversion\":\"1.0\",\"source\":\"urn:x\",\"type\":\"pathway.redflag.raised.v1\",\"data\":" + RED_FLAG_JSON + "}";
    assertRefused(RecordBuilder.structured(json), Reason.MISSING_ID, "id");
  }

  @Test
  void shouldRefuseBadTimeAttribute() {
    assertRefused(RecordBuilder.binary(EventTypes.RED_FLAG_RAISED, RED_FLAG_JSON).header("ce_time", "yesterday"),
        Reason.MALFORMED, "not a valid CloudEvent");
  }

  @Test
  void shouldRefuseOverlongId() {
    assertRefused(RecordBuilder.binary(EventTypes.RED_FLAG_RAISED, RED_FLAG_JSON).header("ce_id", "i".repeat(129)),
        Reason.MALFORMED, "ce_id");
  }

  @Test
  void shouldRefuseMalformedJsonWithoutEchoingIt() {
    InvalidEventException e = assertRefused(
        RecordBuilder.binary(EventTypes.RED_FLAG_RAISED, "{\"patientRef\": PSN-secret-9999 }"), Reason.MALFORMED, "malformed JSON");
    assertThat(e.getMessage()).doesNotContain("PSN-secret-9999");
  }

  @Test
  void shouldRefuseMalformedStructuredRecord() {
    assertRefused(RecordBuilder.structured("{\"specversion\":\"1.0\","), Reason.MALFORMED, "malformed JSON");
  }

  @Test
  void shouldRefuseDuplicateKeys() {
    String json = "{\"patientRef\":\"PSN-a\",\"patientRef\":\"PSN-b\",\"flag\":\"FOOT_DROP\",\"observedAt\":\"2026-11-24T22:40:00Z\"}";
    assertRefused(RecordBuilder.binary(EventTypes.RED_FLAG_RAISED, json), Reason.MALFORMED, "malformed JSON");
  }

  @Test
  void shouldRefuseEmptyValue() {
    assertRefused(RecordBuilder.binary(EventTypes.RED_FLAG_RAISED, new String()).value(new byte[0]), Reason.MALFORMED, "value");
  }

  @Test
  void shouldRefuseMissingSource() {
    assertRefused(RecordBuilder.binary(EventTypes.RED_FLAG_RAISED, RED_FLAG_JSON).without("ce_source"), Reason.MALFORMED, "ce_source");
  }

  @Test
  void shouldRefuseMissingSpecVersion() {
    assertRefused(RecordBuilder.binary(EventTypes.RED_FLAG_RAISED, RED_FLAG_JSON).without("ce_specversion"),
        Reason.MALFORMED, "ce_specversion");
  }

  @Test
  void shouldRefuseNonJsonContentType() {
    assertRefused(RecordBuilder.binary(EventTypes.RED_FLAG_RAISED, RED_FLAG_JSON).header("content-type", "text/plain"),
        Reason.MALFORMED, "datacontenttype");
  }

  @Test
  void shouldRefuseSchemaViolationNamingTheField() {
    String json = RED_FLAG_JSON.replace("\"observedAt\":\"2026-11-24T22:40:00Z\"", "\"observedAt\":\"last tuesday\"");
    InvalidEventException e = assertRefused(RecordBuilder.binary(EventTypes.RED_FLAG_RAISED, json), Reason.SCHEMA_VIOLATION, "$.observedAt");
    assertThat(e.getMessage()).doesNotContain("last tuesday");
    assertThat(e.violations()).hasSize(1);
    assertThat(e.ceType()).isEqualTo(EventTypes.RED_FLAG_RAISED);
    assertThat(e.ceId()).isEqualTo("8c1f0c7e-2f4b-4a55-9a1e-0d5b8a3c9e11");
  }

  @Test
  void shouldRefuseUnknownCode() {
    InvalidEventException e = assertRefused(
        RecordBuilder.binary(EventTypes.RED_FLAG_RAISED, RED_FLAG_JSON.replace("SADDLE_ANESTHESIA", "SORE_TOE_OF_JANE_DOE")),
        Reason.SCHEMA_VIOLATION, "$.flag: does not have a value in the enumeration");
    assertThat(e.getMessage()).doesNotContain("JANE_DOE");
  }

  @Test
  void shouldRefuseDirectIdentifiersAsUnknownProperties() {
    String json = RED_FLAG_JSON.replace("{", "{\"nationalId\":\"756.1234.5678.97\",");
    InvalidEventException e = assertRefused(RecordBuilder.binary(EventTypes.RED_FLAG_RAISED, json), Reason.SCHEMA_VIOLATION, "nationalId");
    assertThat(e.getMessage()).doesNotContain("756.1234");
  }

  @Test
  void shouldRefusePatientRefThatIsNotPseudonymous() {
    InvalidEventException e = assertRefused(
        RecordBuilder.binary(EventTypes.RED_FLAG_RAISED, RED_FLAG_JSON.replace("PSN-test-0002", "Jane Doe, 1 Main Street")),
        Reason.SCHEMA_VIOLATION, "$.patientRef");
    assertThat(e.getMessage()).doesNotContain("Jane");
  }

  @Test
  void shouldRefuseOversizedRecord() {
    String padding = "x".repeat(EventHeaders.MAX_EVENT_BYTES);
    String json = RED_FLAG_JSON.replace("}", ",\"padding\":\"" + padding + "\"}");
    assertRefused(RecordBuilder.binary(EventTypes.RED_FLAG_RAISED, json), Reason.OVERSIZED, String.valueOf(EventHeaders.MAX_EVENT_BYTES));
  }

  @Test
  void shouldRefuseOversizedHeaders() {
    assertRefused(RecordBuilder.binary(EventTypes.RED_FLAG_RAISED, RED_FLAG_JSON).header("ce_junk", "y".repeat(EventHeaders.MAX_EVENT_BYTES)),
        Reason.OVERSIZED, "record");
  }

  @Test
  void shouldRefuseToWriteAnEventThatBreaksItsSchema() {
    RedFlagRaised bad = new RedFlagRaised("not pseudonymous", null, null);

    assertThatThrownBy(() -> CODEC.writeData(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("$.patientRef")
        .hasMessageContaining("flag")
        .hasMessageNotContaining("not pseudonymous");
  }

  @Test
  void shouldShareOneMapperThatWritesIsoDates() throws Exception {
    JsonNode tree = CODEC.objectMapper().readTree(CODEC.writeData(Fixtures.redFlag()));

    assertThat(tree.get("observedAt").asText()).isEqualTo("2026-11-24T22:40:00Z");
    assertThat(((ObjectNode) tree).has("unused")).isFalse();
  }

  private static InvalidEventException assertRefused(RecordBuilder record, Reason reason, String messagePart) {
    try {
      CODEC.decode(record.headers(), record.value());
    } catch (InvalidEventException e) {
      assertThat(e.reason()).as("reason of: %s", e.getMessage()).isEqualTo(reason);
      assertThat(e.getMessage()).contains(messagePart);
      return e;
    }
    throw new AssertionError("record was not refused");
  }

  private static ConsumerRecord<String, byte[]> consumed(ProducerRecord<String, byte[]> produced) {
    ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(produced.topic(), 0, 0L, produced.key(), produced.value());
    produced.headers().forEach(h -> record.headers().add(h));
    return record;
  }

  private static String header(Headers headers, String key) {
    return new String(headers.lastHeader(key).value(), StandardCharsets.UTF_8);
  }
}
