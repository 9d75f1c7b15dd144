package io.pathway.notification;

import io.pathway.model.envelope.EventCodec;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The contract's codec, created once (it loads every JSON Schema) and shared. */
@Configuration(proxyBeanMethods = false)
class EventCodecConfiguration {

  @Bean
  EventCodec eventCodec() {
    return EventCodec.create();
  }
}
