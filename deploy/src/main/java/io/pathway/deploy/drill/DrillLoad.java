package io.pathway.deploy.drill;

import io.pathway.model.Topics;
import io.pathway.model.codes.ImagingFinding;
import io.pathway.model.codes.PainPattern;
import io.pathway.model.codes.RedFlag;
import io.pathway.model.codes.SteroidKind;
import io.pathway.model.envelope.EventCodec;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.model.events.EnrolmentRequested;
import io.pathway.model.events.FollowUpRecorded;
import io.pathway.model.events.PathwayEvent;
import io.pathway.model.events.RedFlagRaised;
import io.pathway.model.events.SteroidTreatment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A drill's load through the Kafka contract: enrolments, follow-ups and cauda equina red flags at the drill's rate,
 * with its share of duplicate copies (same {@code ce_id}, about 40 records later) and, for R4, a bad record every
 * tenth. It keeps what it sent: the distinct event ids, the records, the bad ones and when each red flag left.
 */
final class DrillLoad implements AutoCloseable {

  private final String id;
  private final double rate;
  private final double duplicateShare;
  private final EventCodec codec;
  private final DrillLog log;
  private final KafkaProducer<String, byte[]> producer;
  final Set<String> sentIds = ConcurrentHashMap.newKeySet();
  final AtomicLong sentRecords = new AtomicLong();
  final AtomicLong sentBad = new AtomicLong();
  final Map<String, Long> redFlagSentAt = new ConcurrentHashMap<>();
  final Map<String, String> redFlagEventId = new ConcurrentHashMap<>();

