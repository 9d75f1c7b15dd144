package io.pathway.model.events;

import io.pathway.model.codes.ImagingFinding;
import io.pathway.model.codes.LesionSide;
import io.pathway.model.codes.PainPattern;
import io.pathway.model.codes.RedFlag;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** {@code pathway.enrolment.requested.v1}: enrol a patient episode after steroid treatment. */
public record EnrolmentRequested(
    String referralId,
    String patientRef,
    SteroidTreatment steroidTreatment,
    PainPattern painPattern,
    int baselinePainScore,
    boolean priorSpineSurgery,
    List<ImagingFinding> imagingFindings,
    int neuropathicScore,
    List<RedFlag> redFlags,
    LocalDate symptomOnsetDate,
    Instant redFlagsObservedAt,
    String imagingLevel,
    LesionSide imagingSide) implements PathwayEvent {

  public EnrolmentRequested {
    imagingFindings = imagingFindings == null ? List.of() : List.copyOf(imagingFindings);
    redFlags = redFlags == null ? List.of() : List.copyOf(redFlags);
  }

  /** An enrolment whose imaging names no level or side of its lesion. */
  public EnrolmentRequested(String referralId, String patientRef, SteroidTreatment steroidTreatment, PainPattern painPattern,
      int baselinePainScore, boolean priorSpineSurgery, List<ImagingFinding> imagingFindings, int neuropathicScore,
      List<RedFlag> redFlags, LocalDate symptomOnsetDate, Instant redFlagsObservedAt) {
    this(referralId, patientRef, steroidTreatment, painPattern, baselinePainScore, priorSpineSurgery, imagingFindings,
        neuropathicScore, redFlags, symptomOnsetDate, redFlagsObservedAt, null, null);
  }

  /** The same enrolment with the level and side of the lesion its imaging shows. */
  public EnrolmentRequested withImagingLesion(String level, LesionSide side) {
    return new EnrolmentRequested(referralId, patientRef, steroidTreatment, painPattern, baselinePainScore, priorSpineSurgery,
        imagingFindings, neuropathicScore, redFlags, symptomOnsetDate, redFlagsObservedAt, level, side);
  }

  /** An enrolment without an observation time for its red flags (the receiver falls back to {@code ce_time}). */
  public EnrolmentRequested(String referralId, String patientRef, SteroidTreatment steroidTreatment, PainPattern painPattern,
      int baselinePainScore, boolean priorSpineSurgery, List<ImagingFinding> imagingFindings, int neuropathicScore,
      List<RedFlag> redFlags, LocalDate symptomOnsetDate) {
    this(referralId, patientRef, steroidTreatment, painPattern, baselinePainScore, priorSpineSurgery, imagingFindings,
        neuropathicScore, redFlags, symptomOnsetDate, null, null, null);
  }
}
