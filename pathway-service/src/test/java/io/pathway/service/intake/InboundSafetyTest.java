package io.pathway.service.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pathway.model.Topics;
import io.pathway.model.codes.AlertType;
import io.pathway.model.codes.RedFlag;
import io.pathway.model.codes.Severity;
import io.pathway.model.envelope.DeadLetterHeaders;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.model.codes.DiagnosticTest;
import io.pathway.model.codes.TestOutcome;
import io.pathway.model.events.AlertRaised;
import io.pathway.model.events.DiagnosticResult;
import io.pathway.model.events.Findings;
import io.pathway.model.events.FollowUpRecorded;
import io.pathway.model.events.RedFlagRaised;
import io.pathway.service.PathwayServiceTest;
import io.pathway.service.support.Hospital;
import io.pathway.service.support.Outbound;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Bad input, duplicates and events with nowhere to go: nothing lost, nothing applied twice, no partition blocked. */
@PathwayServiceTest
class InboundSafetyTest {

  @Autowired
  JdbcTemplate jdbc;

  @BeforeAll
  static void listen() {
    Outbound.start();
  }

  static String patient() {
    return "PT-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void shouldRaiseCriticalAlertForCaudaEquinaSignsOfPatientWithoutPathway() {
    String patient = patient();

    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised(patient, RedFlag.SADDLE_ANESTHESIA, Instant.now()));

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(Outbound.events(Topics.ALERTS, AlertRaised.class, patient)).singleElement().satisfies(a -> {
          assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
          assertThat(a.type()).isEqualTo(AlertType.RED_FLAG);
          assertThat(a.pathwayId()).as("the stand-alone escalation's id").isNotNull();
        }));
  }

  @Test
  void shouldRaiseHighAlertForFootDropOfPatientWithoutPathway() {
    String patient = patient();

    Hospital.sendStructured(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised(patient, RedFlag.FOOT_DROP, Instant.now()));

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(Outbound.events(Topics.ALERTS, AlertRaised.class, patient)).singleElement()
            .satisfies(a -> assertThat(a.severity()).isEqualTo(Severity.HIGH)));
  }

  @Test
  void shouldApplyTheSameEventOnlyOnce() {
    String patient = patient();
    EventEnvelope first = Hospital.send(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised(patient, RedFlag.BLADDER_DYSFUNCTION, Instant.now()));

    Hospital.resend(Topics.CLINICAL_OBSERVATIONS, first);
    Hospital.resend(Topics.CLINICAL_OBSERVATIONS, first);
    // a later event of the same patient has the same key, so the same partition: once it is processed,
    // so are the two copies before it (a marker for another patient may be on another partition)
    EventEnvelope marker = Hospital.send(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised(patient, RedFlag.FOOT_DROP, Instant.now()));

    await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
        "select count(*) from pathway.processed_event where ce_id = ?", Integer.class, marker.id()) == 1);
    await().atMost(Duration.ofSeconds(30)).until(() -> !Outbound.events(Topics.ALERTS, AlertRaised.class, patient).isEmpty());
    assertThat(Outbound.events(Topics.ALERTS, AlertRaised.class, patient))
        .filteredOn(a -> a.type() == io.pathway.model.codes.AlertType.RED_FLAG).hasSize(1);
    assertThat(jdbc.queryForObject("select count(*) from pathway.processed_event where ce_id = ?", Integer.class, first.id()))
        .isEqualTo(1);
  }

  @Test
  void shouldSendEveryKindOfBadRecordToTheDeadLetterTopicAndGoOn() {
    String key = patient();
    Map<String, String> binary = Map.of("ce_specversion", "1.0", "ce_source", "urn:hospital:test", "content-type", "application/json");

    Hospital.sendRaw(Topics.CLINICAL_OBSERVATIONS, key, "{not json".getBytes(StandardCharsets.UTF_8),
        with(binary, "ce_id", "bad-1", "ce_type", "pathway.redflag.raised.v1"));
    Hospital.sendRaw(Topics.CLINICAL_OBSERVATIONS, key, "{}".getBytes(StandardCharsets.UTF_8),
        with(binary, "ce_id", "bad-2", "ce_type", "pathway.unknown.v1"));
    Hospital.sendRaw(Topics.CLINICAL_OBSERVATIONS, key,
        ("{\"patientRef\":\"" + key + "\",\"flag\":\"HEADACHE\",\"observedAt\":\"2026-01-01T00:00:00Z\"}").getBytes(StandardCharsets.UTF_8),
        with(binary, "ce_id", "bad-3", "ce_type", "pathway.redflag.raised.v1"));
    Hospital.sendRaw(Topics.CLINICAL_OBSERVATIONS, key, Hospital.codec().writeData(new DiagnosticResult("order-1", key,
            DiagnosticTest.CONTRAST_MRI, TestOutcome.POSITIVE, Findings.none(), Instant.now())),
        with(binary, "ce_id", "bad-4", "ce_type", "pathway.diagnostic.result.v1"));
    Hospital.sendRaw(Topics.CLINICAL_OBSERVATIONS, key, "{}".getBytes(StandardCharsets.UTF_8), binary);
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised(key, RedFlag.FOOT_DROP, Instant.now()));

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(Outbound.deadLetters(Topics.CLINICAL_OBSERVATIONS, key))
          .extracting(r -> r.header(DeadLetterHeaders.REASON))
          .containsExactly("MALFORMED", "UNKNOWN_TYPE", "SCHEMA_VIOLATION", "UNKNOWN_TYPE", "MISSING_TYPE");
      // the two unreadable red-flag reports each raise their alert; the good one its own
      assertThat(Outbound.events(Topics.ALERTS, AlertRaised.class, key)).extracting(AlertRaised::type)
          .containsExactlyInAnyOrder(AlertType.UNREADABLE_RED_FLAG, AlertType.UNREADABLE_RED_FLAG, AlertType.RED_FLAG);
    });
    assertThat(Outbound.deadLetters(Topics.CLINICAL_OBSERVATIONS, key).get(2).header(DeadLetterHeaders.DETAIL))
        .contains("flag").doesNotContain("HEADACHE");
    assertThat(new String(Outbound.deadLetters(Topics.CLINICAL_OBSERVATIONS, key).get(0).value(), StandardCharsets.UTF_8))
        .isEqualTo("{not json");
  }

  @Test
  void shouldKeepAFollowUpWithNoPathwayAndAlertWhenItStaysUnmatched() {
    String patient = patient();

    EventEnvelope followUp = Hospital.send(Topics.CLINICAL_OBSERVATIONS,
        new FollowUpRecorded(patient, "EPIDURAL_STEROID_INJECTION", 20, true, Instant.now()));

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(Outbound.events(Topics.ALERTS, AlertRaised.class, patient)).singleElement()
            .satisfies(a -> assertThat(a.type()).isEqualTo(AlertType.UNMATCHED_EVENT)));
    assertThat(jdbc.queryForObject("select status from pathway.inbox where ce_id = ?", String.class, followUp.id()))
        .isEqualTo("PENDING");
  }

  private static Map<String, String> with(Map<String, String> base, String... kv) {
    var m = new java.util.HashMap<>(base);
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }
}
