package io.pathway.model.events;

import java.time.Instant;

/**
 * {@code pathway.followup.recorded.v1}: the response to the steroid treatment at follow-up.
 *
 * @param treatment the steroid treatment assessed ({@code ORAL_CORTICOSTEROID} or {@code EPIDURAL_STEROID_INJECTION})
 * @param sustained whether the relief has lasted; absent means sustained
 */
public record FollowUpRecorded(String patientRef, String treatment, int painReductionPercent, Boolean sustained, Instant assessedAt)
    implements PathwayEvent {}
