package io.pathway.bpmn.support;

import io.pathway.bpmn.PathwayModel.Vars;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;

/**
 * What every pathway starts with, the one implementation for the service's first step
 * ({@code PathwayInitialiser}) and for the process tests: its id, the clinical settings it is given
 * (always: a value the start carried under the same name is overwritten, so no start can choose its
 * own rules), an empty history of failed treatments (derived later from recorded outcomes), and the
 * follow-up due date: the steroid date at midnight UTC plus {@code followUpDelay}.
 */
public final class PathwayStart {

  private PathwayStart() {}

  /** Initialises the pathway in {@code execution} with {@code settings} (which must hold {@code followUpDelay}); returns its id. */
  public static String initialise(DelegateExecution execution, Map<String, Object> settings) {
    String pathwayId = execution.getProcessInstanceId();
    execution.setVariable(Vars.PATHWAY_ID, pathwayId);
    settings.forEach(execution::setVariable);
    execution.setVariable(Vars.TREATMENTS_TRIED, "");
    Object steroidDate = execution.getVariable(Vars.STEROID_DATE);
    Object delay = settings.get(Vars.FOLLOW_UP_DELAY);
    if (steroidDate == null || delay == null) {
      throw new IllegalStateException("a pathway starts with 'steroidDate' and the setting 'followUpDelay'");
    }
    var start = LocalDate.parse(steroidDate.toString()).atStartOfDay(ZoneOffset.UTC);
    String due;
    try {
      // java.time, not the engine's DurationHelper: that one looks its XML DatatypeFactory up on the class path at
      // every call, which was the most expensive single step of a start (docs/benchmarks.md)
      due = DueDates.plus(start, delay.toString().trim()).toInstant().toString();
    } catch (DateTimeParseException notADuration) {
      throw new IllegalStateException("followUpDelay is not an ISO-8601 duration", notADuration);
    }
    execution.setVariable(Vars.FOLLOW_UP_DUE_AT, due);
    return pathwayId;
  }
}
