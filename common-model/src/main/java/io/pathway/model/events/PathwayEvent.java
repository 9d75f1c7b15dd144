package io.pathway.model.events;

/** Marker of the payload types of the event contract; every event names the patient it concerns. */
public sealed interface PathwayEvent permits EnrolmentRequested, WithdrawalRequested, DiagnosticResult, RedFlagRaised,
    FollowUpRecorded, TreatmentOutcome, OrderPlaced, OrderCancelled, ReferralIssued, ReferralCancelled, AlertRaised, StageChanged, PathwayCompleted,
    NotificationDelivered, NotificationFailed {

  /** The pseudonymous patient reference; also the Kafka record key. */
  String patientRef();
}
