package io.pathway.model.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathway.model.EventTypes;
import io.pathway.model.Fixtures;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventEnvelopeTest {

  @Test
  void shouldFillIdTypeTimeAndUsePatientRefAsSubjectWithoutPathway() {
    // when
    EventEnvelope envelope = EventEnvelope.of(Fixtures.HOSPITAL, Fixtures.enrolment());

    // then
    assertThat(UUID.fromString(envelope.id())).isNotNull();
    assertThat(envelope.type()).isEqualTo(EventTypes.ENROLMENT_REQUESTED);
    assertThat(envelope.source()).isEqualTo(Fixtures.HOSPITAL);
    assertThat(envelope.subject()).isEqualTo("PSN-test-0001");
    assertThat(envelope.time().getOffset()).isEqualTo(ZoneOffset.UTC);
    assertThat(Duration.between(envelope.time(), OffsetDateTime.now(ZoneOffset.UTC)).abs()).isLessThan(Duration.ofMinutes(1));
    assertThat(envelope.key()).isEqualTo("PSN-test-0001");
  }

  @Test
  void shouldUsePathwayIdAsSubjectWhenTheEventHasOne() {
    assertThat(EventEnvelope.of(Fixtures.PLATFORM, Fixtures.alert("PW-test-0001")).subject()).isEqualTo("PW-test-0001");
  }

  @Test
  void shouldFallBackToPatientRefWhenThePathwayIdIsAbsent() {
    EventEnvelope envelope = EventEnvelope.of(Fixtures.PLATFORM, Fixtures.alert(null));

    assertThat(envelope.subject()).isEqualTo("PSN-test-0003");
    assertThat(envelope.key()).isEqualTo("PSN-test-0003");
  }

  @Test
  void shouldGiveEveryEnvelopeItsOwnId() {
    assertThat(EventEnvelope.of(Fixtures.HOSPITAL, Fixtures.redFlag()).id())
        .isNotEqualTo(EventEnvelope.of(Fixtures.HOSPITAL, Fixtures.redFlag()).id());
  }
}
