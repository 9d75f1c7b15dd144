package io.pathway.notification.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.pathway.model.EventTypes;
import io.pathway.model.Topics;
import io.pathway.model.codes.Severity;
import io.pathway.model.codes.AlertType;
import io.pathway.model.codes.Urgency;
import io.pathway.model.envelope.DeadLetterHeaders;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.notification.IntegrationTest;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Bad records go to the DLT, unchanged, with the reason; the next good record of the partition is delivered. */
class DeadLetterTest extends IntegrationTest {

  @Autowired MeterRegistry meters;

  @Test
  void shouldDeadLetterMalformedUnknownAndInvalidRecordsAndDeliverTheNextGoodOne() {
    // given
    String patientRef = newPatientRef();
    double before = dltCount();
    String malformed = sendRaw(patientRef, EventTypes.REFERRAL_ISSUED, "{\"referralId\": \"REF-1\", ");
    String unknown = sendRaw(patientRef, "pathway.referral.cancelled.v9", "{\"referralId\": \"REF-1\"}");
    String invalid = sendRaw(patientRef, EventTypes.REFERRAL_ISSUED, """
        {"referralId": "REF-1", "pathwayId": "PW-1", "patientRef": "%s", "urgency": "SOON",
         "reason": "CAUDA_EQUINA_SYNDROME", "evidence": [], "issuedAt": "2026-11-24T22:40:02Z"}""".formatted(patientRef));
    String wrongTopic = codecRecordOnReferrals(patientRef);

    // when
    EventEnvelope good = publish(Topics.REFERRALS, referral(patientRef, Urgency.ELECTIVE));

    // then
    awaitDelivered(good.id(), 1);
    assertDeadLettered(malformed, "MALFORMED", "{\"referralId\": \"REF-1\", ");
    assertDeadLettered(unknown, "UNKNOWN_TYPE", null);
    ConsumerRecord<String, byte[]> schema = assertDeadLettered(invalid, "SCHEMA_VIOLATION", null);
    assertThat(header(schema, DeadLetterHeaders.DETAIL)).contains("urgency").doesNotContain("SOON");
    assertDeadLettered(wrongTopic, "UNKNOWN_TYPE", null);
    assertThat(dltCount() - before).isGreaterThanOrEqualTo(4);
  }

  private ConsumerRecord<String, byte[]> assertDeadLettered(String ceId, String reason, String value) {
    ConsumerRecord<String, byte[]> dead = awaitRecord(Topics.dlt(Topics.REFERRALS), r -> ceId.equals(header(r, "ce_id")));
    assertThat(header(dead, DeadLetterHeaders.REASON)).isEqualTo(reason);
    assertThat(header(dead, DeadLetterHeaders.DETAIL)).isNotBlank();
    assertThat(dead.headers().lastHeader("kafka_dlt-exception-message")).isNull();
    assertThat(dead.headers().lastHeader("kafka_dlt-exception-stacktrace")).isNull();
    if (value != null) {
      assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo(value);
    }
    return dead;
  }

  /** A valid alert, but on the referrals topic. */
  private String codecRecordOnReferrals(String patientRef) {
    EventEnvelope alert = EventEnvelope.of(PATHWAY_SERVICE, alert(patientRef, Severity.MEDIUM, AlertType.TASK_OVERDUE));
    send(codec.toRecord(Topics.REFERRALS, alert));
    return alert.id();
  }

  private String sendRaw(String key, String type, String json) {
    String id = UUID.randomUUID().toString();
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.REFERRALS, key, json.getBytes(StandardCharsets.UTF_8));
    record.headers().add("ce_id", bytes(id)).add("ce_type", bytes(type)).add("ce_source", bytes("urn:test:bad-producer"))
        .add("ce_specversion", bytes("1.0")).add("content-type", bytes("application/json"));
    send(record);
    return id;
  }

  private double dltCount() {
    return meters.find("pathway_dlt_records_total").tag("topic", Topics.REFERRALS).counters().stream()
        .mapToDouble(c -> c.count()).sum();
  }

  private static String header(ConsumerRecord<?, ?> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
