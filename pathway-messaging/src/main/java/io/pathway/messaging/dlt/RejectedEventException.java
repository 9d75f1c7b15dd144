package io.pathway.messaging.dlt;

import io.pathway.model.envelope.DeadLetterReason;
import java.util.Objects;

/**
 * A record that can never be processed: it goes to its dead-letter topic at once, without retries,
 * with {@code reason} and {@code detail} in the headers. The detail names fields and rules, never values.
 */
public class RejectedEventException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final DeadLetterReason reason;

  public RejectedEventException(DeadLetterReason reason, String detail) {
    super(detail);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public DeadLetterReason reason() {
    return reason;
  }
}
