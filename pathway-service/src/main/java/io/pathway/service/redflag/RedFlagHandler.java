package io.pathway.service.redflag;

import io.pathway.bpmn.PathwayModel.Vars;
import io.pathway.model.EventTypes;
import io.pathway.model.codes.CancelReason;
import io.pathway.model.events.RedFlagRaised;
import io.pathway.service.engine.PathwayEngine;
import io.pathway.service.event.Applied;
import io.pathway.service.registry.PathwayRegistry;
import io.pathway.service.settings.PathwayProperties;
import java.util.HashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * One red-flag escalation whatever the state of the patient:
 * <ol>
 *   <li>an escalation already under way for the patient takes the further flag as evidence (or upgrades);</li>
 *   <li>else the active pathway is interrupted and escalates;</li>
 *   <li>else (never enrolled, pathway ended) a stand-alone escalation runs for the patient, with the same
 *       referral, alert, confirmation task, deadline and escalation ladder.</li>
 * </ol>
 * A red flag is never only an alert, and never waits in the inbox.
 */
@Component
public class RedFlagHandler {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RedFlagHandler.class);

  private final PathwayEngine engine;
  private final PathwayRegistry registry;
  private final Escalations escalations;
  private final PathwayProperties.Clinical clinical;

  RedFlagHandler(PathwayEngine engine, PathwayRegistry registry, Escalations escalations, PathwayProperties properties) {
    this.engine = engine;
    this.registry = registry;
    this.escalations = escalations;
    this.clinical = properties.clinical();
  }

  public Applied redFlag(RedFlagRaised r) {
    escalations.lockPatient(r.patientRef());
    String observedAt = r.observedAt().toString();
    var open = escalations.openFor(r.patientRef());
    if (open.isPresent()) {
      Map<String, Object> further = new HashMap<>();
      further.put(Vars.FURTHER_FLAG, r.flag().name());
      further.put(Vars.FURTHER_FLAG_OBSERVED_AT, observedAt);
      boolean delivered = engine.deliver(EventTypes.RED_FLAG_RAISED, open.get().escalationId(), further);
      log.info("Red flag for escalation {} under way: {}", open.get().escalationId(), delivered ? "added to it" : "not deliverable");
      if (delivered) {
        return Applied.applied(open.get().pathwayId() != null ? open.get().pathwayId()
            : open.get().adoptedBy() != null ? open.get().adoptedBy() : open.get().escalationId());
      }
    }
    var pathway = registry.activeFor(r.patientRef());
    if (pathway.isPresent()) {
      Map<String, Object> v = new HashMap<>();
      v.put(Vars.RED_FLAGS, r.flag().name());
      v.put(Vars.RED_FLAG_OBSERVED_AT, observedAt);
      v.put(Vars.INTERRUPTION_REASON, CancelReason.RED_FLAG.name());
      boolean delivered = engine.deliver(EventTypes.RED_FLAG_RAISED, pathway.get().pathwayId(), v);
      log.info("Red flag for pathway {}: {}", pathway.get().pathwayId(), delivered ? "interrupts it" : "not deliverable");
      if (delivered) {
        return Applied.applied(pathway.get().pathwayId());
      }
    }
    Map<String, Object> v = new HashMap<>();
    v.put(Vars.PATIENT_REF, r.patientRef());
    v.put(Vars.RED_FLAGS, r.flag().name());
    v.put(Vars.RED_FLAG_OBSERVED_AT, observedAt);
    v.put(Vars.EMERGENCY_TRANSFER_SLA, clinical.emergencyTransferSla());
    v.put(Vars.URGENT_REFERRAL_SLA, clinical.urgentReferralSla());
    v.put(Vars.CLINICAL_TASK_DUE, clinical.clinicalTaskDue());
    registry.lastFor(r.patientRef()).ifPresent(last -> v.put(Vars.PREVIOUS_PATHWAY_ID, last.pathwayId()));
    return Applied.applied(engine.startEscalation(r.patientRef(), v));
  }
}
