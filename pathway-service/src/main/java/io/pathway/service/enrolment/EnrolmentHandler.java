package io.pathway.service.enrolment;

import io.pathway.bpmn.PathwayModel.Vars;
import io.pathway.model.EventTypes;
import io.pathway.model.codes.AlertType;
import io.pathway.model.codes.Severity;
import io.pathway.model.events.EnrolmentRequested;
import io.pathway.model.events.WithdrawalRequested;
import io.pathway.service.records.Alerts;
import io.pathway.service.engine.PathwayEngine;
import io.pathway.service.platform.Applied;
import io.pathway.service.platform.HospitalClock;
import io.pathway.service.redflag.Escalations;
import io.pathway.service.redflag.RedFlagHandler;
import io.pathway.service.records.PathwayRegistry;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Enrolments start a pathway; withdrawals end one cleanly. A patient has at most one active pathway
 * (docs/clinical-pathway.md, "One pathway per patient"), and every red flag an enrolment lists is triaged,
 * whatever else happens to it:
 * <ul>
 *   <li>a referral already known (re-sent, or amended) starts nothing new; its red flags go to the patient's
 *       escalation (joining or upgrading it) or start one;</li>
 *   <li>a new referral for a patient whose pathway is active joins that pathway: its red flags are triaged
 *       and a {@code SECOND_REFERRAL} alert tells a coordinator to review its data;</li>
 *   <li>otherwise the pathway starts, its red flags with their observation time ({@code redFlagsObservedAt},
 *       else {@code ce_time}, never later than the receipt).</li>
 * </ul>
 * The record's patient was checked against the referral's before (inbound.PatientIdentities).
 */
@Component
public class EnrolmentHandler {

  private final PathwayEngine engine;
  private final PathwayRegistry registry;
  private final Escalations escalations;
  private final RedFlagHandler redFlags;
  private final HospitalClock clock;
  private final Alerts alerts;

  EnrolmentHandler(PathwayEngine engine, PathwayRegistry registry, Escalations escalations, RedFlagHandler redFlags,
      HospitalClock clock, Alerts alerts) {
    this.engine = engine;
    this.registry = registry;
    this.escalations = escalations;
    this.redFlags = redFlags;
    this.clock = clock;
    this.alerts = alerts;
  }

  /**
   * Applies an enrolment received at {@code receivedAt}; {@code eventTime} is its {@code ce_time} (may be null).
   * Red flags reported for the patient before (on another topic) are carried into a new pathway by the model's
   * first step ({@code RedFlagCarryOver}), for enrolments by event and by Tasklist start form alike.
   */
  public Applied enrol(EnrolmentRequested e, Instant eventTime, Instant receivedAt) {
    // serialised with the patient's red flags and other enrolments (they arrive on other topics and partitions)
    escalations.lockPatient(e.patientRef());
    Instant reportedAt = e.redFlagsObservedAt() != null ? e.redFlagsObservedAt() : eventTime;
    var existing = registry.byReferral(e.referralId());
    if (existing.isPresent()) {
      if (e.redFlags().isEmpty()) {
        return Applied.noChange(existing.get().pathwayId());
      }
      Applied raised = redFlags.raise(e.patientRef(), e.redFlags(), reportedAt, receivedAt);
      return Applied.applied(existing.get().active() ? existing.get().pathwayId() : raised.pathwayId());
    }
    var active = registry.activeFor(e.patientRef());
    if (active.isPresent()) {
      String pathwayId = active.get().pathwayId();
      alerts.raise(pathwayId, e.patientRef(), Severity.MEDIUM, AlertType.SECOND_REFERRAL,
          "Referral " + e.referralId() + " came for a patient whose pathway (referral " + active.get().referralId()
              + ") is active: it joined that pathway instead of starting a second one"
              + (e.redFlags().isEmpty() ? "" : ", and its red flags " + join(e.redFlags()) + " were triaged")
              + ". Review its enrolment data against the pathway's.");
      if (!e.redFlags().isEmpty()) {
        redFlags.raise(e.patientRef(), e.redFlags(), reportedAt, receivedAt);
      }
      return Applied.applied(pathwayId);
    }
    Map<String, Object> variables = startVariables(e);
    String clockNote = null;
    if (!e.redFlags().isEmpty()) {
      variables.put(Vars.RED_FLAG_OBSERVED_AT, clock.trusted(reportedAt, receivedAt).toString());
      if (clock.ahead(reportedAt, receivedAt)) {
        clockNote = HospitalClock.aheadNote("Reported observation time", reportedAt, receivedAt) + "; the deadline counts from the receipt";
        variables.put(Vars.RED_FLAG_CLOCK_NOTE, clockNote);
      }
    }
    // the model's first step (pathwayInitialiser) registers the pathway, in this same transaction
    String pathwayId = engine.start(e.referralId(), variables);
    if (clockNote != null) {
      alerts.raise(pathwayId, e.patientRef(), Severity.MEDIUM, AlertType.CLOCK_AHEAD,
          "Red flag(s) " + join(e.redFlags()) + " at enrolment: " + clockNote + ". Check the sending system's clock.");
    }
    return Applied.applied(pathwayId);
  }

  public Applied withdraw(WithdrawalRequested e) {
    var pathway = registry.byReferral(e.referralId());
    if (pathway.isEmpty()) {
      return Applied.notYet(null);
    }
    if (!pathway.get().active()) {
      return Applied.noChange(pathway.get().pathwayId());
    }
    Map<String, Object> vars = new HashMap<>();
    vars.put(Vars.WITHDRAWAL_REASON, e.reason());
    boolean delivered = engine.deliver(EventTypes.WITHDRAWAL_REQUESTED, pathway.get().pathwayId(), vars);
    return delivered ? Applied.applied(pathway.get().pathwayId()) : Applied.notYet(pathway.get().pathwayId());
  }

  /** The start variables of docs/process-interface.md: simple types only. */
  static Map<String, Object> startVariables(EnrolmentRequested e) {
    Map<String, Object> v = new HashMap<>();
    v.put(Vars.REFERRAL_ID, e.referralId());
    v.put(Vars.PATIENT_REF, e.patientRef());
    var steroid = e.steroidTreatment();
    v.put(Vars.STEROID_KIND, steroid.kind().name());
    v.put(Vars.STEROID_DATE, steroid.date().toString());
    v.put(Vars.IMAGE_GUIDED, steroid.imageGuided());
    v.put(Vars.CONTRAST_SPREAD_CONFIRMED, steroid.contrastSpreadConfirmed());
    v.put(Vars.PAIN_PATTERN, e.painPattern().name());
    v.put(Vars.BASELINE_PAIN_SCORE, e.baselinePainScore());
    v.put(Vars.PRIOR_SPINE_SURGERY, e.priorSpineSurgery());
    v.put(Vars.IMAGING_FINDINGS, join(e.imagingFindings()));
    v.put(Vars.IMAGING_LEVEL, e.imagingLevel());
    v.put(Vars.IMAGING_SIDE, e.imagingSide() == null ? null : e.imagingSide().name());
    v.put(Vars.NEUROPATHIC_SCORE, e.neuropathicScore());
    v.put(Vars.RED_FLAGS, join(e.redFlags()));
    v.put(Vars.SYMPTOM_ONSET_DATE, e.symptomOnsetDate() == null ? null : e.symptomOnsetDate().toString());
    return v;
  }

  private static String join(List<? extends Enum<?>> codes) {
    return codes.stream().map(Enum::name).collect(Collectors.joining(","));
  }
}
