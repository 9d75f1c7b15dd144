package io.pathway.deploy.simulator;

import io.pathway.model.Topics;
import io.pathway.model.codes.DiagnosticTest;
import io.pathway.model.codes.ImagingFinding;
import io.pathway.model.codes.MriFinding;
import io.pathway.model.codes.OrderKind;
import io.pathway.model.codes.PainPattern;
import io.pathway.model.codes.RedFlag;
import io.pathway.model.codes.SteroidKind;
import io.pathway.model.codes.TestOutcome;
import io.pathway.model.envelope.EventCodec;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.model.events.DiagnosticResult;
import io.pathway.model.events.EnrolmentRequested;
import io.pathway.model.events.Findings;
import io.pathway.model.events.FollowUpRecorded;
import io.pathway.model.events.OrderCancelled;
import io.pathway.model.events.OrderPlaced;
import io.pathway.model.events.PathwayEvent;
import io.pathway.model.events.RedFlagRaised;
import io.pathway.model.events.SteroidTreatment;
import io.pathway.model.events.TreatmentOutcome;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays a hospital through the contract's topics with synthetic, pseudonymous patients: enrolments,
 * follow-ups and red flags, and (as radiology and the pain clinic) answers the platform's orders with
 * results and outcomes a few seconds later. An order the platform cancels
 * ({@code pathway.order.cancelled.v1}) is stopped: no result or outcome is ever sent for it after the
 * cancellation. It answers only the patients it plays itself (pseudonymous references {@code DEMO-...} and
 * {@code SIM-...}): a patient a user enrols to try the platform waits for results as a real one would.
 * Used for the demo data of the local run, and on its own:
 * {@code HospitalSimulator [--bootstrap host:port] [--patients N] [--respond]}.
 */
