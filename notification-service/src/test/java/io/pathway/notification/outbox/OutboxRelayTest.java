package io.pathway.notification.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathway.model.Topics;
import io.pathway.model.codes.Channel;
import io.pathway.model.events.NotificationDelivered;
import io.pathway.notification.IntegrationTest;
import io.pathway.notification.NotificationProperties;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** With Kafka unreachable the outbox keeps its events; once Kafka answers they are published. */
class OutboxRelayTest extends IntegrationTest {

  @Autowired Outbox outbox;
  @Autowired JdbcClient jdbc;
  @Autowired TransactionTemplate tx;
  @Autowired DataSource dataSource;
  @Autowired NotificationProperties properties;

  @Test
  void shouldKeepEventsWhileKafkaIsUnreachableAndPublishThemWhenItIsBack() throws Exception {
    String notificationId = UUID.randomUUID().toString();
    DefaultKafkaProducerFactory<String, byte[]> nowhere = new DefaultKafkaProducerFactory<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1",
        ProducerConfig.MAX_BLOCK_MS_CONFIG, 500,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    OutboxRelay relayWithoutKafka = new OutboxRelay(jdbc, tx, new KafkaTemplate<>(nowhere), codec, properties, OutboxRelay.LOCK_ID + 1);

    // the service's own relay is held off by its lock while Kafka is "down"
    try (Connection lockHolder = dataSource.getConnection()) {
      lock(lockHolder, "select pg_advisory_lock(?)");
      try {
        // given an event written with its state change
        String eventId = tx.execute(status -> outbox.publish(Topics.NOTIFICATION_DELIVERIES, new NotificationDelivered(
            notificationId, "source-" + notificationId, "pathway.alert.raised.v1", "PSN-outbox", Channel.EMAIL,
            "coordinator-desk", 1, Instant.now())));

        // when the relay cannot reach Kafka
        assertThatThrownBy(relayWithoutKafka::relayBatch).isInstanceOf(RuntimeException.class);

        // then the event is still in the outbox
        assertThat(jdbc.sql("select count(*) from outbox where event_id = :id").param("id", eventId).query(Long.class).single())
            .isEqualTo(1);
      } finally {
        lock(lockHolder, "select pg_advisory_unlock(?)");
        nowhere.destroy();
      }
    }

    // when Kafka is reachable again (the service's relay), then the event is published
    NotificationDelivered published = awaitEvent(Topics.NOTIFICATION_DELIVERIES,
        e -> e.data() instanceof NotificationDelivered d && d.notificationId().equals(notificationId))
        .dataAs(NotificationDelivered.class);
    assertThat(published.patientRef()).isEqualTo("PSN-outbox");
  }

  private static void lock(Connection c, String sql) throws Exception {
    try (PreparedStatement st = c.prepareStatement(sql)) {
      st.setLong(1, OutboxRelay.LOCK_ID);
      st.execute();
    }
  }
}
