package io.pathway.service;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * The one Spring context of the integration tests (cached and shared by every class that uses this
 * annotation): the whole service on a real PostgreSQL and a real embedded Kafka broker, which the
 * test-support module wires in, on the {@code test} profile ({@code src/test/resources/pathway-service-test.yaml}:
 * test users, plain-http cookies, short poll intervals), not the demo {@code local} profile. Metrics export is on,
 * as in production (Spring Boot's tests turn it off).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "spring.config.name=" + PathwayServiceApplication.CONFIG_NAME)
@ActiveProfiles("test")
@AutoConfigureObservability(tracing = false)
public @interface PathwayServiceTest {}
