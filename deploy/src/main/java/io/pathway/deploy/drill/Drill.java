package io.pathway.deploy.drill;

import io.pathway.model.Topics;
import io.pathway.model.codes.AlertType;
import io.pathway.model.codes.ImagingFinding;
import io.pathway.model.codes.PainPattern;
import io.pathway.model.codes.RedFlag;
import io.pathway.model.codes.Severity;
import io.pathway.model.codes.SteroidKind;
import io.pathway.model.codes.Urgency;
import io.pathway.model.envelope.DeadLetterHeaders;
import io.pathway.model.envelope.EventCodec;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.model.events.AlertRaised;
import io.pathway.model.events.EnrolmentRequested;
import io.pathway.model.events.FollowUpRecorded;
import io.pathway.model.events.NotificationFailed;
import io.pathway.model.events.PathwayEvent;
import io.pathway.model.events.RedFlagRaised;
import io.pathway.model.events.ReferralIssued;
import io.pathway.model.events.SteroidTreatment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The reliability drills R1-R7 of the quality specification, against the packaged services as separate
 * processes on real parts: a KRaft broker from the {@code kafka_2.13} artifact, PostgreSQL (the machine's
 * server with a fresh database, or a private cluster for R3), GreenMail as SMTP server ({@link SmtpSink})
 * and a webhook receiver. Load through the Kafka contract (enrolments, follow-ups, cauda equina red
 * flags, duplicates), the fault, a drain, then counts and a one-line verdict. Run by
 * {@code deploy/drills/drill}; see docs/reliability.md.
 */
public final class Drill {

