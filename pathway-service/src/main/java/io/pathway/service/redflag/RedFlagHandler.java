package io.pathway.service.redflag;

import io.pathway.bpmn.PathwayModel.Vars;
import io.pathway.model.EventTypes;
import io.pathway.model.codes.AlertType;
import io.pathway.model.codes.CancelReason;
import io.pathway.model.codes.RedFlag;
import io.pathway.model.codes.Severity;
import io.pathway.model.events.RedFlagRaised;
import io.pathway.service.records.Alerts;
import io.pathway.service.engine.PathwayEngine;
import io.pathway.service.platform.Applied;
import io.pathway.service.platform.HospitalClock;
import io.pathway.service.records.PathwayRegistry;
import io.pathway.service.platform.PathwayProperties;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * One red-flag escalation per patient, whatever the state of the patient and whatever carries the flags
 * (a red-flag report, an enrolment, a re-sent or second referral):
 * <ol>
 *   <li>an escalation already under way for the patient takes the flags as evidence (or upgrades, with the
 *       emergency deadline from these flags' observation);</li>
 *   <li>else the patient's active pathway (there is at most one) is interrupted and escalates;</li>
 *   <li>else (never enrolled, pathway ended) a stand-alone escalation runs for the patient, with the same
 *       referral, alert, confirmation task, deadline and escalation ladder.</li>
 * </ol>
 * The deadline counts from the earlier of the reported observation and the receipt; an observation time
 * beyond the allowed clock skew is flagged on the task and raised as a {@code CLOCK_AHEAD} alert. A red
 * flag is never only an alert, and never waits in the inbox.
 */
@Component
public class RedFlagHandler {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RedFlagHandler.class);

  private final PathwayEngine engine;
  private final PathwayRegistry registry;
  private final Escalations escalations;
  private final PathwayProperties.Clinical clinical;
  private final HospitalClock clock;
  private final Alerts alerts;

  RedFlagHandler(PathwayEngine engine, PathwayRegistry registry, Escalations escalations, PathwayProperties properties,
      HospitalClock clock, Alerts alerts) {
    this.engine = engine;
    this.registry = registry;
    this.escalations = escalations;
    this.clinical = properties.clinical();
    this.clock = clock;
    this.alerts = alerts;
  }

  /** A red-flag report received at {@code receivedAt}. */
  public Applied redFlag(RedFlagRaised r, Instant receivedAt) {
    return raise(r.patientRef(), java.util.List.of(r.flag()), r.observedAt(), receivedAt);
  }

  /**
   * Triages red flags reported together for a patient (in the caller's transaction, under the patient's
   * lock): they join the open escalation, or interrupt the active pathway, or start a stand-alone escalation.
   *
   * @param reportedAt the observation time the hospital gave (may be null: the receipt counts)
   */
  public Applied raise(String patientRef, Collection<RedFlag> flags, Instant reportedAt, Instant receivedAt) {
    if (flags.isEmpty()) {
      throw new IllegalArgumentException("no red flag to raise");
    }
    escalations.lockPatient(patientRef);
    // cauda equina signs first, so that the evidence reads in order of severity
    String listed = flags.stream().distinct().sorted(Comparator.comparing((RedFlag f) -> !f.caudaEquina()).thenComparing(Enum::name))
        .map(Enum::name).collect(Collectors.joining(","));
    String observedAt = clock.trusted(reportedAt, receivedAt).toString();
    String clockNote = null;
    if (clock.ahead(reportedAt, receivedAt)) {
      clockNote = HospitalClock.aheadNote("Reported observation time", reportedAt, receivedAt)
          + "; the deadline counts from the receipt";
    }
    Applied applied = route(patientRef, listed, observedAt, clockNote);
    if (clockNote != null) {
      alerts.raise(applied.pathwayId(), patientRef, Severity.MEDIUM, AlertType.CLOCK_AHEAD,
          "Red flag(s) " + listed + ": " + clockNote + ". Check the sending system's clock.");
    }
    return applied;
  }

  private Applied route(String patientRef, String flags, String observedAt, String clockNote) {
    var open = escalations.openFor(patientRef);
    if (open.isPresent()) {
      Map<String, Object> further = new HashMap<>();
      further.put(Vars.FURTHER_FLAG, flags);
      further.put(Vars.FURTHER_FLAG_OBSERVED_AT, observedAt);
      boolean delivered = engine.deliver(EventTypes.RED_FLAG_RAISED, open.get().escalationId(), further);
      log.info("Red flag for escalation {} under way: {}", open.get().escalationId(), delivered ? "added to it" : "not deliverable");
      if (delivered) {
        return Applied.applied(open.get().pathwayId() != null ? open.get().pathwayId()
            : open.get().adoptedBy() != null ? open.get().adoptedBy() : open.get().escalationId());
      }
    }
    var pathway = registry.activeFor(patientRef);
    if (pathway.isPresent()) {
      Map<String, Object> v = new HashMap<>();
      v.put(Vars.RED_FLAGS, flags);
      v.put(Vars.RED_FLAG_OBSERVED_AT, observedAt);
      v.put(Vars.RED_FLAG_CLOCK_NOTE, clockNote);
      v.put(Vars.INTERRUPTION_REASON, CancelReason.RED_FLAG.name());
      boolean delivered = engine.deliver(EventTypes.RED_FLAG_RAISED, pathway.get().pathwayId(), v);
      log.info("Red flag for pathway {}: {}", pathway.get().pathwayId(), delivered ? "interrupts it" : "not deliverable");
      if (delivered) {
        return Applied.applied(pathway.get().pathwayId());
      }
    }
    Map<String, Object> v = new HashMap<>();
    v.put(Vars.PATIENT_REF, patientRef);
    v.put(Vars.RED_FLAGS, flags);
    v.put(Vars.RED_FLAG_OBSERVED_AT, observedAt);
    v.put(Vars.RED_FLAG_CLOCK_NOTE, clockNote);
    v.put(Vars.EMERGENCY_TRANSFER_SLA, clinical.emergencyTransferSla());
    v.put(Vars.URGENT_REFERRAL_SLA, clinical.urgentReferralSla());
    v.put(Vars.CLINICAL_TASK_DUE, clinical.clinicalTaskDue());
    registry.lastFor(patientRef).ifPresent(last -> v.put(Vars.PREVIOUS_PATHWAY_ID, last.pathwayId()));
    return Applied.applied(engine.startEscalation(patientRef, v));
  }
}
