package io.pathway.model.events;

import io.pathway.model.codes.ReferralCancelReason;
import io.pathway.model.codes.Urgency;
import java.time.Instant;

/**
 * {@code pathway.referral.cancelled.v1}: the platform withdraws a surgical referral it issued with
 * {@code pathway.referral.issued.v1}; the surgeon's office stops acting on it (no booking, no planned surgery).
 *
 * @param referralId the {@code referralId} the cancelled referral carried
 * @param urgency the urgency of the cancelled referral, as it carried it (the episode's referrals share its referralId)
 * @param supersededBy the urgency of the referral that takes its place (a red flag's emergency or urgent referral), or
 *     {@code null} when nothing does (a withdrawal)
 */
public record ReferralCancelled(String referralId, String pathwayId, String patientRef, Urgency urgency,
    ReferralCancelReason reason, Urgency supersededBy, Instant cancelledAt) implements PathwayEvent, PathwayScoped {}
