package io.pathway.notification;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** The notification service: delivers referrals and alerts, never loses one, never sends one twice. */
@SpringBootApplication
public class NotificationServiceApplication {

  /** Name of this service's configuration files ({@code notification-service.yaml} and profiles). */
  public static final String CONFIG_NAME = "notification-service";

  public static SpringApplicationBuilder builder() {
    return new SpringApplicationBuilder(NotificationServiceApplication.class)
        .properties("spring.config.name=" + CONFIG_NAME);
  }

  public static void main(String[] args) {
    builder().run(args);
  }
}
