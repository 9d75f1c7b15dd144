package io.pathway.model.envelope;

/**
 * Why a record went to its {@code <topic>.DLT}: the value of the {@link DeadLetterHeaders#REASON}
 * header. The AsyncAPI document lists exactly these names (a test checks it). The first six are the
 * codec's refusals ({@link InvalidEventException.Reason}), the last two come from the services.
 */
public enum DeadLetterReason {
  MALFORMED,
  MISSING_TYPE,
  UNKNOWN_TYPE,
  SCHEMA_VIOLATION,
  OVERSIZED,
  MISSING_ID,
  /**
   * A valid result or outcome that does not fit the order it names: another test or treatment than
   * the order's code, another patient, or another kind of order.
   */
  ORDER_MISMATCH,
  /**
   * A valid event that names two patients: its record key and its {@code patientRef} differ, or the referral
   * it names belongs to another patient. Never applied to either; both are alerted ({@code IDENTITY_MISMATCH}).
   */
  PATIENT_MISMATCH,
  /** A valid event whose processing failed after all retries. */
  PROCESSING_FAILED;

  /** The reason of a record the codec refused. */
  public static DeadLetterReason of(InvalidEventException.Reason refusal) {
    return switch (refusal) {
      case MALFORMED -> MALFORMED;
      case MISSING_TYPE -> MISSING_TYPE;
      case UNKNOWN_TYPE -> UNKNOWN_TYPE;
      case SCHEMA_VIOLATION -> SCHEMA_VIOLATION;
      case OVERSIZED -> OVERSIZED;
      case MISSING_ID -> MISSING_ID;
    };
  }
}
