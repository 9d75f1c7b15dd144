package io.pathway.service.redflag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pathway.messaging.dlt.DeadLetterHook;
import io.pathway.messaging.inbox.ProcessedEvents;
import io.pathway.model.EventTypes;
import io.pathway.model.Topics;
import io.pathway.model.codes.AlertType;
import io.pathway.model.codes.RedFlag;
import io.pathway.model.codes.Severity;
import io.pathway.model.envelope.DeadLetterReason;
import io.pathway.service.records.Alerts;
import io.pathway.service.records.PathwayRegistry;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The safety net under validation. The one place that decides whether a record is a red-flag report
 * (on any inbound topic: a red-flag type, or data that name a flag or list red flags), read from its
 * content as leniently as the bytes allow. When such a record cannot be fully accepted (malformed,
 * schema failure, unknown code, two patients named, processing failed), it still goes to its DLT, and a
 * CRITICAL {@code UNREADABLE_RED_FLAG} alert goes out first for the patient of the record key, and for
 * the payload's patient too when it names another, once per record, saying only what could be read: a
 * known flag code, the reason code and the other reference, never its text.
 */
@Component
class UnreadableRedFlags implements DeadLetterHook {

  private static final Logger log = LoggerFactory.getLogger(UnreadableRedFlags.class);
  private static final Pattern REFERENCE = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$");
  private static final Pattern LISTS_RED_FLAGS = Pattern.compile("\"redFlags\"\\s*:\\s*\\[\\s*[^\\]\\s]");
  private static final Pattern NAMES_A_FLAG = Pattern.compile("\"flag\"\\s*:");

  /** What could be read of a red-flag report: the patients it names (one, or two when key and payload differ). */
  record Report(List<String> patientRefs, RedFlag flag) {}

  private final ObjectMapper json = new ObjectMapper();
  private final Alerts alerts;
  private final PathwayRegistry registry;
  private final ProcessedEvents processed;
  private final TransactionTemplate tx;
  private final MeterRegistry meters;

  UnreadableRedFlags(Alerts alerts, PathwayRegistry registry, ProcessedEvents processed, TransactionTemplate tx,
      MeterRegistry meters) {
    this.alerts = alerts;
    this.registry = registry;
    this.processed = processed;
    this.tx = tx;
    this.meters = meters;
  }

  @Override
  public void beforeDeadLetter(ConsumerRecord<?, ?> record, DeadLetterReason reason) {
    Optional<Report> report = classify(record);
    if (report.isEmpty()) {
      return;
    }
    RedFlag flag = report.get().flag();
    List<String> patients = report.get().patientRefs();
    tx.executeWithoutResult(status -> {
      // once per record, also when the DLT publish fails and the record comes round again
      String claim = "unreadable-red-flag:" + record.topic() + "-" + record.partition() + "@" + record.offset();
      if (!processed.claim(claim, AlertType.UNREADABLE_RED_FLAG.name(), record.topic())) {
        return;
      }
      for (String patientRef : patients) {
        String pathwayId = "UNKNOWN".equals(patientRef) ? null
            : registry.activeFor(patientRef).map(PathwayRegistry.PathwayRef::pathwayId).orElse(null);
        String other = patients.stream().filter(p -> !p.equals(patientRef)).findFirst().orElse(null);
        String message = "A red-flag report could not be accepted (" + reason + ")"
            + (flag == null ? "" : ": " + flag.name() + (flag.caudaEquina() ? ", a sign of cauda equina syndrome" : ""))
            + (other == null ? "" : ". The record names this patient and patient " + other + " (its key and its payload differ)")
            + ". The record is in " + Topics.dlt(record.topic()) + ". Assess the patient at once.";
        alerts.raise(pathwayId, patientRef, Severity.CRITICAL, AlertType.UNREADABLE_RED_FLAG, message);
      }
      processed.recordOutcome(claim, "ALERTED", null);
    });
    Counter.builder("pathway_unreadable_red_flags_total").tag("topic", record.topic()).tag("reason", reason.name())
        .register(meters).increment();
    log.warn("Unreadable red-flag report {}-{}@{} ({}): CRITICAL alert raised", record.topic(), record.partition(), record.offset(), reason);
  }

