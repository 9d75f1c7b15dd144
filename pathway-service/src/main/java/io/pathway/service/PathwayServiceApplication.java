package io.pathway.service;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** The pathway service: the Camunda engine with the pathway, Kafka in and out, Tasklist and REST. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class PathwayServiceApplication {

  /** Name of this service's configuration files ({@code pathway-service.yaml} and profiles). */
  public static final String CONFIG_NAME = "pathway-service";

  public static SpringApplicationBuilder builder() {
    return new SpringApplicationBuilder(PathwayServiceApplication.class)
        .properties("spring.config.name=" + CONFIG_NAME);
  }

  public static void main(String[] args) {
    builder().run(args);
  }
}
