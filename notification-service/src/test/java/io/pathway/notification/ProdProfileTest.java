package io.pathway.notification;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/**
 * The configuration files as the service reads them: the prod profile has no default secrets and
 * does not start without them from the environment; the local profile has its demo values.
 */
class ProdProfileTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withInitializer(new ConfigDataApplicationContextInitializer())
      .withPropertyValues("spring.config.name=" + NotificationServiceApplication.CONFIG_NAME)
      .withUserConfiguration(PropertiesOnly.class);

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(NotificationProperties.class)
  static class PropertiesOnly {}

  @Test
  void shouldRefuseToStartInProdWithoutSecretsFromTheEnvironment() {
    // given no NOTIFICATION_* variables (the test JVM has none)
    assertThat(System.getenv("NOTIFICATION_API_PASSWORD")).isNull();

    // when / then
    runner.withPropertyValues("spring.profiles.active=prod").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause()
          .hasMessageContaining("NOTIFICATION_API_USER").hasMessageContaining("NOTIFICATION_API_PASSWORD")
          .hasMessageContaining("NOTIFICATION_PUBLIC_URL");
    });
  }

  @Test
  void shouldStartInProdWithSecretsFromTheEnvironment() {
    runner.withPropertyValues("spring.profiles.active=prod", "NOTIFICATION_API_USER=ops", "NOTIFICATION_API_PASSWORD=long-secret",
            "NOTIFICATION_PUBLIC_URL=https://notifications.example.org")
        .run(context -> assertThat(context).hasNotFailed());
  }

  @Test
  void shouldStartLocallyWithTheDemoUser() {
    runner.withPropertyValues("spring.profiles.active=local").run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(NotificationProperties.class).api().user()).isEqualTo("demo");
    });
  }
}
