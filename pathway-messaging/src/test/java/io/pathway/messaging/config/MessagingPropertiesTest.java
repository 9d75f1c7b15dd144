package io.pathway.messaging.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathway.messaging.topics.ContractTopics;
import io.pathway.model.Topics;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/** Settings that would break a guarantee stop the service at start. */
class MessagingPropertiesTest {

  static MessagingProperties.Outbox outbox = new MessagingProperties.Outbox(10, Duration.ofSeconds(1), Duration.ofSeconds(1), java.util.List.of());
  static MessagingProperties.DeadLetter dlt = new MessagingProperties.DeadLetter(1, Duration.ofMillis(1), Duration.ofMillis(1),
      Duration.ofMillis(1), Duration.ofMillis(1));

  @Test
  void shouldRefuseToKeepProcessedEventsShorterThanDuplicatesCanArrive() {
    assertThatThrownBy(() -> properties(List.of(), Duration.ofDays(3), Duration.ofDays(7)))
        .hasMessageContaining("retention.processed-events").hasMessageContaining("duplicate-window");
  }

  @Test
  void shouldRefuseAnUrgentTopicThatIsNotInTheContract() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new MessagingProperties.Outbox(10, Duration.ofSeconds(1),
            Duration.ofSeconds(1), java.util.List.of("pathway.referals")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("pathway.referals");
    org.assertj.core.api.Assertions.assertThat(new MessagingProperties.Outbox(10, Duration.ofSeconds(1), Duration.ofSeconds(1),
        null).urgentTopics()).isEmpty();
  }

  @Test
  void shouldRefuseATopicThatIsNotInTheContract() {
    assertThatThrownBy(() -> properties(List.of("pathway.typo"), Duration.ofDays(30), Duration.ofDays(7)))
        .hasMessageContaining("pathway.typo");
  }

  @Test
  void shouldDeclareEachListedTopicWithItsDeadLetterTopicWhereTheContractHasOne() {
    MessagingProperties p = properties(List.of(Topics.REFERRALS, Topics.NOTIFICATION_DELIVERIES), Duration.ofDays(30), Duration.ofDays(7));
    assertThat(ContractTopics.list(p.topics())).extracting(NewTopic::name)
        .containsExactly(Topics.REFERRALS, Topics.dlt(Topics.REFERRALS), Topics.NOTIFICATION_DELIVERIES);
    assertThat(ContractTopics.list(p.topics())).extracting(NewTopic::numPartitions).containsOnly(4);
  }

  @Test
  void shouldRefuseASchemaNameThatCouldNotBeATableQualifier() {
    assertThatThrownBy(() -> new MessagingProperties("x; drop table", URI.create("urn:test"), outbox, dlt,
        new MessagingProperties.TopicSettings(true, 4, (short) 1, List.of()), retention(Duration.ofDays(30), Duration.ofDays(7))))
        .hasMessageContaining("pathway.messaging.schema");
  }

  private static MessagingProperties properties(List<String> declare, Duration processed, Duration duplicates) {
    return new MessagingProperties("svc", URI.create("urn:test"), outbox, dlt,
        new MessagingProperties.TopicSettings(true, 4, (short) 1, declare), retention(processed, duplicates));
  }

  private static MessagingProperties.Retention retention(Duration processed, Duration duplicates) {
    return new MessagingProperties.Retention(Duration.ofDays(7), processed, duplicates, Duration.ofHours(1), 100);
  }
}
