package io.pathway.service.enrolment;

import io.pathway.bpmn.PathwayModel.Vars;
import io.pathway.model.EventTypes;
import io.pathway.model.events.EnrolmentRequested;
import io.pathway.model.events.WithdrawalRequested;
import io.pathway.service.engine.PathwayEngine;
import io.pathway.service.event.Applied;
import io.pathway.service.registry.PathwayRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** Enrolments start a pathway (once per referral); withdrawals end one cleanly. */
@Component
public class EnrolmentHandler {

  private final PathwayEngine engine;
  private final PathwayRegistry registry;

  EnrolmentHandler(PathwayEngine engine, PathwayRegistry registry) {
    this.engine = engine;
    this.registry = registry;
  }

  /**
   * Starts the pathway, once per referral. Red flags reported for the patient before (they arrive on
   * another topic) are carried into it by the model's first step ({@code RedFlagCarryOver}), for
   * enrolments by event and by Tasklist start form alike.
   */
  public Applied enrol(EnrolmentRequested e) {
    var existing = registry.byReferral(e.referralId());
    if (existing.isPresent()) {
      return Applied.noChange(existing.get().pathwayId());
    }
    // the model's first step (pathwayInitialiser) registers the pathway, in this same transaction
    return Applied.applied(engine.start(e.referralId(), startVariables(e)));
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
    v.put(Vars.NEUROPATHIC_SCORE, e.neuropathicScore());
    v.put(Vars.RED_FLAGS, join(e.redFlags()));
    v.put(Vars.SYMPTOM_ONSET_DATE, e.symptomOnsetDate() == null ? null : e.symptomOnsetDate().toString());
    return v;
  }

  private static String join(List<? extends Enum<?>> codes) {
    return codes.stream().map(Enum::name).collect(Collectors.joining(","));
  }
}
