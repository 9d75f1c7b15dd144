package io.pathway.messaging.dlt;

import io.pathway.model.envelope.DeadLetterReason;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Runs for a record just before it goes to its dead-letter topic, with the reason its headers will
 * carry. Every bean of this type runs. If a hook throws, the record is not dead-lettered: the error
 * handler tries it again, so what a hook must do (e.g. raise an alert) is never skipped.
 */
public interface DeadLetterHook {

  void beforeDeadLetter(ConsumerRecord<?, ?> record, DeadLetterReason reason);
}
