package io.pathway.model.events;

import io.pathway.model.codes.Stage;
import java.time.Instant;

/** {@code pathway.stage.changed.v1}: the pathway entered a stage. */
public record StageChanged(String pathwayId, String patientRef, Stage stage, Instant at) implements PathwayEvent, PathwayScoped {}
