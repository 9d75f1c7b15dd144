package io.pathway.service.platform;

/** What became of an inbound event. */
public record Applied(Outcome outcome, String pathwayId) {

  public enum Outcome {
    /** Delivered to its pathway. */
    APPLIED,
    /** Its pathway or step is not there yet: kept in the inbox. */
    NOT_YET,
    /** Nothing to do (a second enrolment of the same referral, a withdrawal of a finished pathway). */
    NO_CHANGE,
    /** No pathway could take it, so an alert was raised instead (red flags). */
    ALERTED,
    /** Kept for a person and never applied by itself (e.g. dated in the future): an alert says why. */
    HELD
  }

  public static Applied applied(String pathwayId) {
    return new Applied(Outcome.APPLIED, pathwayId);
  }

  public static Applied notYet(String pathwayId) {
    return new Applied(Outcome.NOT_YET, pathwayId);
  }

  public static Applied noChange(String pathwayId) {
    return new Applied(Outcome.NO_CHANGE, pathwayId);
  }

  public static Applied held(String pathwayId) {
    return new Applied(Outcome.HELD, pathwayId);
  }

  public static Applied alerted(String pathwayId) {
    return new Applied(Outcome.ALERTED, pathwayId);
  }
}

