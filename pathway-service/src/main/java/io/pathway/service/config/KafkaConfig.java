package io.pathway.service.config;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pathway.model.Topics;
import io.pathway.model.envelope.DeadLetterHeaders;
import io.pathway.model.envelope.EventCodec;
import io.pathway.service.inbound.RejectedEventException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLTransientException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Kafka wiring: the contract's codec, the topics (where the service may create them), and the
 * error handler every listener uses. A record that can never be processed goes to
 * {@code <topic>.DLT} at once with its reason; a failure that may pass (optimistic locking, the
 * database away) is retried with back-off, for as long as it takes when the database is down, so
 * nothing reaches the DLT just because an infrastructure piece restarted.
 */
@Configuration
class KafkaConfig {

  private static final Logger log = LoggerFactory.getLogger(KafkaConfig.class);

  @Bean
  EventCodec eventCodec() {
    return EventCodec.create();
  }

  @Bean
  DefaultErrorHandler kafkaErrorHandler(KafkaTemplate<String, byte[]> template, MeterRegistry meters, List<DeadLetterHook> hooks) {
    DeadLetterPublishingRecoverer dlt = new DeadLetterPublishingRecoverer(template,
        (record, ex) -> new TopicPartition(Topics.dlt(record.topic()), record.partition()));
    // the reason code and a field-level detail only: never Spring's exception message or stack trace
    dlt.excludeHeader(DeadLetterPublishingRecoverer.HeaderNames.HeadersToAdd.EX_MSG,
        DeadLetterPublishingRecoverer.HeaderNames.HeadersToAdd.EX_STACKTRACE);
    dlt.setHeadersFunction((record, ex) -> {
      String reason = reason(ex);
      Throwable cause = rootRejection(ex);
      String detail = cause instanceof RejectedEventException r ? r.getMessage() : cause.getClass().getSimpleName();
      Counter.builder("pathway_dlt_records_total").tag("topic", record.topic()).tag("reason", reason).register(meters).increment();
      log.warn("Record {}-{}@{} sent to {}: {} ({})", record.topic(), record.partition(), record.offset(),
          Topics.dlt(record.topic()), reason, detail);
      RecordHeaders headers = new RecordHeaders();
      headers.add(DeadLetterHeaders.REASON, reason.getBytes(StandardCharsets.UTF_8));
      headers.add(DeadLetterHeaders.DETAIL, truncate(detail).getBytes(StandardCharsets.UTF_8));
      return headers;
    });
    ExponentialBackOffWithMaxRetries bounded = new ExponentialBackOffWithMaxRetries(10);
    bounded.setInitialInterval(100);
    bounded.setMultiplier(2);
    bounded.setMaxInterval(5_000);
    ConsumerRecordRecoverer recoverer = (record, ex) -> {
      String reason = reason(ex);
      hooks.forEach(h -> h.beforeDeadLetter(record, reason));
      dlt.accept(record, ex);
    };
    DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, bounded);
    handler.addNotRetryableExceptions(RejectedEventException.class);
    handler.setBackOffFunction((record, ex) -> {
      if (infrastructureDown(ex)) {
        ExponentialBackOff untilBack = new ExponentialBackOff(500, 2);
        untilBack.setMaxInterval(30_000);
        return untilBack;
      }
      return null;
    });
    handler.setLogLevel(org.springframework.kafka.KafkaException.Level.DEBUG);
    return handler;
  }

  @Bean
  @ConditionalOnProperty(name = "pathway.topics.create", havingValue = "true", matchIfMissing = true)
  KafkaAdmin.NewTopics contractTopics(PathwayProperties properties) {
    var t = properties.topics();
    List<NewTopic> topics = new ArrayList<>();
    Topics.all().forEach(name -> topics.add(new NewTopic(name, t.partitions(), t.replication())));
    Topics.withDeadLetter().forEach(name -> topics.add(new NewTopic(Topics.dlt(name), t.partitions(), t.replication())));
    return new KafkaAdmin.NewTopics(topics.toArray(NewTopic[]::new));
  }

  static String reason(Throwable ex) {
    return rootRejection(ex) instanceof RejectedEventException r ? r.reason() : DeadLetterHeaders.PROCESSING_FAILED;
  }

  static Throwable rootRejection(Throwable ex) {
    Throwable t = ex;
    Throwable last = ex;
    while (t != null) {
      if (t instanceof RejectedEventException) {
        return t;
      }
      last = t;
      t = t.getCause();
    }
    return last;
  }

  /** A failure that goes away when the database comes back. */
  static boolean infrastructureDown(Throwable ex) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (t instanceof CannotCreateTransactionException || t instanceof DataAccessResourceFailureException
          || t instanceof SQLTransientException || t instanceof java.net.ConnectException) {
        return true;
      }
      if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
        return true;
      }
      if (t instanceof OptimisticLockingException || t instanceof ConcurrencyFailureException
          || t instanceof TransientDataAccessException) {
        return false;
      }
    }
    return false;
  }

  private static String truncate(String s) {
    return s == null ? "" : s.length() > 1000 ? s.substring(0, 1000) : s;
  }
}
