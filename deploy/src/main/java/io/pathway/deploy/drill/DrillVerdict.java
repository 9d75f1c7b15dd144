package io.pathway.deploy.drill;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A drill's PASS or FAIL from what it observed, and nothing else: no broker, no database, no clock. PASS needs every
 * sent event applied and matched (none kept in the inbox unmatched), every red flag's emergency referral and
 * critical alert once, every notification delivered once, nothing in a dead-letter topic but R4's bad records (each
 * with its reason), R1's referrals within 30 s, and R5's final failures reported.
 */
final class DrillVerdict {

  /** R1's bar for a red flag's emergency referral, in milliseconds. */
  static final long EMERGENCY_REFERRAL_BAR_MS = 30_000;

  /**
   * What a drill counted at its end.
   *
   * @param sentEvents distinct events sent
   * @param applied of those, the ones with a {@code processed_event} row (whatever its outcome)
   * @param keptNotMatched of those, the ones still kept in the inbox ({@code PENDING} or {@code HELD}), never matched
   * @param patientsWithTwoPathways patients with more than one pathway
   * @param missingReferrals red-flag patients without an emergency referral
   * @param twoReferrals red-flag patients with more than one
   * @param missingAlerts red-flag patients without a critical red-flag alert
   * @param twoAlerts red-flag patients with more than one
   * @param notDelivered notifications marked delivered that no receiver got, or still pending
   * @param outboundNotTaken referrals and alerts published that notification-service never took
   * @param failedUnexpectedly notifications failed for good that were not meant to
   * @param duplicatesDelivered notifications a receiver got more than once (counted beyond the first)
   * @param emergencyReferralsLate emergency referrals later than {@link #EMERGENCY_REFERRAL_BAR_MS} after their red flag
   * @param deadLetters records seen on each dead-letter topic
   * @param deadLettersWithoutReason dead-letter records without a reason header
   * @param badRecordsSent records sent that break the contract (R4)
   * @param failForGood notifications meant to fail for good (R5's last red flags)
   * @param failedAsIntended of the notifications failed for good, the ones meant to
   * @param failedEvents {@code notification.failed.v1} events published
   * @param escalationAlerts ESCALATION alerts published
   */
  record Observations(long sentEvents, long applied, long keptNotMatched, long patientsWithTwoPathways, long missingReferrals,
      long twoReferrals, long missingAlerts, long twoAlerts, long notDelivered, long outboundNotTaken, long failedUnexpectedly,
      long duplicatesDelivered, long emergencyReferralsLate, Map<String, Integer> deadLetters, long deadLettersWithoutReason,
      long badRecordsSent, int failForGood, long failedAsIntended, long failedEvents, long escalationAlerts) {

    Observations {
      deadLetters = Map.copyOf(deadLetters);
    }
  }

  /** PASS when {@code problems} is empty. */
  record Verdict(List<String> problems, long lost, long appliedTwice) {
    Verdict {
      problems = List.copyOf(problems);
    }

    boolean pass() {
      return problems.isEmpty();
    }

    String line() {
      return pass() ? "PASS" : "FAIL: " + String.join(", ", problems);
    }
  }

  private DrillVerdict() {}

  static Verdict of(String drill, Observations o) {
    long lost = (o.sentEvents() - o.applied()) + o.missingReferrals() + o.missingAlerts() + o.notDelivered()
        + o.outboundNotTaken() + o.failedUnexpectedly();
    long appliedTwice = o.patientsWithTwoPathways() + o.twoReferrals() + o.twoAlerts();
    List<String> problems = new ArrayList<>();
    if (lost > 0) {
      problems.add(lost + " lost");
    }
    if (appliedTwice > 0) {
      problems.add(appliedTwice + " applied twice");
    }
    if (o.keptNotMatched() > 0) {
      problems.add(o.keptNotMatched() + " kept in the inbox and never matched");
    }
    if (o.duplicatesDelivered() > 0) {
      problems.add(o.duplicatesDelivered() + " duplicates delivered");
    }
    if (drill.equals("R1") && o.emergencyReferralsLate() > 0) {
      problems.add(o.emergencyReferralsLate() + " emergency referrals later than " + EMERGENCY_REFERRAL_BAR_MS / 1000 + " s");
    }
    long deadLetters = o.deadLetters().values().stream().mapToLong(Integer::longValue).sum();
    if (drill.equals("R4")) {
      if (deadLetters != o.badRecordsSent() || o.deadLettersWithoutReason() > 0) {
        problems.add(deadLetters + " DLT records for " + o.badRecordsSent() + " bad ones (" + o.deadLettersWithoutReason()
            + " without reason)");
      }
    } else if (deadLetters > 0) {
      problems.add("records in a DLT " + new java.util.TreeMap<>(o.deadLetters()));
    }
    int meant = o.failForGood();
    if (meant > 0 && (o.failedAsIntended() < meant || o.failedEvents() < meant || o.escalationAlerts() < meant)) {
      problems.add("final failure not reported (" + o.failedAsIntended() + " failed, " + o.failedEvents() + " failed events, "
          + o.escalationAlerts() + " escalation alerts for " + meant + ")");
    }
    return new Verdict(problems, lost, appliedTwice);
  }
}
