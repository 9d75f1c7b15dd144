package io.pathway.service.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pathway.model.Topics;
import io.pathway.model.codes.RedFlag;
import io.pathway.model.codes.Urgency;
import io.pathway.model.envelope.DeadLetterHeaders;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.model.events.FollowUpRecorded;
import io.pathway.model.events.RedFlagRaised;
import io.pathway.model.events.ReferralIssued;
import io.pathway.service.PathwayServiceTest;
import io.pathway.service.support.Hospital;
import io.pathway.service.support.Outbound;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * A poll's records are applied in shared transactions, each under its own savepoint: the test holds the
 * listener while it puts good records, a bad one and a red flag on one partition (one patient), so that one
 * poll brings them all, and checks that every good record is applied once, the bad one alone is dead-lettered
 * and the red flag escalates.
 */
@PathwayServiceTest
class InboundBatchTest {

  @Autowired JdbcTemplate jdbc;
  @Autowired KafkaListenerEndpointRegistry listeners;

  @BeforeAll
  static void listen() {
    Outbound.start();
  }

  @Test
  void shouldApplyAPollsGoodRecordsOnceAndDeadLetterTheBadOneAlone() {
    String patient = "PT-" + UUID.randomUUID().toString().substring(0, 8);
    MessageListenerContainer container = listeners.getListenerContainer("clinical-observations");
    assertThat(container.getContainerProperties().getAckMode()).hasToString("BATCH");
    List<EventEnvelope> good = new ArrayList<>();
    container.pause();
    try {
      await().atMost(Duration.ofSeconds(30)).until(container::isContainerPaused);
      // follow-ups without a pathway are kept in the inbox: each must be kept exactly once
      for (int i = 0; i < 3; i++) {
        good.add(Hospital.send(Topics.CLINICAL_OBSERVATIONS, new FollowUpRecorded(patient, "ORAL_CORTICOSTEROID", 10 + i, true,
            Instant.now())));
      }
      Hospital.sendRaw(Topics.CLINICAL_OBSERVATIONS, patient, "{not json".getBytes(StandardCharsets.UTF_8), Map.of(
          "ce_specversion", "1.0", "ce_id", UUID.randomUUID().toString(), "ce_source", "urn:hospital:test",
          "ce_type", "pathway.followup.recorded.v1", "content-type", "application/json"));
      for (int i = 0; i < 2; i++) {
        good.add(Hospital.send(Topics.CLINICAL_OBSERVATIONS, new FollowUpRecorded(patient, "ORAL_CORTICOSTEROID", 20 + i, true,
            Instant.now())));
      }
      Hospital.send(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised(patient, RedFlag.SADDLE_ANESTHESIA, Instant.now()));
      good.add(Hospital.send(Topics.CLINICAL_OBSERVATIONS, new FollowUpRecorded(patient, "ORAL_CORTICOSTEROID", 30, true,
          Instant.now())));
    } finally {
      container.resume();
    }

    // the red flag escalates; the bad record, and only it, is dead-lettered with its reason
    await().atMost(Duration.ofSeconds(30)).until(() -> Outbound.events(Topics.REFERRALS, ReferralIssued.class, patient)
        .stream().anyMatch(r -> r.urgency() == Urgency.EMERGENCY));
    await().atMost(Duration.ofSeconds(30)).until(() -> Outbound.deadLetters(Topics.CLINICAL_OBSERVATIONS, patient).size() == 1);
    assertThat(Outbound.deadLetters(Topics.CLINICAL_OBSERVATIONS, patient).get(0).header(DeadLetterHeaders.REASON))
        .isEqualTo("MALFORMED");
    // every good record was claimed once, in order, none lost and none twice
    await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
        "select count(*) from pathway.processed_event where ce_id in (" + ids(good) + ")", Integer.class) == good.size());
    assertThat(jdbc.queryForObject("select count(*) from pathway.journal where patient_ref = ? and ce_type = 'pathway.redflag.raised.v1'",
        Integer.class, patient)).isOne();
    assertThat(jdbc.queryForObject("select count(*) from pathway.escalation where patient_ref = ?", Integer.class, patient)).isOne();
  }

  private static String ids(List<EventEnvelope> events) {
    return String.join(",", events.stream().map(e -> "'" + e.id() + "'").toList());
  }
}
