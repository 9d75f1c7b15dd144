package io.pathway.model.events;

import io.pathway.model.codes.SteroidKind;
import java.time.LocalDate;

/** The steroid treatment that failed (or is being assessed). */
public record SteroidTreatment(SteroidKind kind, LocalDate date, Boolean imageGuided, Boolean contrastSpreadConfirmed) {}
