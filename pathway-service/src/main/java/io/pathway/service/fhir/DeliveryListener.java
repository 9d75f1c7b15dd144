package io.pathway.service.fhir;

import io.pathway.model.Topics;
import io.pathway.model.envelope.EventReader;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.model.events.NotificationDelivered;
import io.pathway.model.events.NotificationFailed;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Reads the notification service's delivery reports, for {@code Communication.status}. A group of its
 * own (one consumer), so that it never joins the rebalances of the inbound listeners. The topic is
 * written by the platform's own notification service and has no DLT in the contract: a record that
 * cannot be read is logged and skipped (the alert stays "in progress" on /fhir), never retried forever.
 */
@Component
class DeliveryListener {

  private static final Logger log = LoggerFactory.getLogger(DeliveryListener.class);

  private final EventReader codec;
  private final DeliveryLog deliveries;

  DeliveryListener(EventReader codec, DeliveryLog deliveries) {
    this.codec = codec;
    this.deliveries = deliveries;
  }

  @KafkaListener(id = "fhir-deliveries", groupId = "pathway-service-fhir", topics = Topics.NOTIFICATION_DELIVERIES, concurrency = "1")
  void deliveries(ConsumerRecord<String, byte[]> record) {
    EventEnvelope event;
    try {
      event = codec.decode(record);
    } catch (io.pathway.model.envelope.InvalidEventException | RuntimeException unreadable) {
      log.warn("Delivery report {}-{}@{} skipped: {}", record.topic(), record.partition(), record.offset(),
          unreadable.getClass().getSimpleName());
      return;
    }
    if (event.data() instanceof NotificationDelivered d) {
      deliveries.record(d.notificationId(), true, d.sourceEventId(), d.patientRef(), d.channel() == null ? null : d.channel().name(),
          d.recipient(), d.attempts(), null, d.deliveredAt());
    } else if (event.data() instanceof NotificationFailed f) {
      deliveries.record(f.notificationId(), false, f.sourceEventId(), f.patientRef(), f.channel() == null ? null : f.channel().name(),
          f.recipient(), f.attempts(), f.reason(), f.failedAt());
    }
  }
}
