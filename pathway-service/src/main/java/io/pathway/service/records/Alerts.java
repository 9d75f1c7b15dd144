package io.pathway.service.records;

import io.pathway.model.Topics;
import io.pathway.model.codes.AlertType;
import io.pathway.model.codes.Severity;
import io.pathway.model.events.AlertRaised;
import io.pathway.service.records.JournaledOutbox;
import java.time.Instant;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Raises alerts on {@code pathway.alerts} through the outbox. Messages hold codes, never patient data. */
@Component
public class Alerts {

  private final JournaledOutbox outbox;

  Alerts(JournaledOutbox outbox) {
    this.outbox = outbox;
  }

  public AlertRaised raise(String pathwayId, String patientRef, Severity severity, AlertType type, String message) {
    AlertRaised alert = new AlertRaised(UUID.randomUUID().toString(), pathwayId, patientRef, severity, type, message, Instant.now());
    outbox.append(Topics.ALERTS, pathwayId, alert);
    return alert;
  }
}