  /**
   * Whether the record is a red-flag report, and what of it could be read: on any inbound topic, a
   * red-flag type (the {@code ce_type} header, or the {@code type} of a structured CloudEvent, recognised by
   * its content whatever its {@code content-type} says), or data that name a flag ({@code flag}) or list red
   * flags ({@code redFlags}), whatever type they came under; unparseable bytes are searched as text.
   */
  Optional<Report> classify(ConsumerRecord<?, ?> record) {
    if (!EventTypes.INBOUND_TOPICS.contains(record.topic())) {
      return Optional.empty();
    }
    byte[] value = record.value() instanceof byte[] b ? b : null;
    String text = value == null ? "" : new String(value, StandardCharsets.UTF_8);
    JsonNode body = parse(text);
    String type = header(record, "ce_type");
    JsonNode data = body;
    if (body != null && (isCloudEventsJson(contentType(record)) || (body.has("specversion") && body.has("type")))) {
      type = body.path("type").asText(type);
      data = body.path("data").isObject() ? body.path("data") : null;
    }
    RedFlag flag = null;
    boolean redFlag = EventTypes.RED_FLAG_RAISED.equals(type);
    if (data != null) {
      flag = code(data.path("flag").asText(null));
      redFlag |= data.has("flag");
      JsonNode listed = data.path("redFlags");
      if (listed.isArray()) {
        redFlag |= !listed.isEmpty();
        for (JsonNode n : listed) {
          RedFlag f = code(n.asText(null));
          if (f != null && (flag == null || (f.caudaEquina() && !flag.caudaEquina()))) {
            flag = f;
          }
        }
      } else if (!listed.isMissingNode() && !listed.isNull()) {
        redFlag = true; // a red-flag list in an unreadable shape
      }
    } else {
      redFlag |= NAMES_A_FLAG.matcher(text).find() || LISTS_RED_FLAGS.matcher(text).find();
    }
    if (!redFlag) {
      return Optional.empty();
    }
    return Optional.of(new Report(patientRefs(record, data), flag));
  }

  /** The patients the record names: its key and its payload's patientRef, both when they differ. */
  private static List<String> patientRefs(ConsumerRecord<?, ?> record, JsonNode data) {
    Set<String> refs = new LinkedHashSet<>();
    Object key = record.key();
    if (key != null && REFERENCE.matcher(key.toString()).matches()) {
      refs.add(key.toString());
    }
    String inPayload = data == null ? null : data.path("patientRef").asText(null);
    if (inPayload != null && REFERENCE.matcher(inPayload).matches()) {
      refs.add(inPayload);
    }
    return refs.isEmpty() ? List.of("UNKNOWN") : List.copyOf(refs);
  }

  private static RedFlag code(String text) {
    if (text == null) {
      return null;
    }
    for (RedFlag f : RedFlag.values()) {
      if (f.name().equals(text)) {
        return f;
      }
    }
    return null; // an unknown code is free text from the sender: never echoed
  }

  private JsonNode parse(String text) {
    try {
      JsonNode n = json.readTree(text);
      return n != null && n.isObject() ? n : null;
    } catch (Exception malformed) {
      return null;
    }
  }

  /** A header by name, whatever its case ({@code content-type}, {@code Content-Type}). */
  private static String header(ConsumerRecord<?, ?> record, String name) {
    String found = null;
    for (Header h : record.headers()) {
      if (h.key().equalsIgnoreCase(name) && h.value() != null) {
        found = new String(h.value(), StandardCharsets.UTF_8);
      }
    }
    return found;
  }

  private static boolean isCloudEventsJson(String contentType) {
    return contentType != null && contentType.startsWith("application/cloudevents");
  }

  private static String contentType(ConsumerRecord<?, ?> record) {
    String ct = header(record, "content-type");
    if (ct == null) {
      ct = header(record, "content_type");
    }
    return ct == null ? null : ct.split(";")[0].trim().toLowerCase(java.util.Locale.ROOT);
  }
}
