package io.pathway.service.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pathway.model.Topics;
import io.pathway.model.codes.ImagingFinding;
import io.pathway.model.codes.PainPattern;
import io.pathway.model.codes.SteroidKind;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.model.events.EnrolmentRequested;
import io.pathway.model.events.FollowUpRecorded;
import io.pathway.model.events.SteroidTreatment;
import io.pathway.model.events.WithdrawalRequested;
import io.pathway.service.PathwayServiceTest;
import io.pathway.service.support.Hospital;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;

/** Coordinators see what waits in the inbox and replay or discard it; every action is audited. */
@PathwayServiceTest
class InboxApiTest {

  @Autowired
  TestRestTemplate rest;
  @Autowired
  JdbcTemplate jdbc;

  long inboxId(EventEnvelope e) {
    return await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForList(
        "select id from pathway.inbox where ce_id = ?", Long.class, e.id()), l -> !l.isEmpty()).get(0);
  }

  @Test
  void shouldListReplayAndDiscardKeptEventsWithAnAuditTrail() {
    String patient = "PT-" + UUID.randomUUID().toString().substring(0, 8);
    EventEnvelope withdrawal = Hospital.send(Topics.PATHWAY_ENROLMENTS, new WithdrawalRequested("REF-" + patient, patient, "moved away"));
    EventEnvelope followUp = Hospital.send(Topics.CLINICAL_OBSERVATIONS, new FollowUpRecorded(patient, "ORAL_CORTICOSTEROID", 10, true, Instant.now()));
    long withdrawalId = inboxId(withdrawal);
    long followUpId = inboxId(followUp);

    // listed for a coordinator
    var pending = rest.withBasicAuth("coordinator", "coordinator").getForEntity("/api/inbox?status=PENDING&limit=1000", List.class);
    assertThat(pending.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(pending.getBody().toString()).contains(withdrawal.id(), followUp.id());

    // a replay with still nowhere to go says so
    var early = rest.withBasicAuth("coordinator", "coordinator").postForEntity("/api/inbox/{id}/replay", null, Map.class, followUpId);
    assertThat(early.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);

    // discarding needs a reason
    assertThat(rest.withBasicAuth("coordinator", "coordinator").postForEntity("/api/inbox/{id}/discard", Map.of(), Map.class, withdrawalId)
        .getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    var discarded = rest.withBasicAuth("coordinator", "coordinator")
        .postForEntity("/api/inbox/{id}/discard", Map.of("reason", "sent to the wrong hospital"), Map.class, withdrawalId);
    assertThat(discarded.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(discarded.getBody().get("status")).isEqualTo("DISCARDED");

    // once the patient is enrolled, the kept follow-up is matched (by the poller or a replay)
    Hospital.send(Topics.PATHWAY_ENROLMENTS, new EnrolmentRequested("REF-" + patient, patient,
        new SteroidTreatment(SteroidKind.ORAL_CORTICOSTEROID, LocalDate.now().minusDays(30), null, null), PainPattern.AXIAL, 6, false,
        List.of(ImagingFinding.FACET_ARTHROPATHY), 1, List.of(), LocalDate.now().minusDays(90)));
    await().atMost(Duration.ofSeconds(30)).until(() -> "MATCHED".equals(
        jdbc.queryForObject("select status from pathway.inbox where id = ?", String.class, followUpId)));

    assertThat(jdbc.queryForList("select action from pathway.inbox_audit where inbox_id in (?, ?) order by id", String.class,
        followUpId, withdrawalId)).containsExactly("REPLAY", "DISCARD");
    assertThat(jdbc.queryForObject("select actor from pathway.inbox_audit where inbox_id = ? and action = 'DISCARD'", String.class,
        withdrawalId)).isEqualTo("coordinator");
  }

  @Test
  void shouldRefuseTheInboxToAnonymousCallersAndClinicians() {
    assertThat(rest.getForEntity("/api/inbox", String.class).getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(rest.withBasicAuth("clinician", "clinician").getForEntity("/api/inbox", String.class).getStatusCode())
        .isEqualTo(HttpStatus.FORBIDDEN);
  }
}
