package io.pathway.model.events;

/**
 * An event that belongs to one pathway instance. The envelope uses the pathway id as the CloudEvents
 * {@code subject}; events without a pathway use the {@code patientRef} instead.
 */
public interface PathwayScoped {

  /** The platform's id of the pathway instance; may be {@code null} for an alert raised outside any pathway. */
  String pathwayId();
}
