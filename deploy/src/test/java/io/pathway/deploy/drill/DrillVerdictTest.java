package io.pathway.deploy.drill;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathway.deploy.drill.DrillVerdict.Observations;
import io.pathway.deploy.drill.DrillVerdict.Verdict;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The drill's PASS and FAIL on given observations, without a broker, a database or a service. */
class DrillVerdictTest {

  /** A clean run: 300 events sent, all applied and matched, nothing lost, nothing twice, no DLT. */
  private static Observations clean() {
    return new Observations(300, 300, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of(), 0, 0, 0, 0, 0, 0);
  }

  private static Observations with(Observations o, String field, long value) {
    return new Observations(
        field.equals("sent") ? value : o.sentEvents(),
        field.equals("applied") ? value : o.applied(),
        field.equals("keptNotMatched") ? value : o.keptNotMatched(),
        field.equals("twoPathways") ? value : o.patientsWithTwoPathways(),
        field.equals("missingReferrals") ? value : o.missingReferrals(),
        field.equals("twoReferrals") ? value : o.twoReferrals(),
        field.equals("missingAlerts") ? value : o.missingAlerts(),
        field.equals("twoAlerts") ? value : o.twoAlerts(),
        field.equals("notDelivered") ? value : o.notDelivered(),
        field.equals("outboundNotTaken") ? value : o.outboundNotTaken(),
        field.equals("failedUnexpectedly") ? value : o.failedUnexpectedly(),
        field.equals("duplicatesDelivered") ? value : o.duplicatesDelivered(),
        field.equals("late") ? value : o.emergencyReferralsLate(),
        o.deadLetters(), o.deadLettersWithoutReason(), o.badRecordsSent(), o.failForGood(), o.failedAsIntended(),
        o.failedEvents(), o.escalationAlerts());
  }

  @Test
  void shouldPassACleanRun() {
    Verdict verdict = DrillVerdict.of("R1", clean());

    assertThat(verdict.pass()).isTrue();
    assertThat(verdict.line()).isEqualTo("PASS");
    assertThat(verdict.lost()).isZero();
  }

  @Test
  void shouldFailWhenAnEventIsKeptInTheInboxAndNeverMatchedThoughEveryEventHasAProcessedRow() {
    // R7's case: a broken inbox matcher claims every event (so all are 'applied') but matches none of the kept ones
    Verdict verdict = DrillVerdict.of("R7", with(clean(), "keptNotMatched", 12));

    assertThat(verdict.pass()).isFalse();
    assertThat(verdict.lost()).isZero();
    assertThat(verdict.problems()).containsExactly("12 kept in the inbox and never matched");
  }

  @Test
  void shouldCountEveryKindOfLossTogether() {
    Observations o = with(with(with(with(with(with(clean(), "applied", 297), "missingReferrals", 1), "missingAlerts", 1),
        "notDelivered", 2), "outboundNotTaken", 1), "failedUnexpectedly", 1);

    Verdict verdict = DrillVerdict.of("R2", o);

    assertThat(verdict.lost()).isEqualTo(3 + 1 + 1 + 2 + 1 + 1);
    assertThat(verdict.line()).isEqualTo("FAIL: 9 lost");
  }

  @Test
  void shouldFailOnAnythingAppliedOrDeliveredTwice() {
    assertThat(DrillVerdict.of("R6", with(clean(), "twoPathways", 1)).problems()).containsExactly("1 applied twice");
    assertThat(DrillVerdict.of("R6", with(clean(), "twoReferrals", 2)).problems()).containsExactly("2 applied twice");
    assertThat(DrillVerdict.of("R6", with(clean(), "twoAlerts", 1)).appliedTwice()).isEqualTo(1);
    assertThat(DrillVerdict.of("R6", with(clean(), "duplicatesDelivered", 4)).problems()).containsExactly("4 duplicates delivered");
  }

  @Test
  void shouldHoldOnlyR1ToThirtySecondsForAnEmergencyReferral() {
    assertThat(DrillVerdict.of("R1", with(clean(), "late", 2)).problems()).containsExactly("2 emergency referrals later than 30 s");
    assertThat(DrillVerdict.of("R2", with(clean(), "late", 2)).pass()).isTrue();
  }

  @Test
  void shouldWantExactlyR4sBadRecordsInTheDeadLetterTopicsEachWithItsReason() {
    Observations r4 = new Observations(300, 300, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        Map.of("pathway.enrolments.DLT", 10, "clinical.observations.DLT", 20), 0, 30, 0, 0, 0, 0);
    assertThat(DrillVerdict.of("R4", r4).pass()).isTrue();

    Observations oneMissing = new Observations(300, 300, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        Map.of("pathway.enrolments.DLT", 10, "clinical.observations.DLT", 19), 0, 30, 0, 0, 0, 0);
    assertThat(DrillVerdict.of("R4", oneMissing).problems()).containsExactly("29 DLT records for 30 bad ones (0 without reason)");

    Observations noReason = new Observations(300, 300, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        Map.of("pathway.enrolments.DLT", 30), 1, 30, 0, 0, 0, 0);
    assertThat(DrillVerdict.of("R4", noReason).pass()).isFalse();

    // in any other drill, one record in a DLT fails it
    Observations stray = new Observations(300, 300, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of("pathway.alerts.DLT", 1), 0, 0, 0, 0, 0, 0);
    assertThat(DrillVerdict.of("R1", stray).problems()).containsExactly("records in a DLT {pathway.alerts.DLT=1}");
  }

  @Test
  void shouldWantEveryFinalFailureOfR5ReportedAsAFailedEventAndAnEscalationAlert() {
    Observations reported = new Observations(305, 305, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of(), 0, 0, 5, 5, 5, 5);
    assertThat(DrillVerdict.of("R5", reported).pass()).isTrue();

    Observations noAlert = new Observations(305, 305, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of(), 0, 0, 5, 5, 5, 4);
    assertThat(DrillVerdict.of("R5", noAlert).problems())
        .containsExactly("final failure not reported (5 failed, 5 failed events, 4 escalation alerts for 5)");

    Observations noEvent = new Observations(305, 305, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of(), 0, 0, 5, 5, 0, 5);
    assertThat(DrillVerdict.of("R5", noEvent).pass()).isFalse();
  }

  @Test
  void shouldNameEveryProblemOfARunThatFailsSeveralWays() {
    Observations o = with(with(with(clean(), "applied", 299), "keptNotMatched", 1), "duplicatesDelivered", 1);

    assertThat(DrillVerdict.of("R1", o).line())
        .isEqualTo("FAIL: 1 lost, 1 kept in the inbox and never matched, 1 duplicates delivered");
  }
}
