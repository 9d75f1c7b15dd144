package io.pathway.model.envelope;

/** Headers the platform adds to a record it writes to a {@code <topic>.DLT} topic. */
public final class DeadLetterHeaders {

  /** One of the {@link InvalidEventException.Reason} names, {@link #ORDER_MISMATCH} or {@link #PROCESSING_FAILED}. */
  public static final String REASON = "pathway-dlt-reason";

  /** The field-level message of the refusal (names fields and rules, never values). */
  public static final String DETAIL = "pathway-dlt-detail";

  /** Reason for a record that was a valid event but whose processing failed after all retries. */
  public static final String PROCESSING_FAILED = "PROCESSING_FAILED";

  /**
   * Reason for a valid result or outcome that does not fit the order it names: another test or
   * treatment than the order's code, another patient, or another kind of order.
   */
  public static final String ORDER_MISMATCH = "ORDER_MISMATCH";

  private DeadLetterHeaders() {}
}
