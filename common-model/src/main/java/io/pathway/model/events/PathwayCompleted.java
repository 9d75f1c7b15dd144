package io.pathway.model.events;

import io.pathway.model.codes.PathwayOutcome;
import java.time.Instant;

/** {@code pathway.completed.v1}: the pathway ended with an outcome. */
public record PathwayCompleted(String pathwayId, String patientRef, PathwayOutcome outcome, Instant at) implements PathwayEvent, PathwayScoped {}
