package io.pathway.service.treatment;

import io.pathway.bpmn.PathwayModel.Vars;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.stereotype.Component;

/**
 * Completion of "Confirm surgical consult booked" (F21): the consult date is required and cannot lie in the past (UTC
 * calendar day). A past or missing date is refused as a form validation error (400 through the REST API), so the task
 * stays open and the pathway does not end on a consult that was never going to happen. A valid date sets when the pathway
 * asks whether the consult took place: the end of its day plus {@code pathway.clinical.surgical-consult-check-after}.
 */
@Component("consultBookingCheck")
class ConsultBookingCheck implements TaskListener {

  private final String checkAfter;

  ConsultBookingCheck(io.pathway.service.platform.PathwayProperties properties) {
    this.checkAfter = properties.clinical().surgicalConsultCheckAfter();
  }

  @Override
  public void notify(DelegateTask task) {
    Object value = task.getVariable(Vars.SURGICAL_CONSULT_DATE);
    LocalDate date;
    try {
      String text = value instanceof java.util.Date d ? d.toInstant().atZone(ZoneOffset.UTC).toLocalDate().toString() : String.valueOf(value);
      date = LocalDate.parse(text.length() > 10 ? text.substring(0, 10) : text);
    } catch (RuntimeException e) {
      throw new FormFieldValidationException(Vars.SURGICAL_CONSULT_DATE,
          "surgicalConsultDate is required: the date the consult is booked for (YYYY-MM-DD)");
    }
    if (date.isBefore(ClockUtil.getCurrentTime().toInstant().atZone(ZoneOffset.UTC).toLocalDate())) {
      throw new FormFieldValidationException(Vars.SURGICAL_CONSULT_DATE, "surgicalConsultDate " + date
          + " is in the past: record the date the consult is booked for (today or later)");
    }
    // F21: after the consult's day the pathway asks whether it took place
    task.setVariable(Vars.SURGICAL_CONSULT_CHECK_AT, io.pathway.bpmn.support.DueDates.afterDay(date, checkAfter));
  }
}