public final class HospitalSimulator implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HospitalSimulator.class);
  static final URI SOURCE = URI.create("urn:pathway:hospital-simulator");
  /** The pseudonymous references of the patients the simulator plays: the only ones whose orders it answers. */
  static final List<String> OWN_PATIENTS = List.of("DEMO-", "SIM-");

  private final EventCodec codec = EventCodec.create();
  private final KafkaProducer<String, byte[]> producer;
  private final String bootstrap;
  private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "simulator-replies");
    t.setDaemon(true);
    return t;
  });
  private volatile KafkaConsumer<String, byte[]> orders;
  private final Random random = new Random(42);
  private final Duration answerDelay;
  /** Guards {@link #pending} and {@link #cancelled}: an answer is sent only while its order is not cancelled. */
  private final Object orderBook = new Object();
  private final Map<String, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();
  private final Set<String> cancelled = ConcurrentHashMap.newKeySet();

  public HospitalSimulator(String bootstrap) {
    this(bootstrap, Duration.ofSeconds(5));
  }

  /** With {@code answerDelay} between an order and its answer. */
  HospitalSimulator(String bootstrap, Duration answerDelay) {
    this.bootstrap = bootstrap;
    this.answerDelay = answerDelay;
    this.producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new ByteArraySerializer());
  }

  public static void main(String[] args) throws Exception {
    String bootstrap = System.getenv().getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
    int patients = 5;
    boolean respond = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--bootstrap" -> bootstrap = args[++i];
        case "--patients" -> patients = Integer.parseInt(args[++i]);
        case "--respond" -> respond = true;
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + " (use --bootstrap host:port, --patients N, --respond)");
      }
    }
    try (HospitalSimulator simulator = new HospitalSimulator(bootstrap)) {
      simulator.playRandomPatients(patients);
      if (respond) {
        simulator.respondToOrders();
        log.info("Answering orders on {}; Ctrl-C to stop", Topics.ORDERS);
        Thread.currentThread().join();
      }
    }
  }

  /** Five demo patients at different stages, so that a new user sees tasks at once. */
  public void playDemoPatients() {
    LocalDate today = LocalDate.now();
    // P01: follow-up overdue, no outcome reported: a coordinator must record it
    send(Topics.PATHWAY_ENROLMENTS, enrolment("DEMO-R01", "DEMO-P01", SteroidKind.EPIDURAL_STEROID_INJECTION, today.minusDays(40),
        PainPattern.RADICULAR, List.of(ImagingFinding.LARGE_DISC_HERNIATION), 3, List.of()));
    // P02: the steroid failed: failure analysis waits for a clinician
    send(Topics.PATHWAY_ENROLMENTS, enrolment("DEMO-R02", "DEMO-P02", SteroidKind.EPIDURAL_STEROID_INJECTION, today.minusDays(120),
        PainPattern.AXIAL, List.of(ImagingFinding.FACET_ARTHROPATHY), 2, List.of(), false));
    send(Topics.CLINICAL_OBSERVATIONS, new FollowUpRecorded("DEMO-P02", "EPIDURAL_STEROID_INJECTION", 10, true, Instant.now()));
    // P03: cauda equina signs after enrolment: emergency referral, critical alert, transfer to confirm
    send(Topics.PATHWAY_ENROLMENTS, enrolment("DEMO-R03", "DEMO-P03", SteroidKind.ORAL_CORTICOSTEROID, today.minusDays(20),
        PainPattern.RADICULAR, List.of(ImagingFinding.LARGE_DISC_HERNIATION), 5, List.of()));
    send(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised("DEMO-P03", RedFlag.BLADDER_DYSFUNCTION, Instant.now()));
    // P04: foot drop already present at enrolment: urgent referral
    send(Topics.PATHWAY_ENROLMENTS, enrolment("DEMO-R04", "DEMO-P04", SteroidKind.EPIDURAL_STEROID_INJECTION, today.minusDays(30),
        PainPattern.RADICULAR, List.of(ImagingFinding.NERVE_ROOT_COMPRESSION), 4, List.of(RedFlag.FOOT_DROP)));
    // P05: the steroid worked: resolved
    send(Topics.PATHWAY_ENROLMENTS, enrolment("DEMO-R05", "DEMO-P05", SteroidKind.EPIDURAL_STEROID_INJECTION, today.minusDays(29),
        PainPattern.RADICULAR, List.of(ImagingFinding.DISC_DEGENERATION), 1, List.of()));
    send(Topics.CLINICAL_OBSERVATIONS, new FollowUpRecorded("DEMO-P05", "EPIDURAL_STEROID_INJECTION", 75, true, Instant.now()));
    producer.flush();
    log.info("Demo patients DEMO-P01..DEMO-P05 sent");
  }

  /** {@code n} synthetic patients: most fail the steroid, some resolve, a few raise red flags. */
  public void playRandomPatients(int n) {
    long run = System.currentTimeMillis() / 1000;
    PainPattern[] patterns = PainPattern.values();
    for (int i = 1; i <= n; i++) {
      String patient = "SIM-" + run + "-" + i;
      PainPattern pattern = patterns[random.nextInt(patterns.length)];
      List<ImagingFinding> imaging = List.of(ImagingFinding.values()[random.nextInt(ImagingFinding.values().length)]);
      send(Topics.PATHWAY_ENROLMENTS, enrolment("SIM-R-" + run + "-" + i, patient, SteroidKind.EPIDURAL_STEROID_INJECTION,
          LocalDate.now().minusDays(30 + random.nextInt(90)), pattern, imaging, random.nextInt(11), List.of()));
      int roll = random.nextInt(10);
      if (roll < 7) {
        send(Topics.CLINICAL_OBSERVATIONS, new FollowUpRecorded(patient, "EPIDURAL_STEROID_INJECTION", random.nextInt(40), true, Instant.now()));
      } else if (roll < 9) {
        send(Topics.CLINICAL_OBSERVATIONS, new FollowUpRecorded(patient, "EPIDURAL_STEROID_INJECTION", 50 + random.nextInt(50), true, Instant.now()));
      } else {
        send(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised(patient, RedFlag.values()[random.nextInt(RedFlag.values().length)], Instant.now()));
      }
    }
    producer.flush();
    log.info("{} synthetic patients sent", n);
  }

  /**
   * Answers every order with a plausible result (tests) or outcome (procedures) a few seconds later,
   * unless the platform cancels the order first.
   */
  public void respondToOrders() {
    KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "hospital-simulator",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(Topics.ORDERS));
    this.orders = consumer;
    Thread t = new Thread(() -> {
      try {
        while (true) {
          for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
            try {
              EventEnvelope e = codec.decode(r);
              if (e.data() instanceof OrderPlaced order && !plays(order.patientRef())) {
                log.debug("Order {} is not for a demo or simulated patient: not answered", order.orderId());
              } else if (e.data() instanceof OrderPlaced order) {
                schedule(order);
              } else if (e.data() instanceof OrderCancelled cancellation && plays(cancellation.patientRef())) {
                cancel(cancellation);
              }
            } catch (Exception ex) {
              log.warn("Simulator skipped a record on {}: {}", r.topic(), ex.getClass().getSimpleName());
            }
          }
        }
      } catch (WakeupException stop) {
        consumer.close(Duration.ofSeconds(1));
      }
    }, "simulator-orders");
    t.setDaemon(true);
    t.start();
  }

  /** Whether the patient is one the simulator plays (demo or simulated), not one a user enrolled. */
  static boolean plays(String patientRef) {
    return patientRef != null && OWN_PATIENTS.stream().anyMatch(patientRef::startsWith);
  }

  private void schedule(OrderPlaced order) {
    synchronized (orderBook) {
      if (cancelled.contains(order.orderId()) || pending.containsKey(order.orderId())) {
        log.info("Order {} already {}: not answered again", order.orderId(),
            cancelled.contains(order.orderId()) ? "cancelled" : "scheduled");
        return;
      }
      pending.put(order.orderId(), later.schedule(() -> answerUnlessCancelled(order), answerDelay.toMillis(), TimeUnit.MILLISECONDS));
    }
  }

  /** The hospital stops the order: its answer, if still to come, is never sent. Logged without patient data. */
  private void cancel(OrderCancelled cancellation) {
    boolean stopped;
    synchronized (orderBook) {
      cancelled.add(cancellation.orderId());
      ScheduledFuture<?> answer = pending.remove(cancellation.orderId());
      stopped = answer != null && answer.cancel(false);
    }
    log.info("Order {} cancelled by the platform ({}): {}", cancellation.orderId(), cancellation.reason(),
        stopped ? "stopped, no answer will be sent" : "no answer was pending");
  }

  private void answerUnlessCancelled(OrderPlaced order) {
    synchronized (orderBook) {
      pending.remove(order.orderId());
      if (cancelled.contains(order.orderId())) {
        return;
      }
      answer(order);
    }
  }

  private void answer(OrderPlaced order) {
    if (order.kind() == OrderKind.PROCEDURE) {
      send(Topics.TREATMENT_OUTCOMES, new TreatmentOutcome(order.patientRef(), order.orderId(), order.code(), 65, Instant.now(), true));
      return;
    }
    DiagnosticTest test = DiagnosticTest.valueOf(order.code());
    Findings findings = switch (test) {
      case CONTRAST_MRI -> new Findings(MriFinding.RECURRENT_HERNIATION, "L4-L5", null, null, null, "LEFT");
      case SELECTIVE_NERVE_ROOT_BLOCK -> new Findings(null, "L5", 80, null, null, "LEFT");
      case DISCOGRAPHY -> new Findings(null, "L4-L5", null, true, true, null);
      case MEDIAL_BRANCH_BLOCK, SI_JOINT_BLOCK -> new Findings(null, "L4-L5", 85, null, null, "BILATERAL");
    };
    send(Topics.DIAGNOSTIC_RESULTS, new DiagnosticResult(order.orderId(), order.patientRef(), test, TestOutcome.POSITIVE, findings, Instant.now()));
  }

  static EnrolmentRequested enrolment(String referralId, String patientRef, SteroidKind kind, LocalDate date, PainPattern pattern,
      List<ImagingFinding> imaging, int dn4, List<RedFlag> redFlags) {
    return enrolment(referralId, patientRef, kind, date, pattern, imaging, dn4, redFlags, true);
  }

  static EnrolmentRequested enrolment(String referralId, String patientRef, SteroidKind kind, LocalDate date, PainPattern pattern,
      List<ImagingFinding> imaging, int dn4, List<RedFlag> redFlags, boolean imageGuided) {
    boolean esi = kind == SteroidKind.EPIDURAL_STEROID_INJECTION;
    return new EnrolmentRequested(referralId, patientRef,
        new SteroidTreatment(kind, date, esi ? imageGuided : null, esi ? imageGuided : null),
        pattern, 7, false, imaging, dn4, redFlags, date.minusMonths(2), null, imaging.isEmpty() ? null : "L4-L5",
        imaging.isEmpty() ? null : io.pathway.model.codes.LesionSide.LEFT);
  }

  void send(String topic, PathwayEvent event) {
    producer.send(codec.toRecord(topic, EventEnvelope.of(SOURCE, event)));
  }

  @Override
  public void close() {
    KafkaConsumer<String, byte[]> c = orders;
    if (c != null) {
      c.wakeup();
    }
    later.shutdownNow();
    producer.close(Duration.ofSeconds(2));
  }
}
