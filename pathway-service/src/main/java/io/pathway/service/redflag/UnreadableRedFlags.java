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
import io.pathway.service.alert.Alerts;
import io.pathway.service.registry.PathwayRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The safety net under validation. The one place that decides whether a record is a red-flag report
 * (a red-flag {@code ce_type} on hospital.clinical-observations, or an enrolment whose payload lists
 * red flags), read as leniently as the bytes allow. When such a record cannot be fully accepted
 * (malformed, schema failure, unknown code, processing failed), it still goes to its DLT, and a
 * CRITICAL {@code UNREADABLE_RED_FLAG} alert goes out first for the patient of the record key, once per
 * record, saying only what could be read: a known flag code and the reason code, never its text.
 */
@Component
class UnreadableRedFlags implements DeadLetterHook {

  private static final Logger log = LoggerFactory.getLogger(UnreadableRedFlags.class);
  private static final Pattern REFERENCE = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$");
  private static final Pattern LISTS_RED_FLAGS = Pattern.compile("\"redFlags\"\\s*:\\s*\\[\\s*[^\\]\\s]");
  private static final Pattern NAMES_A_FLAG = Pattern.compile("\"flag\"\\s*:");
  private static final String CLOUDEVENTS_JSON = "application/cloudevents+json";

  /** What could be read of a red-flag report. */
  record Report(String patientRef, RedFlag flag) {}

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
    String patientRef = report.get().patientRef();
    RedFlag flag = report.get().flag();
    tx.executeWithoutResult(status -> {
      // once per record, also when the DLT publish fails and the record comes round again
      String claim = "unreadable-red-flag:" + record.topic() + "-" + record.partition() + "@" + record.offset();
      if (!processed.claim(claim, AlertType.UNREADABLE_RED_FLAG.name(), record.topic())) {
        return;
      }
      String pathwayId = "UNKNOWN".equals(patientRef) ? null
          : registry.activeFor(patientRef).map(PathwayRegistry.PathwayRef::pathwayId).orElse(null);
      String message = "A red-flag report could not be accepted (" + reason + ")"
          + (flag == null ? "" : ": " + flag.name() + (flag.caudaEquina() ? ", a sign of cauda equina syndrome" : ""))
          + ". The record is in " + Topics.dlt(record.topic()) + ". Assess the patient at once.";
      alerts.raise(pathwayId, patientRef, Severity.CRITICAL, AlertType.UNREADABLE_RED_FLAG, message);
      processed.recordOutcome(claim, "ALERTED", pathwayId);
    });
    Counter.builder("pathway_unreadable_red_flags_total").tag("topic", record.topic()).tag("reason", reason.name())
        .register(meters).increment();
    log.warn("Unreadable red-flag report {}-{}@{} ({}): CRITICAL alert raised", record.topic(), record.partition(), record.offset(), reason);
  }

  /** Whether the record is a red-flag report, and what of it could be read. */
  Optional<Report> classify(ConsumerRecord<?, ?> record) {
    byte[] value = record.value() instanceof byte[] b ? b : null;
    String text = value == null ? "" : new String(value, StandardCharsets.UTF_8);
    JsonNode body = parse(text);
    String type = header(record, "ce_type");
    JsonNode data = body;
    if (CLOUDEVENTS_JSON.equals(contentType(record)) && body != null) {
      type = body.path("type").asText(null);
      data = body.path("data").isObject() ? body.path("data") : null;
    }
    boolean redFlag;
    RedFlag flag = null;
    if (Topics.CLINICAL_OBSERVATIONS.equals(record.topic())) {
      redFlag = EventTypes.RED_FLAG_RAISED.equals(type)
          || (!EventTypes.FOLLOW_UP_RECORDED.equals(type) && (data != null ? data.has("flag") : NAMES_A_FLAG.matcher(text).find()));
      flag = data == null ? null : code(data.path("flag").asText(null));
    } else if (Topics.PATHWAY_ENROLMENTS.equals(record.topic())) {
      boolean enrolment = type == null || EventTypes.ENROLMENT_REQUESTED.equals(type);
      JsonNode listed = data == null ? null : data.path("redFlags");
      redFlag = enrolment && (listed != null && listed.isArray() ? !listed.isEmpty() : LISTS_RED_FLAGS.matcher(text).find());
      if (listed != null && listed.isArray()) {
        for (JsonNode n : listed) {
          RedFlag f = code(n.asText(null));
          if (f != null && (flag == null || (f.caudaEquina() && !flag.caudaEquina()))) {
            flag = f;
          }
        }
      }
    } else {
      redFlag = false;
    }
    if (!redFlag) {
      return Optional.empty();
    }
    return Optional.of(new Report(patientRef(record, data), flag));
  }

  private static String patientRef(ConsumerRecord<?, ?> record, JsonNode data) {
    Object key = record.key();
    if (key != null && REFERENCE.matcher(key.toString()).matches()) {
      return key.toString();
    }
    String inPayload = data == null ? null : data.path("patientRef").asText(null);
    return inPayload != null && REFERENCE.matcher(inPayload).matches() ? inPayload : "UNKNOWN";
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

  private static String header(ConsumerRecord<?, ?> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static String contentType(ConsumerRecord<?, ?> record) {
    String ct = header(record, "content-type");
    if (ct == null) {
      ct = header(record, "content_type");
    }
    return ct == null ? null : ct.split(";")[0].trim().toLowerCase(java.util.Locale.ROOT);
  }
}
