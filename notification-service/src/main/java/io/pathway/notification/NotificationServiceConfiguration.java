package io.pathway.notification;

import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Service-wide wiring: configuration properties, the scheduler and the clock every time stamp comes from. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties(NotificationProperties.class)
class NotificationServiceConfiguration {

  /** All times written to the delivery log come from this clock; tests replace it to move time on. */
  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
