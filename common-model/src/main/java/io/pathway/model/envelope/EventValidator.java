package io.pathway.model.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.pathway.model.EventTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Validates event data against the JSON Schema (draft 2020-12) of its {@code ce_type}, loaded from
 * {@code schemas/<ce_type>.schema.json} on the classpath. Thread-safe; create once and share.
 */
public final class EventValidator {

  /** Classpath folder of the schemas. */
  public static final String SCHEMA_FOLDER = "schemas/";

  private static final String SCHEMA_SUFFIX = ".schema.json";
  private static final String MASK = "<value>";

  private final Map<String, JsonSchema> schemas;

  private EventValidator(Map<String, JsonSchema> schemas) {
    this.schemas = Map.copyOf(schemas);
  }

  /** Loads the schema of every type in {@link EventTypes#all()}; fails if one is missing. */
  public static EventValidator create() {
    JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
        .pathType(PathType.JSON_PATH)
        .formatAssertionsEnabled(true)
        .locale(Locale.ENGLISH)
        .build();
    Map<String, JsonSchema> schemas = new LinkedHashMap<>();
    for (String type : EventTypes.all()) {
      schemas.put(type, load(factory, config, type));
    }
    return new EventValidator(schemas);
  }

  /** The classpath resource of the schema of {@code ceType}. */
  public static String schemaResource(String ceType) {
    return SCHEMA_FOLDER + ceType + SCHEMA_SUFFIX;
  }

  private static JsonSchema load(JsonSchemaFactory factory, SchemaValidatorsConfig config, String type) {
    String resource = schemaResource(type);
    try (InputStream in = EventValidator.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("No JSON Schema on the classpath for event type " + type + " (" + resource + ")");
      }
      JsonSchema schema = factory.getSchema(in, config);
      schema.initializeValidators();
      return schema;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + resource, e);
    }
  }

  /**
   * Validates {@code data} against the schema of {@code ceType}.
   *
   * @return the violations, each naming the field (as a JSON path such as {@code $.steroidTreatment.kind})
   *     and the rule, never the value; empty when valid
   */
  public List<String> validate(String ceType, JsonNode data) {
    JsonSchema schema = ceType == null ? null : schemas.get(ceType);
    if (schema == null) {
      return List.of("ce_type: not an event type of the contract");
    }
    if (data == null) {
      return List.of("$: data missing");
    }
    Set<ValidationMessage> messages = schema.validate(data);
    return messages.stream()
        .sorted(Comparator.comparing((ValidationMessage m) -> m.getInstanceLocation().toString())
            .thenComparing(ValidationMessage::getMessage))
        .map(EventValidator::withoutValue)
        .distinct()
        .toList();
  }

  /**
   * The validator's messages name the path, the keyword's arguments and the schema, not the instance;
   * as a second line of defence any text of the offending value that still appears is masked.
   */
  private static String withoutValue(ValidationMessage message) {
    String text = message.getMessage();
    JsonNode value = message.getInstanceNode();
    if (value != null && value.isValueNode() && !value.isNull()) {
      String raw = value.asText();
      String path = message.getInstanceLocation().toString();
      if (raw.length() >= 3 && text.startsWith(path)) {
        String rest = text.substring(path.length());
        if (rest.contains(raw)) {
          text = path + rest.replace(raw, MASK);
        }
      }
    }
    return text;
  }
}
