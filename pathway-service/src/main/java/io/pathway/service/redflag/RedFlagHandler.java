package io.pathway.service.redflag;

import io.pathway.model.EventTypes;
import io.pathway.model.codes.AlertType;
import io.pathway.model.codes.Severity;
import io.pathway.model.events.RedFlagRaised;
import io.pathway.service.alert.Alerts;
import io.pathway.service.engine.PathwayEngine;
import io.pathway.service.inbound.Applied;
import io.pathway.service.registry.PathwayRegistry;
import java.util.HashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Red flags never wait: the patient's active pathway takes the red-flag route; when there is none
 * (unknown patient, finished pathway, not yet enrolled) or it is already on that route, the alert is
 * raised here all the same.
 */
@Component
public class RedFlagHandler {

  private final PathwayEngine engine;
  private final PathwayRegistry registry;
  private final Alerts alerts;

  RedFlagHandler(PathwayEngine engine, PathwayRegistry registry, Alerts alerts) {
    this.engine = engine;
    this.registry = registry;
    this.alerts = alerts;
  }

  public Applied redFlag(RedFlagRaised r) {
    var pathway = registry.activeFor(r.patientRef());
    String pathwayId = pathway.map(PathwayRegistry.PathwayRef::pathwayId).orElse(null);
    if (pathwayId != null) {
      Map<String, Object> v = new HashMap<>();
      v.put("redFlags", r.flag().name());
      v.put("redFlagObservedAt", r.observedAt() == null ? null : r.observedAt().toString());
      if (engine.deliver(EventTypes.RED_FLAG_RAISED, pathwayId, v)) {
        return Applied.applied(pathwayId);
      }
    }
    boolean caudaEquina = r.flag().caudaEquina();
    String message = (caudaEquina ? "Signs of cauda equina syndrome (" : "Progressive neurological deficit (")
        + r.flag().name() + ") reported "
        + (pathwayId == null ? "for a patient with no active pathway: assess at once." : "while the pathway is already on the red-flag route.");
    alerts.raise(pathwayId, r.patientRef(), caudaEquina ? Severity.CRITICAL : Severity.HIGH, AlertType.RED_FLAG, message);
    return Applied.alerted(pathwayId);
  }
}
