package io.pathway.model.envelope;

import static io.pathway.model.envelope.EventHeaders.CLOUDEVENTS_JSON;
import static io.pathway.model.envelope.EventHeaders.HEADER_CONTENT_TYPE;
import static io.pathway.model.envelope.EventHeaders.HEADER_ID;
import static io.pathway.model.envelope.EventHeaders.HEADER_SOURCE;
import static io.pathway.model.envelope.EventHeaders.HEADER_SPECVERSION;
import static io.pathway.model.envelope.EventHeaders.HEADER_TYPE;
import static io.pathway.model.envelope.EventHeaders.JSON;
import static io.pathway.model.envelope.EventHeaders.MAX_EVENT_BYTES;
import static io.pathway.model.envelope.EventHeaders.MAX_ID_LENGTH;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.core.message.MessageReader;
import io.cloudevents.jackson.JsonCloudEventData;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.cloudevents.rw.CloudEventRWException;
import io.pathway.model.EventCatalog;
import io.pathway.model.EventTypes;
import io.pathway.model.envelope.InvalidEventException.Reason;
import io.pathway.model.events.PathwayEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Reads consumed CloudEvents Kafka records (binary or structured mode): checks the attributes and the size, validates
 * the data against the JSON Schema of its type and maps it to its Java type, or refuses the record with an
 * {@link InvalidEventException} that says why. Thread-safe; create once and share.
 */
public final class EventReader {

  private final ObjectMapper mapper;
  private final EventValidator validator;

  EventReader(ObjectMapper mapper, EventValidator validator) {
    this.mapper = mapper;
    this.validator = validator;
  }

  /** A reader with its own {@link ObjectMapper} and the contract's schemas. */
  public static EventReader create() {
    return new EventReader(ContractJson.newObjectMapper(), EventValidator.create());
  }

  public ObjectMapper objectMapper() {
    return mapper;
  }

  /**
   * Decodes a consumed record and checks that its type is allowed on its topic when the topic is one
   * of the contract (see {@link EventTypes#allowedOn}).
   */
  public EventEnvelope decode(ConsumerRecord<?, byte[]> record) throws InvalidEventException {
    Objects.requireNonNull(record, "record");
    EventEnvelope envelope = decode(record.headers(), record.value());
    String topic = record.topic();
    if (topic != null && EventTypes.BY_TOPIC.containsKey(topic) && !EventTypes.acceptedOn(topic, envelope.type())) {
      throw new InvalidEventException(Reason.UNKNOWN_TYPE,
          "ce_type: " + envelope.type() + " is not allowed on topic " + topic, envelope.type(), envelope.id(), List.of());
    }
    return envelope;
  }

  /**
   * Decodes a record in binary or structured mode ({@code content-type: application/cloudevents+json})
   * with the CloudEvents SDK, validates the data against the JSON Schema of its {@code ce_type} and
   * maps it to its Java type.
   *
   * @throws InvalidEventException with the reason and a message naming the attribute or fields (never values)
   */
  public EventEnvelope decode(Headers headers, byte[] value) throws InvalidEventException {
    Headers safeHeaders = headers == null ? new RecordHeaders() : headers;
    if (value == null || value.length == 0) {
      throw new InvalidEventException(Reason.MALFORMED, "value: empty record");
    }
    if (sizeOf(safeHeaders, value) > MAX_EVENT_BYTES) {
      throw new InvalidEventException(Reason.OVERSIZED, "record: larger than " + MAX_EVENT_BYTES + " bytes");
    }
    String contentType = contentType(safeHeaders);
    boolean structured = contentType != null ? contentType.toLowerCase(Locale.ROOT).startsWith("application/cloudevents")
        : header(safeHeaders, HEADER_TYPE) == null && looksStructured(value);
    if (structured) {
      // read by the SDK under the header name and value it expects (absent, capitalised or with parameters here)
      safeHeaders = withContentType(safeHeaders, CLOUDEVENTS_JSON);
    }
    Attributes attributes = structured ? structuredAttributes(value) : binaryAttributes(safeHeaders);
    String type = attributes.type();
    String id = attributes.id();
    if (isBlank(type)) {
      throw new InvalidEventException(Reason.MISSING_TYPE, attributes.typeName() + ": missing", null, id, List.of());
    }
    Class<? extends PathwayEvent> payloadType = EventCatalog.payloadType(type).orElseThrow(() ->
        new InvalidEventException(Reason.UNKNOWN_TYPE,
            attributes.typeName() + ": not an event type of the contract", printable(type), id, List.of()));
    if (isBlank(id)) {
      throw new InvalidEventException(Reason.MISSING_ID, attributes.idName() + ": missing", type, null, List.of());
    }
    if (id.length() > MAX_ID_LENGTH || id.chars().anyMatch(Character::isISOControl)) {
      throw malformed(attributes.idName() + ": longer than " + MAX_ID_LENGTH + " characters or with control characters", type, null);
    }

    CloudEvent event = readCloudEvent(safeHeaders, value, structured, type, id);
    if (event.getDataContentType() != null && !isJson(event.getDataContentType())) {
      throw malformed("datacontenttype: not JSON", type, id);
    }
    JsonNode data = dataOf(event, type, id);
    List<String> violations = validator.validate(type, data);
    if (!violations.isEmpty()) {
      throw new InvalidEventException(Reason.SCHEMA_VIOLATION, String.join("; ", violations), type, id, violations);
    }
    PathwayEvent payload;
    try {
      payload = mapper.treeToValue(data, payloadType);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new InvalidEventException(Reason.SCHEMA_VIOLATION, "data: cannot be mapped to " + payloadType.getSimpleName()
          + " at " + pathOf(e), type, id, List.of());
    }
    return new EventEnvelope(id, type, event.getSource(), event.getSubject(), event.getTime(), payload);
  }

