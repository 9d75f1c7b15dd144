package io.pathway.service.enrolment;

import io.pathway.service.platform.EnrolmentCodes;
import io.pathway.bpmn.PathwayModel.Vars;
import io.pathway.bpmn.support.PathwayStart;
import io.pathway.model.codes.ImagingFinding;
import io.pathway.model.codes.RedFlag;
import io.pathway.service.engine.ProcessVariables;
import io.pathway.service.redflag.RedFlagCarryOver;
import io.pathway.service.records.PathwayRegistry;
import io.pathway.service.treatment.RuleFactStore;
import io.pathway.service.platform.PathwayProperties;
import java.util.LinkedHashMap;
import java.util.Map;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * First step of every pathway, however it was started (event or Tasklist start form): sets the
 * pathway id and the clinical configuration from {@code pathway.clinical.*} (always: a value the start
 * carried under the same name is overwritten, and the hard rules read the copy kept in the service's
 * own table), computes the follow-up due date and registers the pathway.
 */
@Component("pathwayInitialiser")
class PathwayInitialiser implements JavaDelegate {

  private final PathwayProperties.Clinical clinical;
  private final PathwayRegistry registry;
  private final RuleFactStore ruleFacts;
  private final RedFlagCarryOver redFlagCarryOver;

  PathwayInitialiser(PathwayProperties properties, PathwayRegistry registry, RuleFactStore ruleFacts,
      RedFlagCarryOver redFlagCarryOver) {
    this.clinical = properties.clinical();
    this.registry = registry;
    this.ruleFacts = ruleFacts;
    this.redFlagCarryOver = redFlagCarryOver;
  }

  @Override
  public void execute(DelegateExecution execution) throws Exception {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put(Vars.FOLLOW_UP_DELAY, clinical.followUpDelay());
    config.put(Vars.RELIEF_THRESHOLD_PERCENT, clinical.reliefThresholdPercent());
    config.put(Vars.RESULT_OVERDUE_AFTER, clinical.resultOverdueAfter());
    config.put(Vars.TREATMENT_OUTCOME_OVERDUE_AFTER, clinical.treatmentOutcomeOverdueAfter());
    config.put(Vars.EMERGENCY_TRANSFER_SLA, clinical.emergencyTransferSla());
    config.put(Vars.URGENT_REFERRAL_SLA, clinical.urgentReferralSla());
    config.put(Vars.SURGICAL_CONSULT_BOOKING_SLA, clinical.surgicalConsultBookingSla());
    config.put(Vars.CLINICAL_TASK_DUE, clinical.clinicalTaskDue());
    config.put(Vars.ELECTIVE_MIN_FAILED_CARE_DAYS, clinical.electiveMinFailedCareDays());
    config.put(Vars.NEUROMODULATION_MIN_FAILED_MEASURES, clinical.neuromodulationMinFailedMeasures());
    config.put(Vars.NEUROPATHIC_MIN_SYMPTOM_MONTHS, clinical.neuropathicMinSymptomMonths());
    config.put(Vars.SUSTAINED_RELIEF_MIN_DAYS, clinical.sustainedReliefMinDays());
    // configuration comes from application properties only, never from the start; the history of failed
    // treatments is derived from recorded outcomes, a start cannot seed it (PathwayStart, shared with the tests)
    String pathwayId = PathwayStart.initialise(execution, config);
    ruleFacts.settings(pathwayId, clinical.reliefThresholdPercent(), clinical.electiveMinFailedCareDays(),
        clinical.neuromodulationMinFailedMeasures(), clinical.sustainedReliefMinDays(), clinical.blockReliefThresholdPercent());
    execution.setVariable(Vars.IMAGING_FINDINGS, EnrolmentCodes.normalise(Vars.IMAGING_FINDINGS, execution.getVariable(Vars.IMAGING_FINDINGS),
        ImagingFinding.class));
    execution.setVariable(Vars.RED_FLAGS, EnrolmentCodes.normalise(Vars.RED_FLAGS, execution.getVariable(Vars.RED_FLAGS), RedFlag.class));
    String patientRef = ProcessVariables.required(execution, Vars.PATIENT_REF);
    var active = registry.activeFor(patientRef);
    if (active.isPresent() && !active.get().pathwayId().equals(pathwayId)) {
      // one active pathway per patient; enrolments by event and starts through the REST API are turned away
      // before this (EnrolmentHandler, OnePathwayPerPatient), the registry's unique index behind it
      throw new BadUserRequestException("Patient " + patientRef + " already has an active pathway (referral "
          + active.get().referralId() + "): a patient has one active pathway");
    }
    registry.registerPathway(pathwayId, ProcessVariables.required(execution, Vars.REFERRAL_ID), patientRef);
    redFlagCarryOver.intoNewPathway(execution, pathwayId);
  }
}
