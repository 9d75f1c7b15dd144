package io.pathway.messaging.dlt;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pathway.messaging.config.MessagingProperties;
import io.pathway.model.Topics;
import io.pathway.model.envelope.DeadLetterHeaders;
import io.pathway.model.envelope.DeadLetterReason;
import io.pathway.model.envelope.InvalidEventException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer.HeaderNames.HeadersToAdd;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The error handler of every listener of both services.
 *
 * <ul>
 *   <li>A record the codec refused ({@link InvalidEventException}) or a service rejected
 *       ({@link RejectedEventException}) goes at once to {@code <topic>.DLT}, same partition.</li>
 *   <li>A failure while the database cannot be reached ({@link TransientFailures}) is retried with
 *       back-off for as long as it takes.</li>
 *   <li>Any other failure is retried a bounded number of times, then dead-lettered as
 *       {@link DeadLetterReason#PROCESSING_FAILED}.</li>
 * </ul>
 *
 * The record goes out unchanged, with {@code pathway-dlt-reason} (a {@link DeadLetterReason}),
 * {@code pathway-dlt-detail} (fields and rules, never values) and Spring Kafka's original-record and
 * exception-class headers; Spring's exception-message and stack-trace headers are left out, since a
 * database error's text can quote data. Before that, every {@link DeadLetterHook} runs; after it,
 * {@code pathway_dlt_records_total{topic,reason}} counts it.
 */
public final class DeadLetterErrorHandler {

  private static final Logger log = LoggerFactory.getLogger(DeadLetterErrorHandler.class);
  static final int MAX_DETAIL = 1000;

  private DeadLetterErrorHandler() {}

  public static DefaultErrorHandler create(DeadLetterProducer producer, MessagingProperties.DeadLetter settings,
      MeterRegistry meters, Supplier<List<DeadLetterHook>> hooks) {
    DeadLetterPublishingRecoverer dlt = new DeadLetterPublishingRecoverer(producer.template(),
        (record, ex) -> new TopicPartition(Topics.dlt(record.topic()), record.partition()));
    dlt.excludeHeader(HeadersToAdd.EX_MSG, HeadersToAdd.EX_STACKTRACE);
    dlt.setHeadersFunction((record, ex) -> {
      Verdict why = verdict(ex);
      RecordHeaders headers = new RecordHeaders();
      headers.add(DeadLetterHeaders.REASON, why.reason().name().getBytes(StandardCharsets.UTF_8));
      headers.add(DeadLetterHeaders.DETAIL, why.detail().getBytes(StandardCharsets.UTF_8));
      return headers;
    });
    dlt.setFailIfSendResultIsError(true);

    ExponentialBackOffWithMaxRetries bounded = new ExponentialBackOffWithMaxRetries(settings.retries());
    bounded.setInitialInterval(settings.initialInterval().toMillis());
    bounded.setMultiplier(2);
    bounded.setMaxInterval(settings.maxInterval().toMillis());

    DefaultErrorHandler handler = new DefaultErrorHandler((record, ex) -> {
      Verdict why = verdict(ex);
      hooks.get().forEach(h -> h.beforeDeadLetter(record, why.reason()));
      dlt.accept(record, ex); // throws when the DLT did not take it: the record is then tried again, never skipped
      Counter.builder("pathway_dlt_records_total").description("Records sent to a dead-letter topic")
          .tag("topic", record.topic()).tag("reason", why.reason().name()).register(meters).increment();
      log.warn("Record {}-{}@{} sent to {}: {} ({})", record.topic(), record.partition(), record.offset(),
          Topics.dlt(record.topic()), why.reason(), why.detail());
    }, bounded);
    handler.addNotRetryableExceptions(InvalidEventException.class, RejectedEventException.class);
    handler.setBackOffFunction((ConsumerRecord<?, ?> record, Exception ex) -> {
      if (TransientFailures.databaseUnreachable(ex)) {
        ExponentialBackOff untilBack = new ExponentialBackOff(settings.downInterval().toMillis(), 2);
        untilBack.setMaxInterval(settings.downMaxInterval().toMillis());
        return untilBack;
      }
      return null;
    });
    handler.setResetStateOnExceptionChange(true);
    handler.setLogLevel(KafkaException.Level.DEBUG);
    return handler;
  }

  /** Why a record is dead-lettered, in words safe for headers and logs. */
  public record Verdict(DeadLetterReason reason, String detail) {}

  public static Verdict verdict(Throwable ex) {
    Throwable root = ex;
    int depth = 0;
    for (Throwable t = ex; t != null && depth < 32; t = t.getCause() == t ? null : t.getCause(), depth++) {
      if (t instanceof RejectedEventException rejected) {
        return new Verdict(rejected.reason(), truncate(rejected.getMessage()));
      }
      if (t instanceof InvalidEventException invalid) {
        return new Verdict(DeadLetterReason.of(invalid.reason()), truncate(invalid.getMessage()));
      }
      root = t;
    }
    // the class only: a message of a failure in processing may quote data
    return new Verdict(DeadLetterReason.PROCESSING_FAILED, "processing failed with " + root.getClass().getName());
  }

  private static String truncate(String s) {
    return s == null ? "" : s.length() > MAX_DETAIL ? s.substring(0, MAX_DETAIL) : s;
  }
}
