package io.pathway.notification.intake;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pathway.model.Topics;
import io.pathway.model.envelope.DeadLetterHeaders;
import io.pathway.model.envelope.InvalidEventException;
import io.pathway.notification.NotificationProperties;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer.HeaderNames.HeadersToAdd;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Error handling of the listeners. A record the codec refuses is not retried: it goes at once to
 * {@code <topic>.DLT}, unchanged, with {@code pathway-dlt-reason} and {@code pathway-dlt-detail}
 * headers (no values, so no patient data), is counted in {@code pathway_dlt_records_total{topic}}
 * and logged; the partition goes on. A valid record whose processing fails is retried a few times
 * and then dead-lettered as {@code PROCESSING_FAILED}; while the database is unreachable it is
 * retried with back-off for as long as it takes, since giving up would lose a notification.
 */
@Configuration(proxyBeanMethods = false)
class KafkaIntakeConfiguration {

  private static final Logger log = LoggerFactory.getLogger(KafkaIntakeConfiguration.class);

  @Bean
  DefaultErrorHandler kafkaErrorHandler(DeadLetterProducer producer, MeterRegistry meters) {
    DeadLetterPublishingRecoverer dlt = new DeadLetterPublishingRecoverer(producer.template(),
        (record, ex) -> new TopicPartition(Topics.dlt(record.topic()), record.partition()));
    // The default exception headers carry messages and stack traces, which may quote values: leave them out.
    dlt.excludeHeader(HeadersToAdd.EX_MSG, HeadersToAdd.EX_STACKTRACE);
    dlt.setHeadersFunction((record, ex) -> deadLetterHeaders(ex));

    DefaultErrorHandler handler = new DefaultErrorHandler((record, ex) -> {
      dlt.accept(record, ex); // throws if the DLT did not take it: the record is then retried, never skipped
      DeadLetter why = DeadLetter.of(ex);
      Counter.builder("pathway.dlt.records").description("Records sent to a dead-letter topic")
          .tag("topic", record.topic()).register(meters).increment();
      log.warn("Record {}-{}@{} sent to {}: {} ({})", record.topic(), record.partition(), record.offset(),
          Topics.dlt(record.topic()), why.reason(), why.detail());
    }, new FixedBackOff(1000, 2));
    handler.addNotRetryableExceptions(InvalidEventException.class);
    BackOff untilTheDatabaseIsBack = untilBack();
    handler.setBackOffFunction((record, ex) -> isTransient(ex) ? untilTheDatabaseIsBack : null);
    return handler;
  }

  @Bean
  KafkaAdmin.NewTopics notificationTopics(NotificationProperties properties) {
    NotificationProperties.Topics t = properties.topics();
    if (!t.create()) {
      return new KafkaAdmin.NewTopics();
    }
    List<NewTopic> topics = new ArrayList<>();
    for (String topic : List.of(Topics.REFERRALS, Topics.ALERTS)) {
      topics.add(TopicBuilder.name(topic).partitions(t.partitions()).replicas(t.replication()).build());
      topics.add(TopicBuilder.name(Topics.dlt(topic)).partitions(t.partitions()).replicas(t.replication()).build());
    }
    topics.add(TopicBuilder.name(Topics.NOTIFICATION_DELIVERIES).partitions(t.partitions()).replicas(t.replication()).build());
    return new KafkaAdmin.NewTopics(topics.toArray(NewTopic[]::new));
  }

  private static ExponentialBackOff untilBack() {
    ExponentialBackOff b = new ExponentialBackOff(1000, 2);
    b.setMaxInterval(30_000);
    return b;
  }

  static boolean isTransient(Throwable ex) {
    for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof TransientDataAccessException || t instanceof RecoverableDataAccessException
          || t instanceof DataAccessResourceFailureException || t instanceof CannotCreateTransactionException) {
        return true;
      }
    }
    return false;
  }

  private static Headers deadLetterHeaders(Exception ex) {
    DeadLetter why = DeadLetter.of(ex);
    RecordHeaders headers = new RecordHeaders();
    headers.add(DeadLetterHeaders.REASON, why.reason().getBytes(StandardCharsets.UTF_8));
    headers.add(DeadLetterHeaders.DETAIL, why.detail().getBytes(StandardCharsets.UTF_8));
    return headers;
  }

  /** Why a record is dead-lettered, in words safe to log and to put in headers. */
  record DeadLetter(String reason, String detail) {
    static DeadLetter of(Throwable ex) {
      for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
        if (t instanceof InvalidEventException invalid) {
          return new DeadLetter(invalid.reason().name(), String.valueOf(invalid.getMessage()));
        }
      }
      Throwable root = ex;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      return new DeadLetter(DeadLetterHeaders.PROCESSING_FAILED, "processing failed with " + root.getClass().getName());
    }
  }

}
