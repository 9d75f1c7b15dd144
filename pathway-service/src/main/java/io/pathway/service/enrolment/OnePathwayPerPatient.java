package io.pathway.service.enrolment;

import io.pathway.model.codes.RedFlag;
import io.pathway.service.redflag.RedFlagHandler;
import io.pathway.service.records.PathwayRegistry;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A patient has at most one active pathway. A Tasklist or REST start for a patient whose pathway is
 * active is refused before it reaches the engine, with the active pathway's referral named; red flags
 * ticked on that start are not lost with it: they are triaged first, as any red flag of the patient
 * (they join the open escalation or interrupt the active pathway), and the answer says so.
 * (Enrolments by event join the active pathway instead: {@link EnrolmentHandler}.)
 */
@Component
public class OnePathwayPerPatient {

  private final PathwayRegistry registry;
  private final RedFlagHandler redFlags;
  private final TransactionTemplate tx;

  OnePathwayPerPatient(PathwayRegistry registry, RedFlagHandler redFlags, TransactionTemplate tx) {
    this.registry = registry;
    this.redFlags = redFlags;
    this.tx = tx;
  }

  /**
   * Why a start for {@code patientRef} is refused, or empty when the patient has no active pathway.
   *
   * @param redFlagCodes the red flags ticked on the start form (a comma-separated list of checked codes; may be blank)
   */
  public Optional<String> refuseStart(String patientRef, String redFlagCodes) {
    if (patientRef == null || patientRef.isBlank()) {
      return Optional.empty();
    }
    var active = registry.activeFor(patientRef);
    if (active.isEmpty()) {
      return Optional.empty();
    }
    List<RedFlag> flags = redFlagCodes == null || redFlagCodes.isBlank() ? List.of()
        : Arrays.stream(redFlagCodes.split(",")).map(String::trim).filter(c -> !c.isEmpty()).map(RedFlag::valueOf).toList();
    String message = "Patient " + patientRef + " already has an active pathway (referral " + active.get().referralId()
        + "): a patient has one active pathway, so nothing was started. Work on that pathway's tasks instead.";
    if (!flags.isEmpty()) {
      tx.executeWithoutResult(status -> redFlags.raise(patientRef, flags, null, Instant.now()));
      message += " The red flags ticked (" + String.join(", ", flags.stream().map(Enum::name).toList())
          + ") were raised for the patient: see the red-flag tasks.";
    }
    return Optional.of(message);
  }
}
