package io.pathway.service.intake;

import io.pathway.model.Topics;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * One listener per hospital topic. Transport only: each poll's records of a partition go to the dispatcher,
 * which applies them in as few transactions as it may; its transactions commit before the offsets do, and a
 * record that fails goes through the error handler (retries, then the DLT) alone.
 */
@Component
class InboundListeners {

  private final InboundDispatcher dispatcher;

  InboundListeners(InboundDispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  @KafkaListener(id = "pathway-enrolments", idIsGroup = false, topics = Topics.PATHWAY_ENROLMENTS, containerFactory = InboundBatchConfig.FACTORY,
      batch = "true")
  void enrolments(List<ConsumerRecord<String, byte[]>> records) {
    dispatcher.receive(Topics.PATHWAY_ENROLMENTS, records);
  }

  @KafkaListener(id = "diagnostic-results", idIsGroup = false, topics = Topics.DIAGNOSTIC_RESULTS, containerFactory = InboundBatchConfig.FACTORY,
      batch = "true")
  void diagnosticResults(List<ConsumerRecord<String, byte[]>> records) {
    dispatcher.receive(Topics.DIAGNOSTIC_RESULTS, records);
  }

  @KafkaListener(id = "clinical-observations", idIsGroup = false, topics = Topics.CLINICAL_OBSERVATIONS, containerFactory = InboundBatchConfig.FACTORY,
      batch = "true")
  void clinicalObservations(List<ConsumerRecord<String, byte[]>> records) {
    dispatcher.receive(Topics.CLINICAL_OBSERVATIONS, records);
  }

  @KafkaListener(id = "treatment-outcomes", idIsGroup = false, topics = Topics.TREATMENT_OUTCOMES, containerFactory = InboundBatchConfig.FACTORY,
      batch = "true")
  void treatmentOutcomes(List<ConsumerRecord<String, byte[]>> records) {
    dispatcher.receive(Topics.TREATMENT_OUTCOMES, records);
  }
}
