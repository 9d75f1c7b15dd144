package io.pathway.service.platform;

import io.pathway.service.platform.PathwayProperties;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** S3: with {@code pathway.require-secrets=true} (the prod profile) the service refuses to start on missing or weak secrets. */
@Component
class ProductionSecretsCheck implements InitializingBean {

  private final PathwayProperties properties;
  private final Environment env;

  ProductionSecretsCheck(PathwayProperties properties, Environment env) {
    this.properties = properties;
    this.env = env;
  }

  @Override
  public void afterPropertiesSet() {
    if (!properties.requireSecrets()) {
      return;
    }
    String adminUser = env.getProperty("camunda.bpm.admin-user.id", "");
    String adminPassword = env.getProperty("camunda.bpm.admin-user.password", "");
    String dbPassword = env.getProperty("spring.datasource.password", "");
    if (adminUser.isBlank() || adminPassword.isBlank() || dbPassword.isBlank()) {
      throw new IllegalStateException("Production profile: PATHWAY_ADMIN_USER, PATHWAY_ADMIN_PASSWORD and PATHWAY_DB_PASSWORD must be set");
    }
    if (adminPassword.equals(adminUser) || adminPassword.length() < 12) {
      throw new IllegalStateException("Production profile: the admin password must differ from the user id and have at least 12 characters");
    }
    if (properties.demoUsers()) {
      throw new IllegalStateException("Production profile: demo users are not allowed");
    }
  }
}
