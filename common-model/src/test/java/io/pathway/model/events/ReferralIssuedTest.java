package io.pathway.model.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathway.model.codes.ReferralReason;
import io.pathway.model.codes.Urgency;
import io.pathway.model.envelope.EventWriter;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ReferralIssuedTest {

  @Test
  void shouldDropBlankProcedureAndEvidenceSoThatTheEventStaysValid() {
    // given: what a process may hand over when a decision left a field empty
    ReferralIssued referral = new ReferralIssued("REF-test-1", "PW-test-1", "PSN-test-1", Urgency.ELECTIVE,
        ReferralReason.FAILED_CONSERVATIVE_CARE, " ", Arrays.asList("Diagnosis FACET_JOINT_PAIN", "", null), Instant.parse("2026-11-24T10:00:00Z"));

    // then
    assertThat(referral.suggestedProcedure()).isNull();
    assertThat(referral.evidence()).containsExactly("Diagnosis FACET_JOINT_PAIN");
    assertThat(EventWriter.create().writeData(referral)).isNotEmpty();
  }
}
