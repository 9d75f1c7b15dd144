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
 * test-support module wires in. Metrics export is on, as in production (Spring Boot's tests turn it off).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spring.config.name=" + PathwayServiceApplication.CONFIG_NAME,
    "pathway.inbox.poll-interval=PT0.2S",
    "pathway.inbox.unmatched-alert-after=PT2S",
    "pathway.messaging.outbox.poll-interval=PT0.1S",
    "pathway.messaging.topics.partitions=3",
    "camunda.bpm.job-execution.wait-time-in-millis=50",
    // a few synthetic red flags prove the warm-up's path; the 30 of production only cost the suite time
    "pathway.warmup.red-flag-rounds=3",
    "camunda.bpm.job-execution.max-wait=200",
    "spring.kafka.consumer.properties.metadata.max.age.ms=1000",
    "spring.kafka.consumer.properties.session.timeout.ms=10000",
    "spring.kafka.consumer.properties.heartbeat.interval.ms=1000"
})
@ActiveProfiles("local")
@AutoConfigureObservability(tracing = false)
public @interface PathwayServiceTest {}
