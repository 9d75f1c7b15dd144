package io.pathway.service.enrolment;

import io.pathway.model.codes.ImagingFinding;
import io.pathway.model.codes.RedFlag;
import io.pathway.service.engine.ProcessVariables;
import io.pathway.service.redflag.RedFlagCarryOver;
import io.pathway.service.registry.PathwayRegistry;
import io.pathway.service.rules.RuleFactStore;
import io.pathway.service.settings.PathwayProperties;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.calendar.DurationHelper;
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
    String pathwayId = execution.getProcessInstanceId();
    execution.setVariable("pathwayId", pathwayId);
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("followUpDelay", clinical.followUpDelay());
    config.put("reliefThresholdPercent", clinical.reliefThresholdPercent());
    config.put("resultOverdueAfter", clinical.resultOverdueAfter());
    config.put("treatmentOutcomeOverdueAfter", clinical.treatmentOutcomeOverdueAfter());
    config.put("emergencyTransferSla", clinical.emergencyTransferSla());
    config.put("urgentReferralSla", clinical.urgentReferralSla());
    config.put("surgicalConsultBookingSla", clinical.surgicalConsultBookingSla());
    config.put("clinicalTaskDue", clinical.clinicalTaskDue());
    config.put("electiveMinFailedCareDays", clinical.electiveMinFailedCareDays());
    config.put("neuromodulationMinFailedMeasures", clinical.neuromodulationMinFailedMeasures());
    config.put("neuropathicMinSymptomMonths", clinical.neuropathicMinSymptomMonths());
    config.put("sustainedReliefMinDays", clinical.sustainedReliefMinDays());
    // configuration comes from application properties only, never from the start
    config.forEach(execution::setVariable);
    ruleFacts.settings(pathwayId, clinical.reliefThresholdPercent(), clinical.electiveMinFailedCareDays(),
        clinical.neuromodulationMinFailedMeasures(), clinical.sustainedReliefMinDays());
    // the history of failed treatments is derived from recorded outcomes; a start cannot seed it
    execution.setVariable("treatmentsTried", "");
    execution.setVariable("imagingFindings", EnrolmentCodes.normalise("imagingFindings", execution.getVariable("imagingFindings"),
        ImagingFinding.class));
    execution.setVariable("redFlags", EnrolmentCodes.normalise("redFlags", execution.getVariable("redFlags"), RedFlag.class));
    String steroidDate = ProcessVariables.required(execution, "steroidDate");
    String delay = ProcessVariables.string(execution, "followUpDelay");
    var start = LocalDate.parse(steroidDate).atStartOfDay(ZoneOffset.UTC);
    var due = new DurationHelper(delay, java.util.Date.from(start.toInstant())).getDateAfter();
    execution.setVariable("followUpDueAt", due.toInstant().toString());
    registry.registerPathway(pathwayId, ProcessVariables.required(execution, "referralId"),
        ProcessVariables.required(execution, "patientRef"));
    redFlagCarryOver.intoNewPathway(execution, pathwayId);
  }
}
