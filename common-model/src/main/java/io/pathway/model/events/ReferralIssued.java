package io.pathway.model.events;

import io.pathway.model.codes.ReferralReason;
import io.pathway.model.codes.Urgency;
import java.time.Instant;
import java.util.List;

/**
 * {@code pathway.referral.issued.v1}: a surgical referral. {@code referralId} is the episode's referral id.
 * A blank {@code suggestedProcedure} becomes {@code null} and blank evidence entries are dropped (the schema
 * refuses empty strings).
 */
public record ReferralIssued(
    String referralId, String pathwayId, String patientRef, Urgency urgency, ReferralReason reason,
    String suggestedProcedure, List<String> evidence, Instant issuedAt) implements PathwayEvent, PathwayScoped {

  public ReferralIssued {
    evidence = evidence == null ? List.of() : evidence.stream().filter(e -> e != null && !e.isBlank()).toList();
    suggestedProcedure = suggestedProcedure == null || suggestedProcedure.isBlank() ? null : suggestedProcedure;
  }
}
