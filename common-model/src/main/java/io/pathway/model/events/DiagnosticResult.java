package io.pathway.model.events;

import io.pathway.model.codes.DiagnosticTest;
import io.pathway.model.codes.TestOutcome;
import java.time.Instant;

/** {@code pathway.diagnostic.result.v1}: the result of a test the platform ordered. */
public record DiagnosticResult(
    String orderId, String patientRef, DiagnosticTest test, TestOutcome outcome, Findings findings, Instant performedAt)
    implements PathwayEvent {

  public DiagnosticResult {
    findings = findings == null ? Findings.none() : findings;
  }
}