  private record Attributes(String id, String type, boolean structured) {
    String typeName() {
      return structured ? "type" : HEADER_TYPE;
    }

    String idName() {
      return structured ? "id" : HEADER_ID;
    }
  }

  private static Attributes binaryAttributes(Headers headers) {
    return new Attributes(header(headers, HEADER_ID), header(headers, HEADER_TYPE), false);
  }

  private Attributes structuredAttributes(byte[] value) throws InvalidEventException {
    JsonNode node = parse(value, "value", null, null);
    if (!node.isObject()) {
      throw malformed("value: a structured CloudEvent must be a JSON object", null, null);
    }
    return new Attributes(textOf(node.get("id")), textOf(node.get("type")), true);
  }

  private static CloudEvent readCloudEvent(Headers headers, byte[] value, boolean structured, String type, String id)
      throws InvalidEventException {
    if (!structured && isBlank(header(headers, HEADER_SOURCE))) {
      throw malformed(HEADER_SOURCE + ": missing", type, id);
    }
    if (!structured && isBlank(header(headers, HEADER_SPECVERSION))) {
      throw malformed(HEADER_SPECVERSION + ": missing", type, id);
    }
    try {
      MessageReader reader = KafkaMessageFactory.createReader(headers, value);
      return reader.toEvent();
    } catch (CloudEventRWException e) {
      throw malformed("not a valid CloudEvent (" + (structured ? "structured" : "binary") + " mode): " + e.getKind(), type, id);
    } catch (RuntimeException e) {
      throw malformed("not a valid CloudEvent (" + (structured ? "structured" : "binary") + " mode): "
          + e.getClass().getSimpleName(), type, id);
    }
  }

  private JsonNode dataOf(CloudEvent event, String type, String id) throws InvalidEventException {
    CloudEventData data = event.getData();
    if (data == null) {
      throw malformed("data: missing", type, id);
    }
    if (data instanceof JsonCloudEventData json) {
      return json.getNode();
    }
    return parse(data.toBytes(), "data", type, id);
  }

  private JsonNode parse(byte[] bytes, String what, String type, String id) throws InvalidEventException {
    try {
      JsonNode node = mapper.readTree(bytes);
      if (node == null || node.isMissingNode()) {
        throw malformed(what + ": empty", type, id);
      }
      return node;
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw malformed(what + ": malformed JSON" + where, type, id);
    } catch (IOException e) {
      throw malformed(what + ": unreadable", type, id);
    }
  }

  private static String pathOf(Exception e) {
    if (e instanceof com.fasterxml.jackson.databind.JsonMappingException mapping) {
      StringBuilder path = new StringBuilder("$");
      for (var ref : mapping.getPath()) {
        if (ref.getFieldName() != null) {
          path.append('.').append(ref.getFieldName());
        } else if (ref.getIndex() >= 0) {
          path.append('[').append(ref.getIndex()).append(']');
        }
      }
      return path.toString();
    }
    return "$";
  }

  private static InvalidEventException malformed(String message, String type, String id) {
    return new InvalidEventException(Reason.MALFORMED, message, type, id, List.of());
  }

  /** The content type, whatever the case of the header's name ({@code content-type}, {@code Content-Type}, ...). */
  private static String contentType(Headers headers) {
    String found = null;
    for (Header h : headers) {
      if (h.key().equalsIgnoreCase(HEADER_CONTENT_TYPE) && h.value() != null) {
        found = new String(h.value(), StandardCharsets.UTF_8);
      }
    }
    return found;
  }

  /**
   * A record without a content type and without {@code ce_type} whose value is a JSON object with the
   * attributes of a CloudEvent ({@code specversion}, {@code type}, {@code id}): a structured CloudEvent.
   */
  private boolean looksStructured(byte[] value) {
    try {
      JsonNode node = mapper.readTree(value);
      return node != null && node.isObject() && node.hasNonNull("specversion") && node.hasNonNull("type") && node.has("id");
    } catch (IOException notJson) {
      return false;
    }
  }

  private static Headers withContentType(Headers headers, String contentType) {
    RecordHeaders copy = new RecordHeaders();
    for (Header h : headers) {
      if (!h.key().equalsIgnoreCase(HEADER_CONTENT_TYPE)) {
        copy.add(h);
      }
    }
    copy.add(HEADER_CONTENT_TYPE, contentType.getBytes(StandardCharsets.UTF_8));
    return copy;
  }

  private static long sizeOf(Headers headers, byte[] value) {
    long size = value.length;
    for (Header header : headers) {
      size += header.key().length() + (header.value() == null ? 0 : header.value().length);
    }
    return size;
  }

  private static String header(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static String textOf(JsonNode node) {
    return node == null || !node.isTextual() ? null : node.asText();
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  private static boolean isJson(String contentType) {
    String ct = contentType.toLowerCase(Locale.ROOT);
    return ct.startsWith(JSON) || ct.contains("+json");
  }

  /** A type that is not in the contract, shortened and reduced to safe characters before it is kept. */
  private static String printable(String type) {
    String cleaned = type.replaceAll("[^A-Za-z0-9._-]", "_");
    return cleaned.length() > 100 ? cleaned.substring(0, 100) : cleaned;
  }
}