  DrillLoad(String id, double rate, double duplicateShare, EventCodec codec, String bootstrap, DrillLog log) {
    this.id = id;
    this.rate = rate;
    this.duplicateShare = duplicateShare;
    this.codec = codec;
    this.log = log;
    this.producer = producer(bootstrap);
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(2));
  }

  /** The kinds of bad records sent (R4), with their counts. */
  Map<String, Integer> badKinds() {
    return badKinds;
  }

  private static KafkaProducer<String, byte[]> producer(String bootstrap) {
    return new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000,
        ProducerConfig.MAX_BLOCK_MS_CONFIG, 600_000,
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024), new StringSerializer(), new ByteArraySerializer());
  }

  private final ArrayDeque<Object[]> laterCopies = new ArrayDeque<>();
  private long sequence;
  private final java.util.Random random = new java.util.Random(11);

  /** Sends an event, and with the drill's share a second copy (same ce_id) about 40 records later. */
  private String send(String topic, PathwayEvent event) {
    EventEnvelope envelope = EventEnvelope.of(Drill.SOURCE, event);
    ProducerRecord<String, byte[]> record = codec.toRecord(topic, envelope);
    sentIds.add(envelope.id());
    produce(record);
    if (random.nextDouble() < duplicateShare) {
      laterCopies.add(new Object[] {sequence + 40, codec.toRecord(topic, envelope)});
    }
    sequence++;
    while (!laterCopies.isEmpty() && (long) laterCopies.peek()[0] <= sequence) {
      @SuppressWarnings("unchecked")
      ProducerRecord<String, byte[]> copy = (ProducerRecord<String, byte[]>) laterCopies.poll()[1];
      produce(copy);
    }
    if (id.equals("R4") && sequence % 10 == 0) {
      produce(badRecord(topic, envelope, (int) (sequence / 10)));
      sentBad.incrementAndGet();
    }
    return envelope.id();
  }

  void flushCopies() {
    while (!laterCopies.isEmpty()) {
      @SuppressWarnings("unchecked")
      ProducerRecord<String, byte[]> copy = (ProducerRecord<String, byte[]>) laterCopies.poll()[1];
      produce(copy);
    }
    producer.flush();
  }

  private void produce(ProducerRecord<String, byte[]> record) {
    producer.send(record, (m, e) -> {
      if (e != null) {
        log.say("SEND FAILED %s: %s", record.topic(), e);
      }
    });
    sentRecords.incrementAndGet();
  }

  /** R4's corpus, one kind after the other: each is a contract violation the codec refuses. */
  private ProducerRecord<String, byte[]> badRecord(String topic, EventEnvelope good, int n) {
    ProducerRecord<String, byte[]> r = codec.toRecord(topic, EventEnvelope.of(Drill.SOURCE, good.data()));
    String json = new String(r.value(), StandardCharsets.UTF_8);
    byte[] value;
    String kind;
    switch (n % 6) {
      case 0 -> { kind = "malformed"; value = "{\"patientRef\": \"DRL-BAD".getBytes(StandardCharsets.UTF_8); }
      case 1 -> { kind = "unknown-type"; value = r.value(); r.headers().remove("ce_type"); r.headers().add("ce_type", "pathway.nonsense.v1".getBytes(StandardCharsets.UTF_8)); }
      case 2 -> { kind = "schema"; value = json.replaceFirst("\"patientRef\":\"[^\"]*\",?", "").getBytes(StandardCharsets.UTF_8); }
      case 3 -> { kind = "unknown-code"; value = json.replace("SADDLE_ANESTHESIA", "NOT_A_RED_FLAG").replace("EPIDURAL_STEROID_INJECTION", "NOT_A_STEROID").getBytes(StandardCharsets.UTF_8); }
      case 4 -> { kind = "oversized"; value = (json.substring(0, json.length() - 1) + ",\"padding\":\"" + "x".repeat(100_000) + "\"}").getBytes(StandardCharsets.UTF_8); }
      default -> { kind = "missing-id"; value = r.value(); r.headers().remove("ce_id"); }
    }
    badKinds.merge(kind, 1, Integer::sum);
    ProducerRecord<String, byte[]> bad = new ProducerRecord<>(topic, null, r.key(), value, r.headers());
    return bad;
  }

  private final Map<String, Integer> badKinds = new ConcurrentHashMap<>();

  void sendEnrolments(List<String> refs) {
    for (String ref : refs) {
      send(Topics.PATHWAY_ENROLMENTS, enrolment(ref));
    }
    flushCopies();
  }

  void sendObservations(List<String> refs, Set<String> redFlagPatients, Map<Double, Runnable> faults) throws Exception {
    long start = System.currentTimeMillis();
    List<Map.Entry<Double, Runnable>> pending = new ArrayList<>(faults.entrySet());
    for (int i = 0; i < refs.size(); i++) {
      long due = start + (long) (i * 1000 / rate);
      long wait = due - System.currentTimeMillis();
      if (wait > 0) {
        Thread.sleep(wait);
      }
      double done = (double) i / refs.size();
      while (!pending.isEmpty() && pending.get(0).getKey() <= done) {
        long before = System.currentTimeMillis();
        pending.remove(0).getValue().run();
        start += System.currentTimeMillis() - before; // a fault run in line (a cold start) pauses the schedule, no burst after
      }
      String ref = refs.get(i);
      if (redFlagPatients.contains(ref)) {
        sendRedFlag(ref);
      } else {
        send(Topics.CLINICAL_OBSERVATIONS, new FollowUpRecorded(ref, "EPIDURAL_STEROID_INJECTION", 70, true, Instant.now()));
      }
    }
    flushCopies();
  }

  void sendRedFlag(String ref) {
    redFlagSentAt.putIfAbsent(ref, System.currentTimeMillis());
    redFlagEventId.putIfAbsent(ref, send(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised(ref, RedFlag.SADDLE_ANESTHESIA, Instant.now())));
    producer.flush();
  }

  private static EnrolmentRequested enrolment(String ref) {
    LocalDate steroid = LocalDate.now().minusDays(1);
    return new EnrolmentRequested("REF-" + ref, ref, new SteroidTreatment(SteroidKind.EPIDURAL_STEROID_INJECTION, steroid, true, true),
        PainPattern.RADICULAR, 7, false, List.of(ImagingFinding.LARGE_DISC_HERNIATION), 3, List.of(), steroid.minusMonths(2));
  }
}
