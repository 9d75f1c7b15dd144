package io.pathway.service.platform;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathway.service.platform.PathwayProperties;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** S3: the production profile refuses to start on missing, default or weak secrets. */
class ProductionSecretsCheckTest {

  static PathwayProperties properties(boolean requireSecrets, boolean demoUsers) {
    return new PathwayProperties(URI.create("urn:test"), "http://localhost", demoUsers, requireSecrets, "", "", Duration.ofDays(3), Duration.ofMinutes(5),
        new PathwayProperties.InboxSettings(Duration.ofSeconds(1), Duration.ofHours(1)),
        new PathwayProperties.Clinical("P28D", 50, "P14D", "P84D", "PT30M", "PT4H", "P14D", "P1D", "P3D", 90, 2, 3, 21, "P7D", 50,
            new PathwayProperties.OutcomeMinInterval("P42D", "P14D", "P28D", "P28D", "P5D")));
  }

  static MockEnvironment env(String user, String password, String dbPassword) {
    return new MockEnvironment().withProperty("camunda.bpm.admin-user.id", user)
        .withProperty("camunda.bpm.admin-user.password", password).withProperty("spring.datasource.password", dbPassword);
  }

  @Test
  void shouldRefuseMissingSecrets() {
    assertThatThrownBy(() -> new ProductionSecretsCheck(properties(true, false), env("admin", "", "db-secret")).afterPropertiesSet())
        .hasMessageContaining("PATHWAY_ADMIN_PASSWORD");
    assertThatThrownBy(() -> new ProductionSecretsCheck(properties(true, false), env("admin", "a-long-secret-1", "")).afterPropertiesSet())
        .hasMessageContaining("PATHWAY_DB_PASSWORD");
  }

  @Test
  void shouldRefuseTheStartersDefaultAndShortPasswords() {
    assertThatThrownBy(() -> new ProductionSecretsCheck(properties(true, false), env("administrator1", "administrator1", "x")).afterPropertiesSet())
        .hasMessageContaining("differ from the user id");
    assertThatThrownBy(() -> new ProductionSecretsCheck(properties(true, false), env("admin", "short", "x")).afterPropertiesSet())
        .hasMessageContaining("12 characters");
  }

  @Test
  void shouldRefuseDemoUsersInProduction() {
    assertThatThrownBy(() -> new ProductionSecretsCheck(properties(true, true), env("admin", "a-long-secret-1", "x")).afterPropertiesSet())
        .hasMessageContaining("demo users");
  }

  @Test
  void shouldStartWithProperSecretsAndOutsideProductionWithout() {
    assertThatCode(() -> new ProductionSecretsCheck(properties(true, false), env("admin", "a-long-secret-1", "x")).afterPropertiesSet())
        .doesNotThrowAnyException();
    assertThatCode(() -> new ProductionSecretsCheck(properties(false, true), env("", "", "")).afterPropertiesSet())
        .doesNotThrowAnyException();
  }
}
