package io.pathway.notification.intake;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * The raw-bytes producer of the dead-letter topics: records are forwarded exactly as consumed.
 * Not a {@code ProducerFactory} bean (that would replace Boot's), but closed with the context.
 */
@Component
class DeadLetterProducer implements DisposableBean {

  private final DefaultKafkaProducerFactory<byte[], byte[]> factory;
  private final KafkaTemplate<byte[], byte[]> template;

  DeadLetterProducer(KafkaProperties kafka) {
    Map<String, Object> config = kafka.buildProducerProperties(null);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    this.factory = new DefaultKafkaProducerFactory<>(config);
    this.template = new KafkaTemplate<>(factory);
  }

  KafkaTemplate<byte[], byte[]> template() {
    return template;
  }

  @Override
  public void destroy() {
    factory.destroy();
  }
}
