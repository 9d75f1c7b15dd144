package io.pathway.model.events;

/** {@code pathway.withdrawal.requested.v1}: the patient is withdrawn or transferred out. */
public record WithdrawalRequested(String referralId, String patientRef, String reason) implements PathwayEvent {}
