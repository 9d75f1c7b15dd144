package io.pathway.service.intake;

import org.springframework.boot.autoconfigure.kafka.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties.AckMode;

/**
 * The hospital topics' listeners take a poll's records of a partition at once (InboundDispatcher applies them
 * in shared transactions). Everything else is Spring Boot's and pathway-messaging's listener configuration
 * (error handler, concurrency, consumer settings); offsets are committed after each poll's records are
 * handled, and the error handler commits those before a failed record itself.
 */
@Configuration
class InboundBatchConfig {

  static final String FACTORY = "inboundBatchListenerFactory";

  @Bean(FACTORY)
  ConcurrentKafkaListenerContainerFactory<Object, Object> inboundBatchListenerFactory(
      ConcurrentKafkaListenerContainerFactoryConfigurer configurer, ConsumerFactory<Object, Object> consumers) {
    ConcurrentKafkaListenerContainerFactory<Object, Object> factory = new ConcurrentKafkaListenerContainerFactory<>();
    configurer.configure(factory, consumers);
    factory.setBatchListener(true);
    factory.getContainerProperties().setAckMode(AckMode.BATCH);
    return factory;
  }
}
