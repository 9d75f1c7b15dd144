package io.pathway.messaging.dlt;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serializer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * The producer of the dead-letter topics: key and value go out as they were consumed (bytes stay
 * bytes, a key a listener read as a string goes back as its UTF-8 bytes). Not a {@code ProducerFactory}
 * bean, which would replace Boot's; closed with the context.
 */
public class DeadLetterProducer implements DisposableBean {

  private final DefaultKafkaProducerFactory<Object, Object> factory;
  private final KafkaTemplate<Object, Object> template;

  public DeadLetterProducer(Map<String, Object> producerProperties) {
    Map<String, Object> config = new java.util.HashMap<>(producerProperties);
    config.remove(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
    config.remove(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
    config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    this.factory = new DefaultKafkaProducerFactory<>(config, new AsConsumed(), new AsConsumed());
    this.template = new KafkaTemplate<>(factory);
  }

  public KafkaTemplate<Object, Object> template() {
    return template;
  }

  @Override
  public void destroy() {
    factory.destroy();
  }

  /** Bytes as they are; a string as UTF-8 (what the consumer's StringDeserializer read). */
  static final class AsConsumed implements Serializer<Object> {
    @Override
    public byte[] serialize(String topic, Object data) {
      if (data == null || data instanceof byte[]) {
        return (byte[]) data;
      }
      if (data instanceof String s) {
        return s.getBytes(StandardCharsets.UTF_8);
      }
      throw new IllegalArgumentException("a dead letter's key or value is bytes or a string, not " + data.getClass().getName());
    }
  }
}
