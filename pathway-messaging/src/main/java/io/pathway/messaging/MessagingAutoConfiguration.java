package io.pathway.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.pathway.messaging.config.MessagingProperties;
import io.pathway.messaging.config.MessagingSchema;
import io.pathway.messaging.dlt.DeadLetterErrorHandler;
import io.pathway.messaging.dlt.DeadLetterHook;
import io.pathway.messaging.dlt.DeadLetterProducer;
import io.pathway.messaging.inbox.ProcessedEvents;
import io.pathway.messaging.outbox.OutboxMetrics;
import io.pathway.messaging.outbox.OutboxRelay;
import io.pathway.messaging.outbox.OutboxSignal;
import io.pathway.messaging.outbox.OutboxWriter;
import io.pathway.messaging.retention.RetentionPurge;
import io.pathway.messaging.topics.ContractTopics;
import io.pathway.messaging.upkeep.TableUpkeep;
import io.pathway.messaging.upkeep.UpkeepProperties;
import io.pathway.model.envelope.EventCodec;
import io.pathway.model.envelope.EventReader;
import io.pathway.model.envelope.EventWriter;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.autoconfigure.kafka.KafkaAutoConfiguration;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.boot.autoconfigure.transaction.TransactionAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Wires the module into a service that sets {@code pathway.messaging.schema}: the contract's codec,
 * the outbox writer and relay, the processed-event table, the listeners' error handler with its
 * dead-letter producer, the declared topics, the retention purge and the table upkeep (while the server's
 * autovacuum is off).
 */
@AutoConfiguration(after = {KafkaAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
    DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class})
@ConditionalOnProperty("pathway.messaging.schema")
@EnableConfigurationProperties({MessagingProperties.class, UpkeepProperties.class})
public class MessagingAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  EventCodec eventCodec() {
    return EventCodec.create();
  }

  /** The codec's reader, for the code that only reads events. */
  @Bean
  @ConditionalOnMissingBean
  EventReader eventReader(EventCodec codec) {
    return codec.reader();
  }

  /** The codec's writer, for the code that only writes events. */
  @Bean
  @ConditionalOnMissingBean
  EventWriter eventWriter(EventCodec codec) {
    return codec.writer();
  }

  @Bean
  MessagingSchema messagingSchema(JdbcTemplate jdbc, MessagingProperties properties) {
    return new MessagingSchema(jdbc, properties);
  }

  @Bean
  OutboxSignal outboxSignal() {
    return new OutboxSignal();
  }

  @Bean
  OutboxWriter outboxWriter(JdbcTemplate jdbc, EventWriter codec, MessagingProperties properties, OutboxSignal signal) {
    return new OutboxWriter(jdbc, codec, properties, signal);
  }

  @Bean
  OutboxRelay outboxRelay(JdbcTemplate jdbc, PlatformTransactionManager transactions, KafkaTemplate<String, byte[]> kafka,
      EventWriter codec, MessagingProperties properties, OutboxSignal signal) {
    return new OutboxRelay(jdbc, new TransactionTemplate(transactions), kafka, codec, properties, signal);
  }

  @Bean
  MeterBinder outboxMetrics(JdbcTemplate jdbc, MessagingProperties properties) {
    return meters -> OutboxMetrics.register(meters, jdbc, properties);
  }

  @Bean
  ProcessedEvents processedEvents(JdbcTemplate jdbc, MessagingProperties properties) {
    return new ProcessedEvents(jdbc, properties);
  }

  @Bean
  DeadLetterProducer deadLetterProducer(KafkaProperties kafka) {
    return new DeadLetterProducer(kafka.buildProducerProperties(null));
  }

  @Bean
  @ConditionalOnMissingBean(CommonErrorHandler.class)
  DefaultErrorHandler kafkaErrorHandler(DeadLetterProducer producer, MessagingProperties properties, MeterRegistry meters,
      ObjectProvider<DeadLetterHook> hooks) {
    return DeadLetterErrorHandler.create(producer, properties.deadLetter(), meters, () -> hooks.orderedStream().toList());
  }

  @Bean
  @ConditionalOnProperty(name = "pathway.messaging.topics.create", havingValue = "true", matchIfMissing = true)
  KafkaAdmin.NewTopics contractTopics(MessagingProperties properties) {
    return ContractTopics.of(properties.topics());
  }

  @Bean
  RetentionPurge retentionPurge(JdbcTemplate jdbc, PlatformTransactionManager transactions, MessagingProperties properties,
      MeterRegistry meters) {
    return new RetentionPurge(jdbc, new TransactionTemplate(transactions), properties, meters, Clock.systemUTC());
  }

  @Bean
  TableUpkeep tableUpkeep(JdbcTemplate jdbc, UpkeepProperties upkeep, MessagingProperties properties, MeterRegistry meters) {
    return new TableUpkeep(jdbc, upkeep, properties.schema(), meters);
  }
}
