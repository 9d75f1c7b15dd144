package io.pathway.service.inbound;

/**
 * A record that can never be processed: it goes to the topic's dead-letter topic with {@code reason}
 * and {@code detail} in its headers. The detail names fields and rules, never values.
 */
public class RejectedEventException extends RuntimeException {

  private final String reason;

  public RejectedEventException(String reason, String detail) {
    super(detail);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
