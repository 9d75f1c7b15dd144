package io.pathway.service.intake;

import io.pathway.model.Topics;
import io.pathway.model.codes.RedFlag;
import io.pathway.model.envelope.EventCodec;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.model.events.FollowUpRecorded;
import io.pathway.model.events.PathwayEvent;
import io.pathway.model.events.RedFlagRaised;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The event codec (JSON Schemas, Jackson, CloudEvents) on synthetic inbound records, written and read back. */
final class CodecWarmUp implements WarmUpStep {

  private static final Logger log = LoggerFactory.getLogger(CodecWarmUp.class);

  private final EventCodec codec;
  private final int rounds;

  CodecWarmUp(EventCodec codec, int rounds) {
    this.codec = codec;
    this.rounds = rounds;
  }

  @Override
  public String counts() {
    return "records decoded";
  }

  @Override
  public int run() {
    List<Map.Entry<String, PathwayEvent>> samples = List.of(
        Map.entry(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised("WARMUP-0", RedFlag.SADDLE_ANESTHESIA, Instant.now())),
        Map.entry(Topics.CLINICAL_OBSERVATIONS, new FollowUpRecorded("WARMUP-0", "EPIDURAL_STEROID_INJECTION", 70, true, Instant.now())),
        Map.entry(Topics.PATHWAY_ENROLMENTS, RedFlagWarmUp.enrolment("WARMUP-0", LocalDate.now().minusDays(1))));
    int n = 0;
    for (int round = 0; round < rounds; round++) {
      for (Map.Entry<String, PathwayEvent> sample : samples) {
        try {
          ProducerRecord<String, byte[]> r = codec.toRecord(sample.getKey(), EventEnvelope.of(WarmUp.SOURCE, sample.getValue()));
          codec.decode(r.headers(), r.value());
          n++;
        } catch (Exception e) {
          log.warn("Warm-up codec round failed: {}", e.getClass().getSimpleName());
          return n;
        }
      }
    }
    return n;
  }
}
