package io.pathway.service.intake;

import io.pathway.bpmn.PathwayModel.Vars;
import io.pathway.messaging.dlt.RejectedEventException;
import io.pathway.messaging.inbox.ProcessedEvents;
import io.pathway.model.codes.AlertType;
import io.pathway.model.codes.Severity;
import io.pathway.model.envelope.DeadLetterReason;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.model.events.DiagnosticResult;
import io.pathway.model.events.EnrolmentRequested;
import io.pathway.model.events.PathwayEvent;
import io.pathway.model.events.TreatmentOutcome;
import io.pathway.model.events.WithdrawalRequested;
import io.pathway.service.records.Alerts;
import io.pathway.service.records.PathwayRegistry;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Where two fields of a record name the patient, they must agree: the record key and the payload's
 * {@code patientRef}, and the payload's {@code patientRef} and the patient of the referral or order it
 * names. A record where they differ is applied to neither patient: it is refused to its DLT
 * ({@code PATIENT_MISMATCH}, or {@code ORDER_MISMATCH} for an order of another patient) and an
 * {@code IDENTITY_MISMATCH} alert is raised for each patient named, naming the other reference, once per
 * event (its own transaction, so the refusal does not roll it back).
 */
@Component
class PatientIdentities {

  private static final Logger log = LoggerFactory.getLogger(PatientIdentities.class);

  /** Two fields that name different patients. */
  record Mismatch(String field, String patientRef, String otherField, String otherPatientRef, DeadLetterReason reason) {}

  private final PathwayRegistry registry;
  private final Alerts alerts;
  private final ProcessedEvents processed;
  private final TransactionTemplate ownTx;

  PatientIdentities(PathwayRegistry registry, Alerts alerts, ProcessedEvents processed, PlatformTransactionManager transactions) {
    this.registry = registry;
    this.alerts = alerts;
    this.processed = processed;
    this.ownTx = new TransactionTemplate(transactions);
    this.ownTx.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
  }

  /** Refuses the event (after alerting) when its fields name different patients. */
  void requireOnePatient(String key, EventEnvelope event, String topic) {
    Optional<Mismatch> mismatch = mismatch(key, event.data());
    if (mismatch.isEmpty()) {
      return;
    }
    Mismatch m = mismatch.get();
    ownTx.executeWithoutResult(status -> {
      if (!processed.claim("identity-mismatch:" + event.source() + "|" + event.id(), AlertType.IDENTITY_MISMATCH.name(), topic)) {
        return;
      }
      for (String[] side : new String[][] {{m.patientRef(), m.field(), m.otherField(), m.otherPatientRef()},
          {m.otherPatientRef(), m.otherField(), m.field(), m.patientRef()}}) {
        String pathwayId = registry.activeFor(side[0]).map(PathwayRegistry.PathwayRef::pathwayId).orElse(null);
        alerts.raise(pathwayId, side[0], Severity.HIGH, AlertType.IDENTITY_MISMATCH,
            "A " + event.type() + " record names this patient in its " + side[1] + " and patient " + side[3] + " in its "
                + side[2] + ": refused (" + m.reason() + "), applied to neither. Find out which patient it concerns and have it sent again.");
      }
    });
    log.warn("Event {} on {} names two patients ({} / {}): refused", event.id(), topic, m.field(), m.otherField());
    throw new RejectedEventException(m.reason(), m.field() + " and " + m.otherField() + " name different patients");
  }

  Optional<Mismatch> mismatch(String key, PathwayEvent data) {
    String patientRef = data.patientRef();
    if (key != null && !key.equals(patientRef)) {
      return Optional.of(new Mismatch("record key", key, Vars.PATIENT_REF, patientRef, DeadLetterReason.PATIENT_MISMATCH));
    }
    String referralId = data instanceof EnrolmentRequested e ? e.referralId() : data instanceof WithdrawalRequested w ? w.referralId() : null;
    if (referralId != null) {
      var pathway = registry.byReferral(referralId);
      if (pathway.isPresent() && !pathway.get().patientRef().equals(patientRef)) {
        return Optional.of(new Mismatch(Vars.PATIENT_REF, patientRef, Vars.REFERRAL_ID, pathway.get().patientRef(), DeadLetterReason.PATIENT_MISMATCH));
      }
    }
    String orderId = data instanceof DiagnosticResult r ? r.orderId() : data instanceof TreatmentOutcome o ? o.orderId() : null;
    if (orderId != null) {
      var order = registry.order(orderId);
      if (order.isPresent() && !order.get().patientRef().equals(patientRef)) {
        return Optional.of(new Mismatch(Vars.PATIENT_REF, patientRef, Vars.ORDER_ID, order.get().patientRef(), DeadLetterReason.ORDER_MISMATCH));
      }
    }
    return Optional.empty();
  }
}
