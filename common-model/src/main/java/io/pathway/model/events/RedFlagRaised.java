package io.pathway.model.events;

import io.pathway.model.codes.RedFlag;
import java.time.Instant;

/** {@code pathway.redflag.raised.v1}: a red flag observed in a patient, pathway or not. */
public record RedFlagRaised(String patientRef, RedFlag flag, Instant observedAt) implements PathwayEvent {}
