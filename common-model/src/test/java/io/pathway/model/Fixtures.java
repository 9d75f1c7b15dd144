package io.pathway.model;

import io.pathway.model.codes.RedFlag;
import io.pathway.model.codes.Severity;
import io.pathway.model.codes.AlertType;
import io.pathway.model.codes.ImagingFinding;
import io.pathway.model.codes.PainPattern;
import io.pathway.model.codes.SteroidKind;
import io.pathway.model.events.AlertRaised;
import io.pathway.model.events.EnrolmentRequested;
import io.pathway.model.events.RedFlagRaised;
import io.pathway.model.events.SteroidTreatment;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** Synthetic events for tests: pseudonymous references and codes only. */
public final class Fixtures {

  public static final URI HOSPITAL = URI.create("urn:hospital:ehr-test");
  public static final URI PLATFORM = URI.create("urn:pathway:pathway-service");

  private Fixtures() {}

  public static EnrolmentRequested enrolment() {
    return new EnrolmentRequested("REF-TEST-0001", "PSN-test-0001",
        new SteroidTreatment(SteroidKind.EPIDURAL_STEROID_INJECTION, LocalDate.of(2026, 10, 2), true, true),
        PainPattern.RADICULAR, 8, false, List.of(ImagingFinding.LARGE_DISC_HERNIATION), 5, List.of(),
        LocalDate.of(2026, 7, 15));
  }

  public static RedFlagRaised redFlag() {
    return new RedFlagRaised("PSN-test-0002", RedFlag.SADDLE_ANESTHESIA, Instant.parse("2026-11-24T22:40:00Z"));
  }

  public static AlertRaised alert(String pathwayId) {
    return new AlertRaised("ALR-test-0001", pathwayId, "PSN-test-0003", Severity.CRITICAL, AlertType.RED_FLAG,
        "Red flag SADDLE_ANESTHESIA", Instant.parse("2026-11-24T22:40:01Z"));
  }
}
