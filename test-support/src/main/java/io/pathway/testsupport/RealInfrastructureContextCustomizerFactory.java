package io.pathway.testsupport;

import java.util.List;
import java.util.Set;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.PropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Points every Spring test context at the shared real PostgreSQL and Kafka broker. The property
 * source is lazy: the database or broker starts only when a context first asks for it, so a slice
 * test that needs neither starts neither. Registered in {@code META-INF/spring.factories}.
 */
public class RealInfrastructureContextCustomizerFactory implements ContextCustomizerFactory {

  @Override
  public ContextCustomizer createContextCustomizer(Class<?> testClass, List<ContextConfigurationAttributes> attrs) {
    return new Customizer();
  }

  static final class Customizer implements ContextCustomizer {
    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
      context.getEnvironment().getPropertySources().addFirst(new LazyInfrastructureProperties());
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Customizer;
    }

    @Override
    public int hashCode() {
      return Customizer.class.hashCode();
    }
  }

  static final class LazyInfrastructureProperties extends PropertySource<Object> {
    private static final Set<String> NAMES = Set.of(
        "spring.datasource.url", "spring.datasource.username", "spring.datasource.password",
        "spring.kafka.bootstrap-servers", "spring.kafka.bootstrapServers");

    LazyInfrastructureProperties() {
      super("pathwayTestInfrastructure", new Object());
    }

    @Override
    public boolean containsProperty(String name) {
      return NAMES.contains(name);
    }

    @Override
    public Object getProperty(String name) {
      return switch (name) {
        case "spring.datasource.url" -> TestDatabase.get().jdbcUrl();
        case "spring.datasource.username" -> TestDatabase.get().username();
        case "spring.datasource.password" -> TestDatabase.get().password();
        case "spring.kafka.bootstrap-servers", "spring.kafka.bootstrapServers" -> SharedKafkaBroker.bootstrapServers();
        default -> null;
      };
    }
  }
}
