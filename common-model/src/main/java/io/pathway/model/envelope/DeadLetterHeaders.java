package io.pathway.model.envelope;

/**
 * Headers the platform adds to a record it writes to a {@code <topic>.DLT} topic. Besides these, the
 * record keeps its own headers and carries Spring Kafka's {@code kafka_dlt-original-*} and
 * exception-class headers, never an exception message or a stack trace.
 */
public final class DeadLetterHeaders {

  /** A {@link DeadLetterReason} name. */
  public static final String REASON = "pathway-dlt-reason";

  /** The field-level message of the refusal (names fields and rules, never values). */
  public static final String DETAIL = "pathway-dlt-detail";

  private DeadLetterHeaders() {}
}
