package io.pathway.model.envelope;

import java.util.List;
import java.util.Objects;

/**
 * A consumed record that is not a valid event of the contract. The message names the attribute or
 * the payload field(s) and the rule broken, never a field value (values may be patient data), so it
 * is safe to log and to put in the {@code pathway-dlt-detail} header.
 */
public class InvalidEventException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Why a record was refused; also the value of the {@code pathway-dlt-reason} header. */
  public enum Reason {
    /** Not JSON, not a CloudEvent, no data, or a content type other than JSON. */
    MALFORMED,
    /** No {@code ce_type} header (binary mode) or {@code type} attribute (structured mode). */
    MISSING_TYPE,
    /** A {@code ce_type} that is not part of the contract, or not allowed on the topic. */
    UNKNOWN_TYPE,
    /** The data does not satisfy the JSON Schema of its type (including unknown codes). */
    SCHEMA_VIOLATION,
    /** The record is larger than {@link EventHeaders#MAX_EVENT_BYTES}. */
    OVERSIZED,
    /** No {@code ce_id}. */
    MISSING_ID
  }

  private final Reason reason;
  private final String ceType;
  private final String ceId;
  private final List<String> violations;

  public InvalidEventException(Reason reason, String message) {
    this(reason, message, null, null, List.of());
  }

  public InvalidEventException(Reason reason, String message, String ceType, String ceId, List<String> violations) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.ceType = ceType;
    this.ceId = ceId;
    this.violations = violations == null ? List.of() : List.copyOf(violations);
  }

  public Reason reason() {
    return reason;
  }

  /** The {@code ce_type} of the refused record when it had one (a contract type or not), else {@code null}. */
  public String ceType() {
    return ceType;
  }

  /** The {@code ce_id} of the refused record when it had one, else {@code null}. */
  public String ceId() {
    return ceId;
  }

  /** The field-level schema violations, one per entry, for {@link Reason#SCHEMA_VIOLATION}; else empty. */
  public List<String> violations() {
    return violations;
  }
}
