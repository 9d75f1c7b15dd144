package io.pathway.model.envelope;

/** The CloudEvents Kafka binding as the contract uses it: header names, content types and size limits. */
public final class EventHeaders {

  /** The largest record (value plus headers) the platform accepts, in bytes. */
  public static final int MAX_EVENT_BYTES = 64 * 1024;

  /** The longest {@code ce_id} accepted (consumers store it to deduplicate). */
  public static final int MAX_ID_LENGTH = 128;

  /** Content type of the data (binary mode). */
  public static final String JSON = "application/json";

  /** Content type of a structured-mode record. */
  public static final String CLOUDEVENTS_JSON = "application/cloudevents+json";

  /** Kafka header names of the binary mode. */
  public static final String HEADER_ID = "ce_id";
  public static final String HEADER_SOURCE = "ce_source";
  public static final String HEADER_TYPE = "ce_type";
  public static final String HEADER_SPECVERSION = "ce_specversion";
  public static final String HEADER_TIME = "ce_time";
  public static final String HEADER_SUBJECT = "ce_subject";
  public static final String HEADER_CONTENT_TYPE = "content-type";

  private EventHeaders() {}
}
