package io.pathway.service.config;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Runs for a record before it goes to its dead-letter topic, with the reason code the DLT headers
 * carry. If the hook fails, the record is not dead-lettered: the error handler tries it again, so what
 * the hook must do (raise an alert for an unreadable red flag) is never skipped.
 */
public interface DeadLetterHook {

  void beforeDeadLetter(ConsumerRecord<?, ?> record, String reason);
}
