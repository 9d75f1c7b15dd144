package io.pathway.service.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathway.model.codes.DiagnosticTest;
import io.pathway.model.codes.TestOutcome;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.model.envelope.EventWriter;
import io.pathway.model.events.DiagnosticResult;
import io.pathway.model.events.FollowUpRecorded;
import io.pathway.service.PathwayServiceApplication;
import io.pathway.service.records.PathwayRegistry;
import io.pathway.service.records.PathwayRegistry.OrderRef;
import java.net.URI;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.jdbc.AutoConfigureTestDatabase;
import org.springframework.boot.test.autoconfigure.jdbc.JdbcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The inbox and the pathway registry as stores, on the service's Flyway schema in the real PostgreSQL the other tests
 * use (test-support), without the engine or Kafka. Each test runs in a transaction that is rolled back.
 */
@JdbcTest(properties = "spring.config.name=" + PathwayServiceApplication.CONFIG_NAME)
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Import({Inbox.class, PathwayRegistry.class, InboxStoreTest.Writer.class})
class InboxStoreTest {

  private static final URI SOURCE = URI.create("urn:pathway:test-hospital");

  @TestConfiguration
  static class Writer {
    @Bean
    EventWriter eventWriter() {
      return EventWriter.create();
    }
  }

  @Autowired Inbox inbox;
  @Autowired PathwayRegistry registry;
  @Autowired JdbcTemplate jdbc;
  String patient;

  @BeforeEach
  void newPatient() {
    patient = "PT-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private EventEnvelope followUp() {
    return EventEnvelope.of(SOURCE, new FollowUpRecorded(patient, "EPIDURAL_STEROID_INJECTION", 70, true, Instant.now()));
  }

  private String pathwayOf(EventEnvelope e) {
    return jdbc.queryForObject("select pathway_id from pathway.inbox where ce_id = ?", String.class, e.id());
  }

  private long idOf(EventEnvelope e) {
    return jdbc.queryForObject("select id from pathway.inbox where ce_id = ?", Long.class, e.id());
  }

  @Test
  void shouldKeepAnEventOnceWholeAndGiveItBackAsItCame() {
    EventEnvelope event = followUp();

    inbox.keep(event, "clinical.observations");
    inbox.keep(event, "clinical.observations"); // redelivered: same source and id

    assertThat(jdbc.queryForObject("select count(*) from pathway.inbox where ce_id = ?", Integer.class, event.id())).isOne();
    long id = idOf(event);
    assertThat(inbox.find(id)).get().satisfies(entry -> {
      assertThat(entry.status()).isEqualTo(Inbox.Status.PENDING);
      assertThat(entry.patientRef()).isEqualTo(patient);
      assertThat(entry.topic()).isEqualTo("clinical.observations");
    });
    assertThat(inbox.pendingIds(10_000)).contains(id);
    EventEnvelope back = inbox.lockPending(id).orElseThrow();
    assertThat(back.id()).isEqualTo(event.id());
    assertThat(back.type()).isEqualTo(event.type());
    assertThat(back.source()).isEqualTo(SOURCE);
    assertThat(back.data()).isEqualTo(event.data());
  }

  @Test
  void shouldTieAnEventToThePatientsActivePathwayAndExpireItWhenThePathwayEnds() {
    registry.registerPathway("PW-" + patient, "REF-" + patient, patient);
    EventEnvelope event = followUp();
    inbox.keep(event, "clinical.observations");
    long id = idOf(event);
    assertThat(pathwayOf(event)).isEqualTo("PW-" + patient);

    assertThat(inbox.expireIfEnded(id)).as("its pathway still runs").isFalse();
    registry.ended("PW-" + patient, "WITHDRAWN");

    assertThat(inbox.expireIfEnded(id)).isTrue();
    assertThat(inbox.find(id).orElseThrow().status()).isEqualTo(Inbox.Status.EXPIRED);
    assertThat(inbox.lockPending(id)).isEmpty();
  }

  @Test
  void shouldNeverExpireAnEventThatCameBeforeAnyPathway() {
    EventEnvelope early = followUp();
    inbox.keep(early, "clinical.observations");
    assertThat(pathwayOf(early)).isNull();

    registry.registerPathway("PW-" + patient, "REF-" + patient, patient);
    registry.ended("PW-" + patient, "COMPLETED");
    inbox.expireEnded();

    assertThat(inbox.find(idOf(early)).orElseThrow().status()).isEqualTo(Inbox.Status.PENDING);
  }

  @Test
  void shouldTieAResultToThePathwayOfItsOrderNotToThePatientsActiveOne() {
    registry.registerPathway("PW-OLD-" + patient, "REF-1-" + patient, patient);
    registry.registerOrder(new OrderRef("ORD-" + patient, "PW-OLD-" + patient, "PI-1", patient, "DIAGNOSTIC", "CONTRAST_MRI"));
    registry.ended("PW-OLD-" + patient, "COMPLETED");
    registry.registerPathway("PW-NEW-" + patient, "REF-2-" + patient, patient);

    EventEnvelope result = EventEnvelope.of(SOURCE, new DiagnosticResult("ORD-" + patient, patient, DiagnosticTest.CONTRAST_MRI,
        TestOutcome.NEGATIVE, null, Instant.now()));
    inbox.keep(result, "clinical.observations");

    assertThat(pathwayOf(result)).isEqualTo("PW-OLD-" + patient);
  }

  @Test
  void shouldHoldAnEventForAPersonOutsideThePendingQueue() {
    EventEnvelope ahead = followUp();

    inbox.hold(ahead, "clinical.observations", "CLOCK_AHEAD");

    long id = idOf(ahead);
    assertThat(inbox.find(id).orElseThrow()).satisfies(entry -> {
      assertThat(entry.status()).isEqualTo(Inbox.Status.HELD);
      assertThat(entry.alertedAt()).as("a person is told at once").isNotNull();
    });
    assertThat(inbox.pendingIds(10_000)).doesNotContain(id);
    assertThat(inbox.lockPending(id)).isEmpty();
  }

  @Test
  void shouldFindThePatientsNewestActivePathwayOnlyAmongPathwaysNotEscalations() {
    registry.registerStandAloneEscalation("ESC-" + patient, "REF-E-" + patient, patient);
    assertThat(registry.activeFor(patient)).isEmpty();

    registry.registerPathway("PW-" + patient, "REF-" + patient, patient);
    registry.registerPathway("PW-" + patient, "REF-other", patient); // the same pathway again: ignored

    assertThat(registry.activeFor(patient)).get().satisfies(p -> {
      assertThat(p.pathwayId()).isEqualTo("PW-" + patient);
      assertThat(p.referralId()).isEqualTo("REF-" + patient);
      assertThat(p.active()).isTrue();
    });
    registry.ended("PW-" + patient, "COMPLETED");
    registry.ended("PW-" + patient, "WITHDRAWN"); // an end is kept once
    assertThat(registry.activeFor(patient)).isEmpty();
    assertThat(registry.lastFor(patient).orElseThrow().outcome()).isEqualTo("COMPLETED");
    assertThat(registry.allFor(patient)).hasSize(2);
  }
}
