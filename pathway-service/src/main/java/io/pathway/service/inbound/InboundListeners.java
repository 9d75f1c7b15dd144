package io.pathway.service.inbound;

import io.pathway.model.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * One listener per hospital topic. Transport only: the record goes to the dispatcher, whose
 * transaction commits before the offset does; failures go through the error handler to the DLT.
 */
@Component
class InboundListeners {

  private final InboundDispatcher dispatcher;

  InboundListeners(InboundDispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  @KafkaListener(id = "pathway-enrolments", idIsGroup = false, topics = Topics.PATHWAY_ENROLMENTS)
  void enrolments(ConsumerRecord<String, byte[]> record) {
    dispatcher.receive(Topics.PATHWAY_ENROLMENTS, record);
  }

  @KafkaListener(id = "diagnostic-results", idIsGroup = false, topics = Topics.DIAGNOSTIC_RESULTS)
  void diagnosticResults(ConsumerRecord<String, byte[]> record) {
    dispatcher.receive(Topics.DIAGNOSTIC_RESULTS, record);
  }

  @KafkaListener(id = "clinical-observations", idIsGroup = false, topics = Topics.CLINICAL_OBSERVATIONS)
  void clinicalObservations(ConsumerRecord<String, byte[]> record) {
    dispatcher.receive(Topics.CLINICAL_OBSERVATIONS, record);
  }

  @KafkaListener(id = "treatment-outcomes", idIsGroup = false, topics = Topics.TREATMENT_OUTCOMES)
  void treatmentOutcomes(ConsumerRecord<String, byte[]> record) {
    dispatcher.receive(Topics.TREATMENT_OUTCOMES, record);
  }
}
