package io.pathway.service.followup;

import io.pathway.model.EventTypes;
import io.pathway.model.events.FollowUpRecorded;
import io.pathway.service.engine.PathwayEngine;
import io.pathway.service.inbound.Applied;
import io.pathway.service.registry.PathwayRegistry;
import java.util.HashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The response to the steroid, found by the patient's active pathway. */
@Component
public class FollowUpHandler {

  private final PathwayEngine engine;
  private final PathwayRegistry registry;

  FollowUpHandler(PathwayEngine engine, PathwayRegistry registry) {
    this.engine = engine;
    this.registry = registry;
  }

  public Applied followUp(FollowUpRecorded f) {
    var pathway = registry.activeFor(f.patientRef());
    if (pathway.isEmpty()) {
      return Applied.notYet(null);
    }
    Map<String, Object> v = new HashMap<>();
    v.put("painReductionPercent", f.painReductionPercent());
    v.put("reliefSustained", f.sustained() == null ? Boolean.TRUE : f.sustained());
    String id = pathway.get().pathwayId();
    return engine.deliver(EventTypes.FOLLOW_UP_RECORDED, id, v) ? Applied.applied(id) : Applied.notYet(id);
  }
}
