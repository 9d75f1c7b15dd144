package io.pathway.notification.intake;

import io.pathway.model.EventTypes;
import io.pathway.model.Topics;
import io.pathway.model.envelope.EventCodec;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.model.envelope.InvalidEventException;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * One listener per topic: decode with the contract's codec, dispatch by type to the transactional
 * handler. Nothing else happens here: a refused record goes to the DLT through the error handler
 * (pathway-messaging's {@code DeadLetterErrorHandler}), and the offset is committed after the handler's commit. Both
 * listeners are in the one consumer group {@code notification-service} ({@code spring.kafka.consumer.group-id}).
 */
@Component
class EventListeners {

  static final String REFERRALS_LISTENER = "notification-referrals";
  static final String ALERTS_LISTENER = "notification-alerts";

  private final EventCodec codec;
  private final IntakeHandler handler;

  EventListeners(EventCodec codec, IntakeHandler handler) {
    this.codec = codec;
    this.handler = handler;
  }

  @KafkaListener(id = REFERRALS_LISTENER, idIsGroup = false, topics = Topics.REFERRALS)
  void onReferral(ConsumerRecord<byte[], byte[]> record) throws InvalidEventException {
    EventEnvelope event = codec.decode(record);
    switch (event.type()) {
      case EventTypes.REFERRAL_ISSUED -> handler.referral(event, record.topic());
      case EventTypes.REFERRAL_CANCELLED -> handler.referralCancelled(event, record.topic());
      default -> throw notForThisTopic(event, record.topic());
    }
  }

  @KafkaListener(id = ALERTS_LISTENER, idIsGroup = false, topics = Topics.ALERTS)
  void onAlert(ConsumerRecord<byte[], byte[]> record) throws InvalidEventException {
    EventEnvelope event = codec.decode(record);
    switch (event.type()) {
      case EventTypes.ALERT_RAISED -> handler.alert(event, record.topic());
      default -> throw notForThisTopic(event, record.topic());
    }
  }

  private static InvalidEventException notForThisTopic(EventEnvelope event, String topic) {
    return new InvalidEventException(InvalidEventException.Reason.UNKNOWN_TYPE,
        "ce_type: " + event.type() + " is not handled on topic " + topic, event.type(), event.id(), List.of());
  }
}
