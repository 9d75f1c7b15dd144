package io.pathway.messaging.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathway.messaging.MessagingTest;
import io.pathway.messaging.config.MessagingProperties;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Published outbox rows and processed events go after their retention; what is unpublished or recent stays. */
class RetentionPurgeTest extends MessagingTest {

  @Autowired PlatformTransactionManager transactions;
  @Autowired MessagingProperties properties;

  @Test
  void shouldDeleteOnlyPublishedOutboxRowsAndProcessedEventsOlderThanTheirRetention() {
    // given old and recent rows of both tables, and an old outbox row never published
    String run = UUID.randomUUID().toString().substring(0, 8);
    outbox(run + "-old-published", "now() - interval '8 days'", "now() - interval '8 days'");
    outbox(run + "-recent-published", "now() - interval '8 days'", "now() - interval '1 day'");
    outbox(run + "-old-unpublished", "now() - interval '60 days'", "null");
    processed(run + "-old", "now() - interval '31 days'");
    processed(run + "-recent", "now() - interval '29 days'");

    // when the purge runs with the default retention (7 days, 30 days) in batches of 1
    MessagingProperties.Retention r = properties.retention();
    MessagingProperties small = new MessagingProperties(properties.schema(), properties.sourceUri(), properties.outbox(),
        properties.deadLetter(), properties.topics(), new MessagingProperties.Retention(Duration.ofDays(7), Duration.ofDays(30),
            r.duplicateWindow(), r.purgeInterval(), 1));
    RetentionPurge purge = new RetentionPurge(jdbc, new TransactionTemplate(transactions), small, new SimpleMeterRegistry(),
        Clock.systemUTC());
    purge.purgeOnce();

    // then the old published row and the old processed event are gone, the others stay
    assertThat(jdbc.queryForList("select ce_id from messaging_test.outbox where ce_id like ? order by ce_id", String.class, run + "%"))
        .containsExactly(run + "-old-unpublished", run + "-recent-published");
    assertThat(jdbc.queryForList("select ce_id from messaging_test.processed_event where ce_id like ?", String.class, run + "%"))
        .containsExactly(run + "-recent");
  }

  private void outbox(String ceId, String createdAt, String publishedAt) {
    jdbc.update("insert into messaging_test.outbox (topic, record_key, ce_id, ce_type, ce_time, payload, created_at, published_at) "
        + "values ('pathway.alerts', 'PSN-purge', ?, 'pathway.alert.raised.v1', now(), '\\x7b7d'::bytea, " + createdAt + ", "
        + publishedAt + ")", ceId);
  }

  private void processed(String ceId, String processedAt) {
    jdbc.update("insert into messaging_test.processed_event (ce_id, ce_type, topic, outcome, processed_at) "
        + "values (?, 'pathway.alert.raised.v1', 'pathway.alerts', 'APPLIED', " + processedAt + ")", ceId);
  }
}
