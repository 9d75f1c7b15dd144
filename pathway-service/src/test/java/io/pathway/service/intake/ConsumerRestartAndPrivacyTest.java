package io.pathway.service.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pathway.model.Topics;
import io.pathway.model.codes.ImagingFinding;
import io.pathway.model.codes.PainPattern;
import io.pathway.model.codes.RedFlag;
import io.pathway.model.codes.SteroidKind;
import io.pathway.model.envelope.DeadLetterHeaders;
import io.pathway.model.events.AlertRaised;
import io.pathway.model.events.EnrolmentRequested;
import io.pathway.model.events.RedFlagRaised;
import io.pathway.model.events.StageChanged;
import io.pathway.model.events.SteroidTreatment;
import io.pathway.service.PathwayServiceTest;
import io.pathway.service.support.Hospital;
import io.pathway.service.support.Outbound;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

@PathwayServiceTest
@ExtendWith(OutputCaptureExtension.class)
class ConsumerRestartAndPrivacyTest {

  @Autowired
  KafkaListenerEndpointRegistry listeners;
  @Autowired
  JdbcTemplate jdbc;

  @BeforeAll
  static void listen() {
    Outbound.start();
  }

  @Test
  void shouldLoseNothingWhenTheConsumersStopBetweenAnEventAndItsProcessing() {
    String patient = "PT-" + UUID.randomUUID().toString().substring(0, 8);
    listeners.stop();
    try {
      // given: events written while the service's consumers are down
      Hospital.send(Topics.PATHWAY_ENROLMENTS, new EnrolmentRequested("REF-" + patient, patient,
          new SteroidTreatment(SteroidKind.ORAL_CORTICOSTEROID, LocalDate.now().minusDays(3), null, null),
          PainPattern.RADICULAR, 6, false, List.of(ImagingFinding.DISC_DEGENERATION), 1, List.of(), LocalDate.now().minusDays(30)));
      Hospital.send(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised(patient, RedFlag.FOOT_DROP, Instant.now()));
    } finally {
      // when: they come back
      listeners.start();
    }

    // then: both applied, each once
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(Outbound.events(Topics.STATUS, StageChanged.class, patient)).isNotEmpty();
      assertThat(Outbound.events(Topics.ALERTS, AlertRaised.class, patient)).isNotEmpty();
    });
    assertThat(jdbc.queryForObject("select count(*) from pathway.processed_event p join pathway.pathway_ref r "
        + "on r.pathway_id = p.outcome_ref where r.patient_ref = ?", Integer.class, patient)).isGreaterThanOrEqualTo(1);
    // one pathway; the red flag, if it came first, ran as a stand-alone escalation that the pathway then waits for
    assertThat(jdbc.queryForObject("select count(*) from pathway.pathway_ref where patient_ref = ? and kind = 'PATHWAY'",
        Integer.class, patient)).isEqualTo(1);
  }

  @Test
  void shouldKeepIdentifyingDataOutOfLogsAndDeadLetterHeaders(CapturedOutput output) {
    String key = "PT-" + UUID.randomUUID().toString().substring(0, 8);
    String name = "Jonathan Smithers-" + UUID.randomUUID().toString().substring(0, 4);
    String payload = "{\"patientRef\":\"" + key + "\",\"flag\":\"FOOT_DROP\",\"observedAt\":\"2026-01-01T00:00:00Z\","
        + "\"patientName\":\"" + name + "\",\"address\":\"12 Harley Street\"}";

    Hospital.sendRaw(Topics.CLINICAL_OBSERVATIONS, key, payload.getBytes(StandardCharsets.UTF_8), Map.of(
        "ce_id", UUID.randomUUID().toString(), "ce_type", "pathway.redflag.raised.v1", "ce_specversion", "1.0",
        "ce_source", "urn:hospital:test", "content-type", "application/json"));

    await().atMost(Duration.ofSeconds(30)).until(() -> !Outbound.deadLetters(Topics.CLINICAL_OBSERVATIONS, key).isEmpty());
    var dead = Outbound.deadLetters(Topics.CLINICAL_OBSERVATIONS, key).get(0);
    assertThat(dead.header(DeadLetterHeaders.REASON)).isEqualTo("SCHEMA_VIOLATION");
    assertThat(dead.header(DeadLetterHeaders.DETAIL)).doesNotContain(name).doesNotContain("Harley");
    assertThat(output.getAll()).doesNotContain(name).doesNotContain("Harley Street");
  }
}