  private static final Path ROOT = Path.of("").toAbsolutePath();
  private static final String SECRET = "drill-webhook-secret-0123456789";
  private static final java.net.URI SOURCE = java.net.URI.create("urn:pathway:drill-hospital");
  private static final String STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());

  private final String id;
  private final int patients;
  private final int replicas;
  private final boolean baseline;
  private final double rate;
  private final double duplicateShare;
  private final Path work;
  private final EventCodec codec = EventCodec.create();
  private final List<String> report = new ArrayList<>();
  private final List<Proc> processes = new CopyOnWriteArrayList<>();

  // infrastructure
  private final int kafkaPort = Proc.freePort();
  private final int controllerPort = Proc.freePort();
  private final int smtpPort = Proc.freePort();
  private final WebhookReceiver webhooks = new WebhookReceiver(Proc.freePort(), SECRET);
  private final boolean privatePostgres;
  private int pgPort = 5432;
  private Path pgDir;
  private final String database;
  private Proc broker;
  private Proc smtp;
  private final List<Proc> pathway = new ArrayList<>();
  private final List<int[]> pathwayPorts = new ArrayList<>();
  private Proc notification;
  private final int[] notificationPorts = {Proc.freePort(), Proc.freePort()};
  private KafkaProducer<String, byte[]> producer;
  private final Map<String, String> extraNotificationEnv = new HashMap<>();

  // what was sent and seen
  private final Set<String> sentIds = ConcurrentHashMap.newKeySet();
  private final AtomicLong sentRecords = new AtomicLong();
  private final AtomicLong sentBad = new AtomicLong();
  private final Map<String, Long> redFlagSentAt = new ConcurrentHashMap<>();
  private final Map<String, String> redFlagEventId = new ConcurrentHashMap<>();
  private final Observer observer = new Observer();
  private final Map<String, Long> marks = new LinkedHashMap<>();

  private Drill(String id, Map<String, String> options) {
    this.id = id;
    this.patients = Integer.parseInt(options.getOrDefault("patients", switch (id) {
      case "R1", "N1" -> "1000";
      case "P2C", "P3" -> "600";
      default -> "300";
    }));
    this.replicas = Integer.parseInt(options.getOrDefault("replicas", id.equals("R1") ? "2" : "1"));
    this.baseline = options.containsKey("baseline");
    this.rate = Double.parseDouble(options.getOrDefault("rate", "8"));
    this.duplicateShare = Double.parseDouble(options.getOrDefault("duplicates", id.equals("R6") ? "1.0" : "0.1"));
    this.privatePostgres = id.equals("R3");
    this.work = ROOT.resolve("deploy/target/drills/" + id + "-" + STAMP);
    this.database = ("drill_" + id + "_" + STAMP).toLowerCase(Locale.ROOT).replace('-', '_');
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      throw new IllegalArgumentException("usage: Drill R1|R2|R3|R4|R5|R6|R7|N1|P2C|P3 [--patients N] [--replicas K] [--rate r] "
          + "[--duplicates share] [--baseline]");
    }
    Map<String, String> options = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      String key = args[i].replaceFirst("^--", "");
      if (key.equals("baseline")) {
        options.put(key, "true");
      } else {
        options.put(key, args[++i]);
      }
    }
    Drill drill = new Drill(args[0].toUpperCase(Locale.ROOT), options);
    int exit;
    try {
      exit = drill.run() ? 0 : 1;
    } finally {
      drill.shutdown();
    }
    System.exit(exit);
  }

  // ------------------------------------------------------------------ the drill

  private boolean run() throws Exception {
    Files.createDirectories(work);
    long t0 = System.currentTimeMillis();
    say("drill %s: %d patients, %d pathway-service replica(s), %.0f observations/s, duplicates %.0f%%%s; work dir %s",
        id, patients, replicas, rate, duplicateShare * 100, baseline ? ", BASELINE settings (old defaults)" : "", work);
    say("machine: %d cores, load average %s", Runtime.getRuntime().availableProcessors(), loadAverage());
    startInfrastructure();
    startServices();
    producer = producer();
    observer.start();

    List<String> refs = new ArrayList<>();
    for (int i = 1; i <= patients; i++) {
      refs.add("DRL-" + STAMP.substring(9) + "-" + i);
    }
    // a red flag (cauda equina) for every 7th patient, a follow-up with sustained relief for the others
    Set<String> redFlagPatients = new HashSet<>();
    for (int i = 0; i < refs.size(); i++) {
      if (i % 7 == 3) {
        redFlagPatients.add(refs.get(i));
      }
    }
    // R5 keeps a few red-flag patients for the end, when the webhook stays down for good
    List<String> lastRedFlags = new ArrayList<>();
    if (id.equals("R5")) {
      for (int i = 0; i < 5; i++) {
        String ref = "DRL-" + STAMP.substring(9) + "-X" + i;
        lastRedFlags.add(ref);
      }
    }
    List<String> enrolled = new ArrayList<>(refs);
    enrolled.addAll(lastRedFlags);

    if (id.equals("R7")) {
      // observations first: they arrive before any pathway waits for them, and must be kept, then matched
      mark("observations sent before their enrolments");
      sendObservations(refs, redFlagPatients, Map.of());
      Thread.sleep(5000);
      mark("enrolments sent");
      sendEnrolments(enrolled);
      awaitApplied(sentIds.size(), Duration.ofSeconds(240));
    } else {
      mark("enrolments sent");
      sendEnrolments(enrolled);
      awaitApplied(sentIds.size(), Duration.ofSeconds(180));
      mark("enrolments applied");
      sendObservations(refs, redFlagPatients, faults());
    }
    if (id.equals("R5")) {
      awaitDrained(Duration.ofSeconds(180));
      mark("R5 part 2: webhook receiver down for good, 5 more red flags");
      webhooks.stop();
      for (String ref : lastRedFlags) {
        redFlagPatients.add(ref);
        sendRedFlag(ref);
      }
    }
    mark("load sent");
    boolean drained = awaitDrained(Duration.ofSeconds(240));
    mark(drained ? "drained" : "NOT drained within 240 s");
    boolean ok = count(refs.size() + lastRedFlags.size(), redFlagPatients, new HashSet<>(lastRedFlags));
    say("wall time %.0f s", (System.currentTimeMillis() - t0) / 1000.0);
    Files.write(work.resolve("report.txt"), report, StandardCharsets.UTF_8);
    return ok && drained;
  }

  /** The fault of each drill, as actions at fractions of the observation load. */
  private Map<Double, Runnable> faults() {
    Map<Double, Runnable> f = new LinkedHashMap<>();
    switch (id) {
      case "R1" -> f.put(0.4, () -> inBackground("kill-restart", () -> killAndRestart(pathway.get(0), 0)));
      case "N1" -> f.put(0.4, () -> inBackground("kill-restart", this::killAndRestartNotification));
      case "P2C" -> f.put(0.0, () -> {
        try {
          mark("pathway-service-1 stopped for a cold start");
          pathway.get(0).stop();
          Proc again = newPathway(0);
          pathway.set(0, again);
          again.start();
          long ready = again.awaitHttp200(readiness(pathwayPorts.get(0)[1]), Duration.ofSeconds(180));
          mark("pathway-service-1 restarted and ready (" + ready + " ms after its start)");
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      case "R2" -> f.put(0.3, () -> inBackground("broker-outage", () -> {
        mark("broker stopped");
        broker.stop();
        Thread.sleep(60_000);
        broker = newBroker(false).start();
        awaitBroker();
        mark("broker back");
      }));
      case "R3" -> f.put(0.3, () -> inBackground("postgres-restart", () -> {
        mark("PostgreSQL restart begins");
        postgresCtl("-m fast -w restart");
        mark("PostgreSQL restarted");
      }));
      case "R5" -> f.put(0.2, () -> inBackground("receivers-outage", () -> {
        mark("SMTP server and webhook receiver down");
        smtp.stop();
        webhooks.stop();
        Thread.sleep(20_000);
        smtp = newSmtp().start();
        webhooks.start();
        mark("SMTP server and webhook receiver back");
      }));
      case "R4" -> { /* bad records are interleaved by sendObservations and sendEnrolments */ }
      default -> { }
    }
    return f;
  }

  private void killAndRestart(Proc victim, int index) {
    try {
      mark("kill -9 " + victim.name + " (pid " + victim.pid() + ")");
      victim.kill9();
      Proc again = newPathway(index);
      pathway.set(index, again);
      again.start();
      long ready = again.awaitHttp200(readiness(pathwayPorts.get(index)[1]), Duration.ofSeconds(180));
      mark(victim.name + " restarted and ready (" + ready + " ms after its start)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void killAndRestartNotification() {
    try {
      mark("kill -9 notification-service (pid " + notification.pid() + ")");
      notification.kill9();
      notification = newNotification();
      notification.start();
      long ready = notification.awaitHttp200(readiness(notificationPorts[1]), Duration.ofSeconds(180));
      mark("notification-service restarted and ready (" + ready + " ms after its start)");
      Long assigned = firstLogTime(notification.log(), "partitions assigned", notification.startedAtMillis);
      if (assigned != null) {
        say("notification-service after restart: first 'partitions assigned' %d ms after its start", assigned - notification.startedAtMillis);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ------------------------------------------------------------------ load

  private KafkaProducer<String, byte[]> producer() {
    return new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
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
    EventEnvelope envelope = EventEnvelope.of(SOURCE, event);
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

  private void flushCopies() {
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
        say("SEND FAILED %s: %s", record.topic(), e);
      }
    });
    sentRecords.incrementAndGet();
  }

  /** R4's corpus, one kind after the other: each is a contract violation the codec refuses. */
  private ProducerRecord<String, byte[]> badRecord(String topic, EventEnvelope good, int n) {
    ProducerRecord<String, byte[]> r = codec.toRecord(topic, EventEnvelope.of(SOURCE, good.data()));
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

  private void sendEnrolments(List<String> refs) {
    for (String ref : refs) {
      send(Topics.PATHWAY_ENROLMENTS, enrolment(ref));
    }
    flushCopies();
  }

  private void sendObservations(List<String> refs, Set<String> redFlagPatients, Map<Double, Runnable> faults) throws Exception {
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

  private void sendRedFlag(String ref) {
    redFlagSentAt.putIfAbsent(ref, System.currentTimeMillis());
    redFlagEventId.putIfAbsent(ref, send(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised(ref, RedFlag.SADDLE_ANESTHESIA, Instant.now())));
    producer.flush();
  }

  private static EnrolmentRequested enrolment(String ref) {
    LocalDate steroid = LocalDate.now().minusDays(1);
    return new EnrolmentRequested("REF-" + ref, ref, new SteroidTreatment(SteroidKind.EPIDURAL_STEROID_INJECTION, steroid, true, true),
        PainPattern.RADICULAR, 7, false, List.of(ImagingFinding.LARGE_DISC_HERNIATION), 3, List.of(), steroid.minusMonths(2));
  }

  // ------------------------------------------------------------------ drain and count

  private void awaitApplied(int expected, Duration timeout) throws Exception {
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    while (System.currentTimeMillis() < deadline) {
      if (appliedOf(sentIds) >= expected) {
        return;
      }
      Thread.sleep(500);
    }
    say("WARNING: only %d of %d events applied after %s", appliedOf(sentIds), expected, timeout);
  }

  /** Until every sent event is applied, nothing waits in an outbox or for delivery, three seconds in a row. */
  private boolean awaitDrained(Duration timeout) throws Exception {
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    int quiet = 0;
    while (System.currentTimeMillis() < deadline) {
      boolean done;
      try {
        done = appliedOf(sentIds) >= sentIds.size()
            && keptNotMatchedOf(sentIds) == 0
            && scalar("select count(*) from pathway.outbox where published_at is null") == 0
            && scalar("select count(*) from notification.outbox where published_at is null") == 0
            && scalar("select count(*) from notification.notification where status = 'PENDING'") == 0
            && observer.outboundIds().stream().allMatch(notificationProcessed()::contains);
      } catch (SQLException e) {
        done = false;
      }
      quiet = done ? quiet + 1 : 0;
      if (quiet >= 6) {
        return true;
      }
      Thread.sleep(500);
    }
    return false;
  }

  private Set<String> notificationProcessed() throws SQLException {
    Set<String> ids = new HashSet<>();
    try (Connection c = connection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select ce_id from notification.processed_event")) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    }
    return ids;
  }

  private boolean count(int enrolledPatients, Set<String> redFlagPatients, Set<String> failForGood) throws Exception {
    observer.stop();
    say("---- counts");
    long applied = appliedOf(sentIds);
    say("sent: %d records (%d distinct events, %d duplicate copies, %d bad records %s)", sentRecords.get(), sentIds.size(),
        sentRecords.get() - sentIds.size() - sentBad.get(), sentBad.get(), badKinds);
    long processedRows = scalar("select count(*) from pathway.processed_event");
    say("applied: %d of %d distinct events (processed_event rows: %d; still kept in the inbox, never matched: %d; outcomes %s)",
        applied, sentIds.size(), processedRows, keptNotMatchedOf(sentIds),
        groups("select outcome, count(*) from pathway.processed_event group by outcome order by 1"));
    // pathways only: a red flag before its enrolment runs as a stand-alone escalation (kind ESCALATION) that the pathway adopts
    long pathways = scalar("select count(*) from pathway.pathway_ref where kind = 'PATHWAY'");
    long patientsWithTwo = scalar("select count(*) from (select patient_ref from pathway.pathway_ref where kind = 'PATHWAY' "
        + "group by patient_ref having count(*) > 1) t");
    say("pathways: %d for %d patients (patients with more than one: %d)", pathways, enrolledPatients, patientsWithTwo);

    // published
    Observer.Topic referrals = observer.topic(Topics.REFERRALS);
    Observer.Topic alerts = observer.topic(Topics.ALERTS);
    Observer.Topic status = observer.topic(Topics.STATUS);
    Observer.Topic deliveries = observer.topic(Topics.NOTIFICATION_DELIVERIES);
    for (Observer.Topic t : List.of(referrals, alerts, status, deliveries)) {
      say("published on %s: %d records, %d distinct events, %d duplicates on the topic (allowed)", t.name, t.records.get(),
          t.ids.size(), t.records.get() - t.ids.size());
    }
    int missingReferral = 0;
    int twoReferrals = 0;
    int missingAlert = 0;
    int twoAlerts = 0;
    List<Long> latencies = new ArrayList<>();
    for (String ref : redFlagPatients) {
      Set<String> em = observer.emergencyReferrals.getOrDefault(ref, Set.of());
      Set<String> cr = observer.criticalRedFlagAlerts.getOrDefault(ref, Set.of());
      missingReferral += em.isEmpty() ? 1 : 0;
      twoReferrals += em.size() > 1 ? 1 : 0;
      missingAlert += cr.isEmpty() ? 1 : 0;
      twoAlerts += cr.size() > 1 ? 1 : 0;
      Long seen = observer.firstEmergencyAt.get(ref);
      if (seen != null && redFlagSentAt.containsKey(ref)) {
        latencies.add(seen - redFlagSentAt.get(ref));
      }
    }
    say("red-flag patients: %d; emergency referral missing %d, issued twice %d; critical alert missing %d, raised twice %d",
        redFlagPatients.size(), missingReferral, twoReferrals, missingAlert, twoAlerts);
    Collections2.sort(latencies);
    long over30 = latencies.stream().filter(l -> l > 30_000).count();
    say("red flag sent to emergency referral on %s: p50 %s, p95 %s, p99 %s, max %s ms (%d samples, %d over 30 s)", Topics.REFERRALS,
        pct(latencies, 50), pct(latencies, 95), pct(latencies, 99), latencies.isEmpty() ? "-" : latencies.get(latencies.size() - 1),
        latencies.size(), over30);
    Long readyAgain = marks.entrySet().stream().filter(m -> m.getKey().contains("restarted and ready"))
        .map(Map.Entry::getValue).findFirst().orElse(null);
    if (readyAgain != null && id.equals("P2C")) {
      long[] edges = {0, 10_000, 20_000, 30_000, 60_000, Long.MAX_VALUE};
      for (int b = 0; b + 1 < edges.length; b++) {
        List<Long> l = new ArrayList<>();
        for (String ref : redFlagPatients) {
          Long seen = observer.firstEmergencyAt.get(ref);
          Long sent = redFlagSentAt.get(ref);
          if (seen != null && sent != null && sent - readyAgain >= edges[b] && sent - readyAgain < edges[b + 1]) {
            l.add(seen - sent);
          }
        }
        Collections2.sort(l);
        say("  P2 red flags sent %d-%s s after readiness: p50 %s, p95 %s, p99 %s, max %s ms (%d)", edges[b] / 1000,
            edges[b + 1] == Long.MAX_VALUE ? "end" : String.valueOf(edges[b + 1] / 1000), pct(l, 50), pct(l, 95), pct(l, 99),
            pct(l, 100), l.size());
      }
    }
    if (id.equals("P2C")) {
      say("  pathway-service-1 memory at the end: %s", memoryOf(pathway.get(0)));
    }
    p2Stages(redFlagPatients, id.equals("P2C") ? readyAgain : null);
    Long fault = marks.entrySet().stream().filter(m -> m.getKey().startsWith("kill") || m.getKey().contains("stopped")
        || m.getKey().contains("restart begins") || m.getKey().contains(" down")).map(Map.Entry::getValue).findFirst().orElse(null);
    if (fault != null) {
      List<Long> before = new ArrayList<>();
      List<Long> around = new ArrayList<>();
      List<Long> after = new ArrayList<>();
      for (String ref : redFlagPatients) {
        Long seen = observer.firstEmergencyAt.get(ref);
        Long sent = redFlagSentAt.get(ref);
        if (seen != null && sent != null) {
          (sent < fault ? before : sent < fault + 40_000 ? around : after).add(seen - sent);
        }
      }
      for (List<Long> l : List.of(before, around, after)) {
        Collections2.sort(l);
      }
      say("  by send time: before the fault p50 %s / max %s ms (%d); in the 40 s after it p50 %s / max %s ms (%d); "
          + "later p50 %s / max %s ms (%d)", pct(before, 50), pct(before, 100), before.size(), pct(around, 50), pct(around, 100),
          around.size(), pct(after, 50), pct(after, 100), after.size());
    }

    // delivered
    Map<String, Integer> mails = new HashMap<>();
    Path journal = work.resolve("smtp-journal.txt");
    if (Files.exists(journal)) {
      for (String line : Files.readAllLines(journal)) {
        String[] parts = line.split(" ");
        if (parts.length >= 3) {
          mails.merge(parts[2], 1, Integer::sum);
        }
      }
    }
    Map<String, Integer> hooks = new HashMap<>();
    long badSignatures = 0;
    for (WebhookReceiver.Received r : webhooks.received()) {
      hooks.merge(String.valueOf(r.idempotencyKey()), 1, Integer::sum);
      badSignatures += r.signatureValid() ? 0 : 1;
    }
    int delivered = 0;
    int duplicatesDelivered = 0;
    int notDelivered = 0;
    int failedAsExpected = 0;
    int failedUnexpectedly = 0;
    Map<String, Integer> byStatus = new LinkedHashMap<>();
    List<String> rows = new ArrayList<>();
    try (Connection c = connection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select id, channel, status, patient_ref from notification.notification")) {
      while (rs.next()) {
        String nid = rs.getString(1);
        String channel = rs.getString(2);
        String st = rs.getString(3);
        byStatus.merge(channel + " " + st, 1, Integer::sum);
        int received = (channel.equals("EMAIL") ? mails : hooks).getOrDefault(nid, 0);
        rows.add(nid + " " + channel + " " + st + " " + received);
        if (st.equals("DELIVERED")) {
          if (received == 0) {
            notDelivered++;
          } else {
            delivered++;
            duplicatesDelivered += received - 1;
          }
        } else if (st.equals("FAILED")) {
          if (channel.equals("WEBHOOK") && webhookFailExpected(rs.getString(4), failForGood)) {
            failedAsExpected++;
          } else {
            failedUnexpectedly++;
          }
        } else if (st.equals("PENDING")) {
          notDelivered++;
        }
      }
    }
    Set<String> notificationSeen = notificationProcessed();
    long outboundNotTaken = observer.outboundIds().stream().filter(i -> !notificationSeen.contains(i)).count();
    Files.write(work.resolve("notifications.txt"), rows);
    Map<String, String> patientOfEmail = new HashMap<>();
    try (Connection c = connection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select id, patient_ref from notification.notification where channel = 'EMAIL'")) {
      while (rs.next()) {
        patientOfEmail.put(rs.getString(1), rs.getString(2));
      }
    }
    Map<String, Long> firstMailAt = new HashMap<>();
    if (Files.exists(journal)) {
      for (String line : Files.readAllLines(journal)) {
        String[] parts = line.split(" ");
        String patient = parts.length >= 3 ? patientOfEmail.get(parts[2]) : null;
        if (patient != null) {
          firstMailAt.merge(patient, Long.parseLong(parts[0]), Math::min);
        }
      }
    }
    List<Long> p3 = new ArrayList<>();
    for (String ref : redFlagPatients) {
      if (firstMailAt.containsKey(ref) && redFlagSentAt.containsKey(ref)) {
        p3.add(firstMailAt.get(ref) - redFlagSentAt.get(ref));
      }
    }
    Collections2.sort(p3);
    say("P3, red flag sent to its first e-mail accepted by the SMTP server: p50 %s, p95 %s, p99 %s, max %s ms (%d samples)",
        pct(p3, 50), pct(p3, 95), pct(p3, 99), pct(p3, 100), p3.size());
    p3Stages(redFlagPatients, journal);
    Files.write(work.resolve("webhook-journal.txt"), webhooks.received().stream()
        .map(r -> r.atMillis() + " " + r.idempotencyKey() + " " + r.signatureValid()).toList());
    say("notifications: %s", byStatus);
    say("delivered: %d notifications at the receivers (%d e-mails, %d webhook requests, %d bad signatures); "
            + "duplicates delivered %d; delivered-but-not-received or still pending %d; failed as intended %d, failed otherwise %d",
        delivered, mails.values().stream().mapToInt(Integer::intValue).sum(), hooks.values().stream().mapToInt(Integer::intValue).sum(),
        badSignatures, duplicatesDelivered, notDelivered, failedAsExpected, failedUnexpectedly);
    long failedEvents = deliveries.types.getOrDefault("io.pathway.model.events.NotificationFailed", 0L);
    long escalationAlerts = observer.escalationAlerts.size();
    if (!failForGood.isEmpty()) {
      say("after the last attempt: %d notification.failed.v1 events, %d ESCALATION alerts", failedEvents, escalationAlerts);
    }
    say("DLT records: %s; reasons %s", observer.dltCounts, observer.dltReasons);

    // timings
    say("jobs, created to done (act_hi_job_log): %s", durations("""
        select extract(epoch from (max(l.timestamp_) filter (where l.job_state_ = 2)
                                 - min(l.timestamp_) filter (where l.job_state_ = 0))) * 1000
        from act_hi_job_log l group by l.job_id_ having count(*) filter (where l.job_state_ = 2) > 0"""));
    say("delivery attempts, start to end: %s", durations(
        "select extract(epoch from (finished_at - started_at)) * 1000 from notification.delivery_attempt"));
    say("notifications, created to delivered: %s", durations("""
        select extract(epoch from (a.finished_at - n.created_at)) * 1000 from notification.notification n
        join notification.delivery_attempt a on a.notification_id = n.id and a.outcome = 'DELIVERED'"""));
    marks.forEach((what, at) -> say("  t+%6.1f s  %s", (at - marks.values().iterator().next()) / 1000.0, what));

    long lost = (sentIds.size() - applied) + missingReferral + missingAlert + notDelivered + outboundNotTaken + failedUnexpectedly;
    long appliedTwice = patientsWithTwo + twoReferrals + twoAlerts;
    List<String> problems = new ArrayList<>();
    if (lost > 0) {
      problems.add(lost + " lost");
    }
    if (appliedTwice > 0) {
      problems.add(appliedTwice + " applied twice");
    }
    long keptNotMatched = keptNotMatchedOf(sentIds);
    if (keptNotMatched > 0) {
      problems.add(keptNotMatched + " kept in the inbox and never matched");
    }
    if (duplicatesDelivered > 0) {
      problems.add(duplicatesDelivered + " duplicates delivered");
    }
    if (id.equals("R1") && over30 > 0) {
      problems.add(over30 + " emergency referrals later than 30 s");
    }
    if (id.equals("R4")) {
      long dlt = observer.dltCounts.values().stream().mapToLong(Integer::longValue).sum();
      if (dlt != sentBad.get() || observer.dltWithoutReason.get() > 0) {
        problems.add(dlt + " DLT records for " + sentBad.get() + " bad ones (" + observer.dltWithoutReason.get() + " without reason)");
      }
    } else if (!observer.dltCounts.isEmpty()) {
      problems.add("records in a DLT " + observer.dltCounts);
    }
    if (!failForGood.isEmpty() && (failedAsExpected < failForGood.size() || failedEvents < failForGood.size()
        || escalationAlerts < failForGood.size())) {
      problems.add("final failure not reported (" + failedAsExpected + " failed, " + failedEvents + " failed events, "
          + escalationAlerts + " escalation alerts for " + failForGood.size() + ")");
    }
    String verdict = problems.isEmpty() ? "PASS" : "FAIL: " + String.join(", ", problems);
    say("VERDICT %s %s: %d sent, %d applied, %d referrals and %d alerts published, %d delivered, %d lost, %d duplicates delivered",
        id, verdict, sentIds.size(), applied, referrals.ids.size(), alerts.ids.size(), delivered, lost, duplicatesDelivered);
    return problems.isEmpty();
  }

  /**
   * Where P3's time goes, for the first e-mail of each red-flag patient: red flag sent to the notification
   * row created (pathway-service, both topics, intake commit), created to its first delivery attempt started
   * (waiting for the worker: claim and a free sender), attempt started to accepted by the SMTP server (the
   * journal's time), and the same created-to-started wait for every notification of those patients.
   */
  private void p3Stages(Set<String> redFlagPatients, Path journal) throws IOException {
    Map<String, Long> accepted = new HashMap<>();
    if (Files.exists(journal)) {
      for (String line : Files.readAllLines(journal)) {
        String[] parts = line.split(" ");
        if (parts.length >= 3) {
          accepted.merge(parts[2], Long.parseLong(parts[0]), Math::min);
        }
      }
    }
    Map<String, long[]> firstMail = new HashMap<>(); // patient -> {accepted, created, started}
    List<Long> waitAll = new ArrayList<>();
    try (Connection c = connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
        select n.id, n.patient_ref, n.channel, n.priority, extract(epoch from n.created_at) * 1000,
               extract(epoch from a.started_at) * 1000
        from notification.notification n join notification.delivery_attempt a on a.notification_id = n.id and a.attempt = 1""")) {
      while (rs.next()) {
        String patient = rs.getString(2);
        if (!redFlagPatients.contains(patient)) {
          continue;
        }
        long created = Math.round(rs.getDouble(5));
        long started = Math.round(rs.getDouble(6));
        waitAll.add(started - created);
        Long at = accepted.get(rs.getString(1));
        if (rs.getString(3).equals("EMAIL") && at != null) {
          long[] prev = firstMail.get(patient);
          if (prev == null || at < prev[0]) {
            firstMail.put(patient, new long[] {at, created, started});
          }
        }
      }
    } catch (SQLException e) {
      say("P3 stages not available: %s", e.getMessage());
      return;
    }
    List<Long> upstream = new ArrayList<>();
    List<Long> waiting = new ArrayList<>();
    List<Long> sending = new ArrayList<>();
    firstMail.forEach((patient, t) -> {
      Long sent = redFlagSentAt.get(patient);
      if (sent != null) {
        upstream.add(t[1] - sent);
      }
      waiting.add(t[2] - t[1]);
      sending.add(t[0] - t[2]);
    });
    for (List<Long> l : List.of(upstream, waiting, sending, waitAll)) {
      Collections2.sort(l);
    }
    say("P3 stages (first e-mail per red-flag patient, %d): red flag sent to notification created %s; created to attempt started %s; "
        + "attempt started to SMTP journal %s", firstMail.size(), stats(upstream), stats(waiting), stats(sending));
    say("P3 stages, every notification of the red-flag patients (%d): created to first attempt started %s", waitAll.size(),
        stats(waitAll));
  }

  /**
   * Where P2's time goes, per red flag, from the database's timestamps: sent to the start of its inbound
   * transaction ({@code processed_event.processed_at}: the consumer's queue and poll), that start to the
   * start of the transaction that wrote the emergency referral to the outbox (the inbound transaction, its
   * commit and the job executor's pick-up of the continuation), that to published (the outbox relay), and
   * published to seen by the drill's consumer (Kafka). With {@code ready} (P2C), by send time after it.
   */
  private void p2Stages(Set<String> redFlagPatients, Long ready) {
    Map<String, Long> inbound = new HashMap<>();
    Map<String, long[]> outbox = new HashMap<>();
    try (Connection c = connection()) {
      try (java.sql.PreparedStatement ps = c.prepareStatement(
          "select ce_id, extract(epoch from processed_at) * 1000 from pathway.processed_event where ce_id = any(?)")) {
        ps.setArray(1, c.createArrayOf("varchar", redFlagEventId.values().toArray()));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            inbound.put(rs.getString(1), Math.round(rs.getDouble(2)));
          }
        }
      }
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
          select record_key, extract(epoch from created_at) * 1000, extract(epoch from published_at) * 1000 from pathway.outbox
          where ce_type = 'pathway.referral.issued.v1' and published_at is not null order by id""")) {
        while (rs.next()) {
          outbox.putIfAbsent(rs.getString(1), new long[] {Math.round(rs.getDouble(2)), Math.round(rs.getDouble(3))});
        }
      }
    } catch (SQLException e) {
      say("P2 stages not available: %s", e.getMessage());
      return;
    }
    long[] edges = ready == null ? new long[] {Long.MIN_VALUE, Long.MAX_VALUE} : new long[] {0, 10_000, 20_000, 60_000, Long.MAX_VALUE};
    for (int b = 0; b + 1 < edges.length; b++) {
      List<Long> queue = new ArrayList<>();
      List<Long> engine = new ArrayList<>();
      List<Long> relay = new ArrayList<>();
      List<Long> kafka = new ArrayList<>();
      for (String ref : redFlagPatients) {
        Long sent = redFlagSentAt.get(ref);
        Long in = inbound.get(redFlagEventId.get(ref));
        long[] out = outbox.get(ref);
        Long seen = observer.firstEmergencyAt.get(ref);
        if (sent == null || in == null || out == null || seen == null) {
          continue;
        }
        long after = ready == null ? 0 : sent - ready;
        if (after < edges[b] || after >= edges[b + 1]) {
          continue;
        }
        queue.add(in - sent);
        engine.add(out[0] - in);
        relay.add(out[1] - out[0]);
        kafka.add(seen - out[1]);
      }
      for (List<Long> l : List.of(queue, engine, relay, kafka)) {
        Collections2.sort(l);
      }
      String window = ready == null ? "all" : "sent " + edges[b] / 1000 + "-" + (edges[b + 1] == Long.MAX_VALUE ? "end" : edges[b + 1] / 1000)
          + " s after readiness";
      say("P2 stages (%s, %d): sent to inbound transaction %s; to the referral's transaction (inbound, commit, job pick-up) %s; "
          + "relay to published %s; published to seen %s", window, queue.size(), stats(queue), stats(engine), stats(relay), stats(kafka));
    }
  }

  private static String stats(List<Long> sorted) {
    return "p50 " + pct(sorted, 50) + " / p95 " + pct(sorted, 95) + " / p99 " + pct(sorted, 99) + " / max " + pct(sorted, 100) + " ms";
  }

  private static boolean webhookFailExpected(String patientRef, Set<String> failForGood) {
    return failForGood.contains(patientRef);
  }

  private long appliedOf(Set<String> ids) throws SQLException {
    return countOf("select count(*) from pathway.processed_event where ce_id = any(?)", ids);
  }

  /**
   * Sent events that were claimed but only kept in the inbox, never matched to their step (a processed_event
   * row counts as applied whatever its outcome, so this is what tells a broken inbox matcher apart).
   */
  private long keptNotMatchedOf(Set<String> ids) throws SQLException {
    return countOf("select count(*) from pathway.inbox where status in ('PENDING', 'HELD') and ce_id = any(?)", ids);
  }

  private long countOf(String sql, Set<String> ids) throws SQLException {
    try (Connection c = connection();
        java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setArray(1, c.createArrayOf("varchar", ids.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private long scalar(String sql) throws SQLException {
    try (Connection c = connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private String groups(String sql) throws SQLException {
    Map<String, Long> m = new LinkedHashMap<>();
    try (Connection c = connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        m.put(rs.getString(1), rs.getLong(2));
      }
    }
    return m.toString();
  }

  private String durations(String sql) {
    List<Long> values = new ArrayList<>();
    try (Connection c = connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        values.add(Math.round(rs.getDouble(1)));
      }
    } catch (SQLException e) {
      return "not available (" + e.getMessage() + ")";
    }
    Collections2.sort(values);
    if (values.isEmpty()) {
      return "none";
    }
    return String.format("n %d, p50 %s, p95 %s, p99 %s, max %d ms", values.size(), pct(values, 50), pct(values, 95), pct(values, 99),
        values.get(values.size() - 1));
  }

  private static String pct(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return "-";
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return String.valueOf(sorted.get(Math.max(0, Math.min(sorted.size() - 1, i))));
  }

  // ------------------------------------------------------------------ infrastructure

  private String bootstrap() {
    return "127.0.0.1:" + kafkaPort;
  }

  private Connection connection() throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort + "/" + database, "postgres", "");
  }

  private void startInfrastructure() throws Exception {
    Path kafkaDir = work.resolve("kafka");
    Files.createDirectories(kafkaDir);
    Files.writeString(kafkaDir.resolve("server.properties"), String.join("\n",
        "process.roles=broker,controller", "node.id=1",
        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
        "listeners=PLAINTEXT://127.0.0.1:" + kafkaPort + ",CONTROLLER://127.0.0.1:" + controllerPort,
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + kafkaPort,
        "controller.listener.names=CONTROLLER", "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs=" + kafkaDir.resolve("data"), "num.partitions=12", "auto.create.topics.enable=false",
        "offsets.topic.replication.factor=1", "offsets.topic.num.partitions=12", "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1", "group.initial.rebalance.delay.ms=0", "message.max.bytes=2097152", ""));
    Files.writeString(kafkaDir.resolve("logback.xml"), """
        <configuration>
          <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
            <encoder><pattern>%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX,UTC} %-5level %logger{36} - %msg%n</pattern></encoder>
          </appender>
          <logger name="kafka.coordinator.group" level="INFO"/>
          <logger name="org.apache.kafka.coordinator.group" level="INFO"/>
          <root level="WARN"><appender-ref ref="OUT"/></root>
        </configuration>
        """);
    Proc format = new Proc("kafka-format", kafkaDir, Proc.javaCommand(List.of("-cp", System.getProperty("java.class.path"),
        "-Dlogback.configurationFile=" + kafkaDir.resolve("logback.xml")), "kafka.tools.StorageTool", "format",
        "-t", Uuid.randomUuid().toString(), "-c", kafkaDir.resolve("server.properties").toString()), Map.of()).start();
    format.awaitExit();
    broker = newBroker(true).start();
    awaitBroker();
    say("broker (kafka_2.13, KRaft) on %s", bootstrap());

    if (privatePostgres) {
      pgPort = Proc.freePort();
      pgDir = Path.of("/tmp/pathway-drill-pg-" + STAMP);
      sh("mkdir -p " + pgDir + " && chown postgres " + pgDir);
      postgresAs("/usr/lib/postgresql/15/bin/initdb -D " + pgDir + "/data -A trust -U postgres >/dev/null");
      postgresAs("/usr/lib/postgresql/15/bin/pg_ctl -D " + pgDir + "/data -l " + pgDir + "/log -w -o '-p " + pgPort + " -k " + pgDir
          + " -c listen_addresses=127.0.0.1 -c max_connections=200' start >/dev/null");
      say("private PostgreSQL cluster (the machine's binaries) on 127.0.0.1:%d", pgPort);
    }
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres", "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("create database " + database);
    }
    say("database %s on 127.0.0.1:%d", database, pgPort);
    smtp = newSmtp().start();
    webhooks.start();
  }

  private void postgresCtl(String args) throws Exception {
    postgresAs("/usr/lib/postgresql/15/bin/pg_ctl -D " + pgDir + "/data " + args + " >/dev/null");
  }

  private void postgresAs(String command) throws Exception {
    sh("su postgres -s /bin/sh -c \"" + command.replace("\"", "\\\"") + "\"");
  }

  private static void sh(String command) throws Exception {
    Process p = new ProcessBuilder("sh", "-c", command).inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("failed: " + command);
    }
  }

  private Proc newBroker(boolean first) {
    Path kafkaDir = work.resolve("kafka");
    Proc p = new Proc("kafka", kafkaDir, Proc.javaCommand(List.of("-Xmx512m", "-cp", System.getProperty("java.class.path"),
        "-Dlogback.configurationFile=" + kafkaDir.resolve("logback.xml")), "kafka.Kafka",
        kafkaDir.resolve("server.properties").toString()), Map.of());
    processes.add(p);
    return p;
  }

  private void awaitBroker() throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
          AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000))) {
        admin.describeCluster().nodes().get();
        return;
      } catch (Exception e) {
        Thread.sleep(300);
      }
    }
    throw new IllegalStateException("broker not up, see " + work.resolve("kafka/kafka.log"));
  }

  private Proc newSmtp() {
    Proc p = new Proc("smtp", work, Proc.javaCommand(List.of("-Xmx128m", "-cp", System.getProperty("java.class.path"),
        "-Dlogback.configurationFile=" + work.resolve("kafka/logback.xml")),
        SmtpSink.class.getName(), String.valueOf(smtpPort), work.resolve("smtp-journal.txt").toString()), Map.of());
    processes.add(p);
    return p;
  }

  private void startServices() throws Exception {
    for (int i = 0; i < replicas; i++) {
      pathwayPorts.add(new int[] {Proc.freePort(), Proc.freePort()});
      pathway.add(null);
      for (int attempt = 1; ; attempt++) {
        Proc p = newPathway(i);
        pathway.set(i, p);
        p.start();
        // one after the other: the first creates the schemas
        try {
          long ready = p.awaitHttp200(readiness(pathwayPorts.get(i)[1]), Duration.ofSeconds(180));
          say("%s ready %d ms after its start", p.name, ready);
          break;
        } catch (IllegalStateException e) {
          if (attempt == 3 || !Files.readString(p.log()).contains("already in use")) {
            throw e;
          }
          pathwayPorts.set(i, new int[] {Proc.freePort(), Proc.freePort()});
        }
      }
    }
    if (id.equals("R5")) {
      extraNotificationEnv.put("NOTIFICATION_DELIVERY_INITIALBACKOFF", "PT2S");
      extraNotificationEnv.put("NOTIFICATION_DELIVERY_MAXBACKOFF", "PT20S");
      extraNotificationEnv.put("NOTIFICATION_DELIVERY_MAXATTEMPTS", "5");
    }
    for (int attempt = 1; ; attempt++) {
      notification = newNotification();
      notification.start();
      try {
        long ready = notification.awaitHttp200(readiness(notificationPorts[1]), Duration.ofSeconds(180));
        say("notification-service ready %d ms after its start", ready);
        break;
      } catch (IllegalStateException e) {
        // a port chosen as free was taken meanwhile (another process on this shared machine): new ports
        if (attempt == 3 || !Files.readString(notification.log()).contains("already in use")) {
          throw e;
        }
        notificationPorts[0] = Proc.freePort();
        notificationPorts[1] = Proc.freePort();
      }
    }
  }

  private static String readiness(int managementPort) {
    return "http://127.0.0.1:" + managementPort + "/actuator/health/readiness";
  }

  private Proc newPathway(int index) {
    Map<String, String> env = new HashMap<>();
    env.put("SPRING_PROFILES_ACTIVE", "prod");
    env.put("PATHWAY_DB_URL", "jdbc:postgresql://127.0.0.1:" + pgPort + "/" + database);
    env.put("PATHWAY_DB_USER", "postgres");
    env.put("PATHWAY_DB_PASSWORD", "unused-by-trust-auth");
    env.put("PATHWAY_DB_POOL_SIZE", "15");
    env.put("PATHWAY_ADMIN_USER", "drill-admin");
    env.put("PATHWAY_ADMIN_PASSWORD", "drill-admin-password-0123");
    env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap());
    env.put("PATHWAY_PORT", String.valueOf(pathwayPorts.get(index)[0]));
    env.put("PATHWAY_MANAGEMENT_PORT", String.valueOf(pathwayPorts.get(index)[1]));
    env.put("PATHWAY_MESSAGING_TOPICS_CREATE", "true");
    env.put("PATHWAY_MESSAGING_TOPICS_PARTITIONS", "12");
    if (baseline) {
      env.put("PATHWAY_JOB_LOCK_TIME_MS", "300000");
      env.put("PATHWAY_CONSUMER_SESSION_TIMEOUT_MS", "45000");
    }
    // DRILL_PATHWAY_JAVA: another JVM for pathway-service (e.g. Java 25); DRILL_PATHWAY_JAR: another jar of it
    // (e.g. the extracted layout an ahead-of-time cache is made for: deploy/aot/README.md)
    String jar = System.getenv().getOrDefault("DRILL_PATHWAY_JAR",
        ROOT.resolve("pathway-service/target/pathway-service-0.1.0-SNAPSHOT-exec.jar").toString());
    List<String> command = Proc.javaCommand(jvmOptions("DRILL_PATHWAY_JVM_OPTS", "-Xmx512m", "-XX:+ExitOnOutOfMemoryError"), "-jar", jar);
    String java = System.getenv("DRILL_PATHWAY_JAVA");
    if (java != null && !java.isBlank()) {
      command.set(0, java);
    }
    Proc p = new Proc("pathway-service-" + (index + 1), work, command, env);
    processes.add(p);
    return p;
  }

  /** VmRSS and VmHWM of a running service, from /proc (Linux), for comparing JVMs and caches. */
  private static String memoryOf(Proc p) {
    try {
      if (!p.alive()) {
        return "not running";
      }
      return Files.readAllLines(Path.of("/proc", String.valueOf(p.pid()), "status")).stream()
          .filter(l -> l.startsWith("VmRSS") || l.startsWith("VmHWM")).map(l -> l.replaceAll("\\s+", " ")).reduce((a, b) -> a + ", " + b)
          .orElse("unknown");
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  /**
   * A service's JVM options: the drill's, then any given in the environment variable (split on
   * spaces), e.g. {@code DRILL_PATHWAY_JVM_OPTS=-XX:StartFlightRecording:filename=/tmp/jfr/} to record
   * what pathway-service's JVM does during a drill.
   */
  static List<String> jvmOptions(String variable, String... defaults) {
    List<String> options = new ArrayList<>(List.of(defaults));
    String extra = System.getenv(variable);
    if (extra != null && !extra.isBlank()) {
      options.addAll(List.of(extra.trim().split("\\s+")));
    }
    return options;
  }

  private Proc newNotification() {
    Map<String, String> env = new HashMap<>();
    env.put("SPRING_PROFILES_ACTIVE", "prod");
    env.put("NOTIFICATION_DB_URL", "jdbc:postgresql://127.0.0.1:" + pgPort + "/" + database);
    env.put("NOTIFICATION_DB_USER", "postgres");
    env.put("NOTIFICATION_DB_PASSWORD", "unused-by-trust-auth");
    env.put("NOTIFICATION_API_USER", "drill");
    env.put("NOTIFICATION_API_PASSWORD", "drill-password-0123");
    env.put("NOTIFICATION_PUBLIC_URL", "http://127.0.0.1:" + notificationPorts[0]);
    env.put("PATHWAY_PUBLIC_URL", "http://127.0.0.1:8080");
    env.put("NOTIFICATION_WEBHOOK_URL_ONCALL", webhooks.url());
    env.put("NOTIFICATION_WEBHOOK_SECRET_ONCALL", SECRET);
    env.put("NOTIFICATION_SMTP_HOST", "127.0.0.1");
    env.put("NOTIFICATION_SMTP_PORT", String.valueOf(smtpPort));
    env.put("NOTIFICATION_PORT", String.valueOf(notificationPorts[0]));
    env.put("NOTIFICATION_MANAGEMENT_PORT", String.valueOf(notificationPorts[1]));
    env.put("PATHWAY_MESSAGING_TOPICS_CREATE", "true");
    env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap());
    // no reminders or escalation steps during a drill of a few minutes: first notices only
    env.put("NOTIFICATION_ESCALATION_RENOTIFYAFTER", "PT1H");
    env.put("NOTIFICATION_ESCALATION_STEPAFTER", "PT1H");
    if (baseline) {
      env.put("NOTIFICATION_CLAIM_TIMEOUT", "PT2M");
      env.put("NOTIFICATION_CONSUMER_SESSION_TIMEOUT_MS", "45000");
    }
    env.putAll(extraNotificationEnv);
    Proc p = new Proc("notification-service", work, Proc.javaCommand(List.of("-Xmx384m", "-XX:+ExitOnOutOfMemoryError"),
        "-jar", ROOT.resolve("notification-service/target/notification-service-0.1.0-SNAPSHOT-exec.jar").toString()), env);
    processes.add(p);
    return p;
  }

  private void shutdown() {
    observer.stop();
    if (producer != null) {
      producer.close(Duration.ofSeconds(2));
    }
    webhooks.stop();
    // with extra JVM options (a flight recording, say) the services stop gracefully, so they can write it out
    boolean graceful = System.getenv("DRILL_PATHWAY_JVM_OPTS") != null;
    for (Proc p : processes) {
      try {
        if (p.alive() && graceful) {
          p.stop();
        } else if (p.alive()) {
          p.kill9();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      if (privatePostgres && pgDir != null) {
        postgresCtl("-m immediate stop");
        sh("rm -rf " + pgDir);
      } else {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres", "postgres", "");
            Statement s = c.createStatement()) {
          s.execute("drop database if exists " + database + " with (force)");
        }
      }
    } catch (Exception e) {
      say("clean-up: %s", e.getMessage());
    }
  }

  // ------------------------------------------------------------------ helpers

  private void mark(String what) {
    marks.put(what, System.currentTimeMillis());
    say("t=%s %s", DateTimeFormatter.ISO_INSTANT.format(Instant.now()), what);
  }

  private void say(String format, Object... args) {
    String line = String.format(Locale.ROOT, format, args);
    report.add(line);
    System.out.println(line);
  }

  private interface Step {
    void run() throws Exception;
  }

  private void inBackground(String name, Step step) {
    Thread t = new Thread(() -> {
      try {
        step.run();
      } catch (Exception e) {
        say("%s failed: %s", name, e);
      }
    }, name);
    t.start();
    faultThreads.add(t);
  }

  private final List<Thread> faultThreads = new ArrayList<>();

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "?";
    }
  }

  /** The time of the first line containing {@code text} in a Spring Boot log, at or after {@code after}. */
  static Long firstLogTime(Path log, String text, long after) {
    try {
      for (String line : Files.readAllLines(log)) {
        if (line.contains(text) && line.length() > 24) {
          try {
            long t = OffsetDateTime.parse(line.substring(0, line.indexOf(' '))).toInstant().toEpochMilli();
            if (t >= after) {
              return t;
            }
          } catch (RuntimeException e) {
            // not a timestamped line
          }
        }
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }

  private static final class Collections2 {
    static void sort(List<Long> l) {
      l.sort(Long::compare);
    }
  }

  /** Reads everything the platform publishes, and the DLTs, with its own consumer group. */
  private final class Observer {

    final class Topic {
      final String name;
      final AtomicLong records = new AtomicLong();
      final Set<String> ids = ConcurrentHashMap.newKeySet();
      final Map<String, Long> types = new ConcurrentHashMap<>();

      Topic(String name) {
        this.name = name;
      }
    }

    private final Map<String, Topic> topics = new ConcurrentHashMap<>();
    final Map<String, Set<String>> emergencyReferrals = new ConcurrentHashMap<>();
    final Map<String, Set<String>> criticalRedFlagAlerts = new ConcurrentHashMap<>();
    final Map<String, Long> firstEmergencyAt = new ConcurrentHashMap<>();
    final Set<String> escalationAlerts = ConcurrentHashMap.newKeySet();
    final Map<String, Integer> dltCounts = new ConcurrentHashMap<>();
    final Map<String, Integer> dltReasons = new ConcurrentHashMap<>();
    final AtomicLong dltWithoutReason = new AtomicLong();
    private volatile boolean running = true;
    private Thread thread;

    Topic topic(String name) {
      return topics.computeIfAbsent(name, Topic::new);
    }

    /** Referrals and alerts seen: notification-service must have taken each. */
    Set<String> outboundIds() {
      Set<String> all = new HashSet<>(topic(Topics.REFERRALS).ids);
      all.addAll(topic(Topics.ALERTS).ids);
      return all;
    }

    void start() {
      thread = new Thread(this::loop, "drill-observer");
      thread.setDaemon(true);
      thread.start();
    }

    void stop() {
      running = false;
      if (thread != null) {
        try {
          thread.join(5000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    private void loop() {
      try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
          ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
          ConsumerConfig.GROUP_ID_CONFIG, "drill-observer-" + STAMP,
          ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
          ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
          ConsumerConfig.METADATA_MAX_AGE_CONFIG, 2000,
          ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024), new StringDeserializer(), new ByteArrayDeserializer())) {
        consumer.subscribe(Pattern.compile("pathway\\.(referrals|alerts|status|orders)|notification\\.deliveries|.*\\.DLT"));
        while (running) {
          for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            take(r);
          }
        }
      } catch (Exception e) {
        say("observer stopped: %s", e);
      }
    }

    private void take(ConsumerRecord<String, byte[]> r) {
      long now = System.currentTimeMillis();
      if (r.topic().endsWith(Topics.DLT_SUFFIX)) {
        dltCounts.merge(r.topic(), 1, Integer::sum);
        Header reason = r.headers().lastHeader(DeadLetterHeaders.REASON);
        if (reason == null) {
          dltWithoutReason.incrementAndGet();
        } else {
          dltReasons.merge(new String(reason.value(), StandardCharsets.UTF_8), 1, Integer::sum);
        }
        return;
      }
      Topic t = topic(r.topic());
      t.records.incrementAndGet();
      EventEnvelope e;
      try {
        e = codec.decode(r);
      } catch (Exception ex) {
        t.types.merge("undecodable", 1L, Long::sum);
        return;
      }
      t.ids.add(e.id());
      t.types.merge(e.data().getClass().getName(), 1L, Long::sum);
      if (e.data() instanceof ReferralIssued ri && ri.urgency() == Urgency.EMERGENCY) {
        emergencyReferrals.computeIfAbsent(ri.patientRef(), k -> ConcurrentHashMap.newKeySet()).add(e.id());
        firstEmergencyAt.putIfAbsent(ri.patientRef(), now);
      } else if (e.data() instanceof AlertRaised a && a.severity() == Severity.CRITICAL && a.type() == AlertType.RED_FLAG) {
        criticalRedFlagAlerts.computeIfAbsent(a.patientRef(), k -> ConcurrentHashMap.newKeySet()).add(e.id());
      } else if (e.data() instanceof AlertRaised a && a.type() == AlertType.ESCALATION) {
        escalationAlerts.add(e.id());
      } else if (e.data() instanceof NotificationFailed) {
        // counted by type
      }
    }
  }
}
