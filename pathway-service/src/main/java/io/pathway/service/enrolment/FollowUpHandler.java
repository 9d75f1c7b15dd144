package io.pathway.service.enrolment;

import io.pathway.bpmn.PathwayModel.Vars;
import io.pathway.model.EventTypes;
import io.pathway.model.codes.AlertType;
import io.pathway.model.codes.Severity;
import io.pathway.model.events.FollowUpRecorded;
import io.pathway.service.records.Alerts;
import io.pathway.service.engine.PathwayEngine;
import io.pathway.service.platform.Applied;
import io.pathway.service.records.PathwayRegistry;
import io.pathway.service.treatment.RuleFactStore;
import io.pathway.service.treatment.RuleFactStore.FollowUpSource;
import io.pathway.service.treatment.RuleFactStore.FollowUpStatus;
import io.pathway.service.platform.PathwayProperties;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The response to the steroid, found by the patient's active pathway, and applied only when it is the
 * response to this episode's steroid:
 * <ul>
 *   <li>assessed before the episode's steroid date, or for another steroid kind: not applied, kept as
 *       unmatched and alerted ({@code UNMATCHED_EVENT}); it is on the timeline;</li>
 *   <li>assessed earlier than the configured days after the steroid: kept on the timeline only; the
 *       pathway waits for the due follow-up;</li>
 *   <li>otherwise delivered, with relief sustained only when {@code sustained} is true (absent is not sustained).</li>
 * </ul>
 */
@Component
public class FollowUpHandler {

  private final PathwayEngine engine;
  private final PathwayRegistry registry;
  private final RuleFactStore facts;
  private final Alerts alerts;
  private final PathwayProperties.Clinical clinical;

  FollowUpHandler(PathwayEngine engine, PathwayRegistry registry, RuleFactStore facts, Alerts alerts, PathwayProperties properties) {
    this.engine = engine;
    this.registry = registry;
    this.facts = facts;
    this.alerts = alerts;
    this.clinical = properties.clinical();
  }

  public Applied followUp(FollowUpRecorded f) {
    var pathway = registry.activeFor(f.patientRef());
    if (pathway.isEmpty()) {
      return Applied.notYet(null);
    }
    String id = pathway.get().pathwayId();
    var enrolment = facts.enrolment(id);
    if (enrolment.isEmpty()) {
      return Applied.notYet(id);
    }
    LocalDate steroidDate = enrolment.get().steroidDate();
    LocalDate assessed = f.assessedAt().atZone(ZoneOffset.UTC).toLocalDate();
    if (assessed.isBefore(steroidDate) || !enrolment.get().steroidKind().equals(f.treatment())) {
      facts.followUp(id, FollowUpStatus.UNMATCHED, f.treatment(), f.painReductionPercent(), f.sustained(), f.assessedAt(),
          FollowUpSource.EVENT);
      alerts.raise(id, f.patientRef(), Severity.MEDIUM, AlertType.UNMATCHED_EVENT, "A follow-up assessed before this episode's "
          + "steroid treatment, or for another steroid, was not applied to the pathway: review it on the timeline.");
      return Applied.alerted(id);
    }
    int minDays = facts.settingsRow(id).map(s -> s[3]).orElse(clinical.sustainedReliefMinDays());
    if (ChronoUnit.DAYS.between(steroidDate, assessed) < minDays) {
      facts.followUp(id, FollowUpStatus.EARLY, f.treatment(), f.painReductionPercent(), f.sustained(), f.assessedAt(),
          FollowUpSource.EVENT);
      return Applied.noChange(id);
    }
    Map<String, Object> v = new HashMap<>();
    v.put(Vars.PAIN_REDUCTION_PERCENT, f.painReductionPercent());
    v.put(Vars.RELIEF_SUSTAINED, Boolean.TRUE.equals(f.sustained()));
    v.put(Vars.FOLLOW_UP_ASSESSED_AT, f.assessedAt().toString());
    if (!engine.deliver(EventTypes.FOLLOW_UP_RECORDED, id, v)) {
      return Applied.notYet(id);
    }
    facts.followUp(id, FollowUpStatus.APPLIED, f.treatment(), f.painReductionPercent(), Boolean.TRUE.equals(f.sustained()),
        f.assessedAt(), FollowUpSource.EVENT);
    return Applied.applied(id);
  }
}
