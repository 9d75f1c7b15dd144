package io.pathway.deploy.drill;

import io.pathway.model.Topics;
import io.pathway.model.envelope.EventCodec;
import io.pathway.model.events.NotificationFailed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;


/**
 * The reliability drills R1-R7 of the quality specification, against the packaged services as separate
 * processes on real parts ({@link DrillPlatform}). Load through the Kafka contract ({@link DrillLoad}), the fault, a
 * drain, then what was observed on the topics ({@link DrillObserver}) and in the tables ({@link DrillQueries}), the
 * report and a one-line verdict ({@link DrillVerdict}). Run by {@code deploy/drills/drill}; see docs/reliability.md.
 */
public final class Drill {

  private static final Path ROOT = Path.of("").toAbsolutePath();
  static final java.net.URI SOURCE = java.net.URI.create("urn:pathway:drill-hospital");
  private static final String STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());

  private final String id;
  private final int patients;
  private final int replicas;
  private final boolean baseline;
  private final double rate;
  private final double duplicateShare;
  private final Path work;
  private final EventCodec codec = EventCodec.create();
  private final DrillLog log = new DrillLog();
  private final DrillPlatform platform;
  private final DrillQueries queries;
  private final DrillObserver observer;
  private DrillLoad load;

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
    this.work = ROOT.resolve("deploy/target/drills/" + id + "-" + STAMP);
    this.platform = new DrillPlatform(id, replicas, baseline, ROOT, work, STAMP, log);
    this.queries = new DrillQueries(platform);
    this.observer = new DrillObserver(platform.bootstrap(), "drill-observer-" + STAMP, codec, log);
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
    platform.startInfrastructure();
    platform.startServices();
    load = new DrillLoad(id, rate, duplicateShare, codec, platform.bootstrap(), log);
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
      load.sendObservations(refs, redFlagPatients, Map.of());
      Thread.sleep(5000);
      mark("enrolments sent");
      load.sendEnrolments(enrolled);
      awaitApplied(load.sentIds.size(), Duration.ofSeconds(240));
    } else {
      mark("enrolments sent");
      load.sendEnrolments(enrolled);
      awaitApplied(load.sentIds.size(), Duration.ofSeconds(180));
      mark("enrolments applied");
      load.sendObservations(refs, redFlagPatients, faults());
    }
    if (id.equals("R5")) {
      awaitDrained(Duration.ofSeconds(180));
      mark("R5 part 2: webhook receiver down for good, 5 more red flags");
      platform.webhooks.stop();
      for (String ref : lastRedFlags) {
        redFlagPatients.add(ref);
        load.sendRedFlag(ref);
      }
    }
    mark("load sent");
    boolean drained = awaitDrained(Duration.ofSeconds(240));
    mark(drained ? "drained" : "NOT drained within 240 s");
    boolean ok = count(refs.size() + lastRedFlags.size(), redFlagPatients, new HashSet<>(lastRedFlags));
    say("wall time %.0f s", (System.currentTimeMillis() - t0) / 1000.0);
    log.write(work.resolve("report.txt"));
    return ok && drained;
  }

  /** The fault of each drill, as actions at fractions of the observation load. */
  private Map<Double, Runnable> faults() {
    Map<Double, Runnable> f = new LinkedHashMap<>();
    switch (id) {
      case "R1" -> f.put(0.4, () -> inBackground("kill-restart", () -> platform.killAndRestart(platform.pathway.get(0), 0)));
      case "N1" -> f.put(0.4, () -> inBackground("kill-restart", platform::killAndRestartNotification));
      case "P2C" -> f.put(0.0, () -> {
        try {
          platform.coldRestartFirstPathway();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      case "R2" -> f.put(0.3, () -> inBackground("broker-outage", platform::brokerOutage));
      case "R3" -> f.put(0.3, () -> inBackground("postgres-restart", () -> {
        log.mark("PostgreSQL restart begins");
        platform.postgresCtl("-m fast -w restart");
        log.mark("PostgreSQL restarted");
      }));
      case "R5" -> f.put(0.2, () -> inBackground("receivers-outage", platform::receiversOutage));
      case "R4" -> { /* bad records are interleaved by sendObservations and sendEnrolments */ }
      default -> { }
    }
    return f;
  }

  // ------------------------------------------------------------------ drain and count

  private void awaitApplied(int expected, Duration timeout) throws Exception {
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    while (System.currentTimeMillis() < deadline) {
      if (queries.appliedOf(load.sentIds) >= expected) {
        return;
      }
      Thread.sleep(500);
    }
    say("WARNING: only %d of %d events applied after %s", queries.appliedOf(load.sentIds), expected, timeout);
  }

  /** Until every sent event is applied, nothing waits in an outbox or for delivery, three seconds in a row. */
  private boolean awaitDrained(Duration timeout) throws Exception {
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    int quiet = 0;
    while (System.currentTimeMillis() < deadline) {
      boolean done;
      try {
        done = queries.appliedOf(load.sentIds) >= load.sentIds.size()
            && queries.keptNotMatchedOf(load.sentIds) == 0
            && queries.scalar("select count(*) from pathway.outbox where published_at is null") == 0
            && queries.scalar("select count(*) from notification.outbox where published_at is null") == 0
            && queries.scalar("select count(*) from notification.notification where status = 'PENDING'") == 0
            && observer.outboundIds().stream().allMatch(queries.notificationProcessed()::contains);
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

  private boolean count(int enrolledPatients, Set<String> redFlagPatients, Set<String> failForGood) throws Exception {
    observer.stop();
    say("---- counts");
    long applied = queries.appliedOf(load.sentIds);
    say("sent: %d records (%d distinct events, %d duplicate copies, %d bad records %s)", load.sentRecords.get(), load.sentIds.size(),
        load.sentRecords.get() - load.sentIds.size() - load.sentBad.get(), load.sentBad.get(), load.badKinds());
    long processedRows = queries.scalar("select count(*) from pathway.processed_event");
    say("applied: %d of %d distinct events (processed_event rows: %d; still kept in the inbox, never matched: %d; outcomes %s)",
        applied, load.sentIds.size(), processedRows, queries.keptNotMatchedOf(load.sentIds),
        queries.groups("select outcome, count(*) from pathway.processed_event group by outcome order by 1"));
    // pathways only: a red flag before its enrolment runs as a stand-alone escalation (kind ESCALATION) that the pathway adopts
    long pathways = queries.scalar("select count(*) from pathway.pathway_ref where kind = 'PATHWAY'");
    long patientsWithTwo = queries.scalar("select count(*) from (select patient_ref from pathway.pathway_ref where kind = 'PATHWAY' "
        + "group by patient_ref having count(*) > 1) t");
    say("pathways: %d for %d patients (patients with more than one: %d)", pathways, enrolledPatients, patientsWithTwo);

    // published
    DrillObserver.Topic referrals = observer.topic(Topics.REFERRALS);
    DrillObserver.Topic alerts = observer.topic(Topics.ALERTS);
    DrillObserver.Topic status = observer.topic(Topics.STATUS);
    DrillObserver.Topic deliveries = observer.topic(Topics.NOTIFICATION_DELIVERIES);
    for (DrillObserver.Topic t : List.of(referrals, alerts, status, deliveries)) {
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
      if (seen != null && load.redFlagSentAt.containsKey(ref)) {
        latencies.add(seen - load.redFlagSentAt.get(ref));
      }
    }
    say("red-flag patients: %d; emergency referral missing %d, issued twice %d; critical alert missing %d, raised twice %d",
        redFlagPatients.size(), missingReferral, twoReferrals, missingAlert, twoAlerts);
    Collections2.sort(latencies);
    long over30 = latencies.stream().filter(l -> l > DrillVerdict.EMERGENCY_REFERRAL_BAR_MS).count();
    say("red flag sent to emergency referral on %s: p50 %s, p95 %s, p99 %s, max %s ms (%d samples, %d over 30 s)", Topics.REFERRALS,
        pct(latencies, 50), pct(latencies, 95), pct(latencies, 99), latencies.isEmpty() ? "-" : latencies.get(latencies.size() - 1),
        latencies.size(), over30);
    Long readyAgain = log.marks().entrySet().stream().filter(m -> m.getKey().contains("restarted and ready"))
        .map(Map.Entry::getValue).findFirst().orElse(null);
    if (readyAgain != null && id.equals("P2C")) {
      long[] edges = {0, 10_000, 20_000, 30_000, 60_000, Long.MAX_VALUE};
      for (int b = 0; b + 1 < edges.length; b++) {
        List<Long> l = new ArrayList<>();
        for (String ref : redFlagPatients) {
          Long seen = observer.firstEmergencyAt.get(ref);
          Long sent = load.redFlagSentAt.get(ref);
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
      say("  pathway-service-1 memory at the end: %s", DrillPlatform.memoryOf(platform.pathway.get(0)));
    }
    p2Stages(redFlagPatients, id.equals("P2C") ? readyAgain : null);
    Long fault = log.marks().entrySet().stream().filter(m -> m.getKey().startsWith("kill") || m.getKey().contains("stopped")
        || m.getKey().contains("restart begins") || m.getKey().contains(" down")).map(Map.Entry::getValue).findFirst().orElse(null);
    if (fault != null) {
      List<Long> before = new ArrayList<>();
      List<Long> around = new ArrayList<>();
      List<Long> after = new ArrayList<>();
      for (String ref : redFlagPatients) {
        Long seen = observer.firstEmergencyAt.get(ref);
        Long sent = load.redFlagSentAt.get(ref);
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
    for (WebhookReceiver.Received r : platform.webhooks.received()) {
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
    try (Connection c = platform.connection(); Statement s = c.createStatement();
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
    Set<String> notificationSeen = queries.notificationProcessed();
    long outboundNotTaken = observer.outboundIds().stream().filter(i -> !notificationSeen.contains(i)).count();
    Files.write(work.resolve("notifications.txt"), rows);
    Map<String, String> patientOfEmail = new HashMap<>();
    try (Connection c = platform.connection(); Statement st = c.createStatement();
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
      if (firstMailAt.containsKey(ref) && load.redFlagSentAt.containsKey(ref)) {
        p3.add(firstMailAt.get(ref) - load.redFlagSentAt.get(ref));
      }
    }
    Collections2.sort(p3);
    say("P3, red flag sent to its first e-mail accepted by the SMTP server: p50 %s, p95 %s, p99 %s, max %s ms (%d samples)",
        pct(p3, 50), pct(p3, 95), pct(p3, 99), pct(p3, 100), p3.size());
    p3Stages(redFlagPatients, journal);
    Files.write(work.resolve("webhook-journal.txt"), platform.webhooks.received().stream()
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
    say("jobs, created to done (act_hi_job_log): %s", queries.durations("""
        select extract(epoch from (max(l.timestamp_) filter (where l.job_state_ = 2)
                                 - min(l.timestamp_) filter (where l.job_state_ = 0))) * 1000
        from act_hi_job_log l group by l.job_id_ having count(*) filter (where l.job_state_ = 2) > 0"""));
    say("delivery attempts, start to end: %s", queries.durations(
        "select extract(epoch from (finished_at - started_at)) * 1000 from notification.delivery_attempt"));
    say("notifications, created to delivered: %s", queries.durations("""
        select extract(epoch from (a.finished_at - n.created_at)) * 1000 from notification.notification n
        join notification.delivery_attempt a on a.notification_id = n.id and a.outcome = 'DELIVERED'"""));
    log.marks().forEach((what, at) -> say("  t+%6.1f s  %s", (at - log.marks().values().iterator().next()) / 1000.0, what));

    long deadLettersWithoutReason = observer.dltWithoutReason.get();
    DrillVerdict.Verdict verdict = DrillVerdict.of(id, new DrillVerdict.Observations(load.sentIds.size(), applied,
        queries.keptNotMatchedOf(load.sentIds), patientsWithTwo, missingReferral, twoReferrals, missingAlert, twoAlerts, notDelivered,
        outboundNotTaken, failedUnexpectedly, duplicatesDelivered, over30, observer.dltCounts, deadLettersWithoutReason,
        load.sentBad.get(), failForGood.size(), failedAsExpected, failedEvents, escalationAlerts));
    say("VERDICT %s %s: %d sent, %d applied, %d referrals and %d alerts published, %d delivered, %d lost, %d duplicates delivered",
        id, verdict.line(), load.sentIds.size(), applied, referrals.ids.size(), alerts.ids.size(), delivered, verdict.lost(),
        duplicatesDelivered);
    return verdict.pass();
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
    try (Connection c = platform.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
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
      Long sent = load.redFlagSentAt.get(patient);
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
   * commit, and the job executor's pick-up where the referral was made a job: split at that job's creation in
   * {@code act_hi_job_log} and its start in {@code act_hi_actinst}; since the referral is written with the red flag,
   * only a referral retried after failing has a job), that to published (the outbox relay), and
   * published to seen by the drill's consumer (Kafka). With {@code ready} (P2C), by send time after it.
   */
  private void p2Stages(Set<String> redFlagPatients, Long ready) {
    Map<String, Long> inbound = new HashMap<>();
    Map<String, long[]> outbox = new HashMap<>();
    Map<String, long[]> referralJob = new HashMap<>();
    try (Connection c = platform.connection()) {
      try (java.sql.PreparedStatement ps = c.prepareStatement(
          "select e.ce_id, extract(epoch from e.processed_at) * 1000, "
              + "(select extract(epoch from min(j.timestamp_)) * 1000 from act_hi_job_log j join act_hi_procinst h on h.proc_inst_id_ = j.process_instance_id_ "
              + " where j.act_id_ = 'Task_IssueRedFlagReferral' and j.job_state_ = 0 "
              + " and (h.super_process_instance_id_ = e.outcome_ref or h.proc_inst_id_ = e.outcome_ref)), "
              + "(select extract(epoch from min(a.start_time_)) * 1000 from act_hi_actinst a join act_hi_procinst h on h.proc_inst_id_ = a.proc_inst_id_ "
              + " where a.act_id_ = 'Task_IssueRedFlagReferral' and (h.super_process_instance_id_ = e.outcome_ref or h.proc_inst_id_ = e.outcome_ref)) "
              + "from pathway.processed_event e where e.ce_id = any(?)")) {
        ps.setArray(1, c.createArrayOf("varchar", load.redFlagEventId.values().toArray()));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            inbound.put(rs.getString(1), Math.round(rs.getDouble(2)));
            if (rs.getObject(3) != null && rs.getObject(4) != null) {
              referralJob.put(rs.getString(1), new long[] {Math.round(rs.getDouble(3)), Math.round(rs.getDouble(4))});
            }
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
      List<Long> inTx = new ArrayList<>();
      List<Long> pickUp = new ArrayList<>();
      List<Long> relay = new ArrayList<>();
      List<Long> kafka = new ArrayList<>();
      for (String ref : redFlagPatients) {
        Long sent = load.redFlagSentAt.get(ref);
        Long in = inbound.get(load.redFlagEventId.get(ref));
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
        long[] job = referralJob.get(load.redFlagEventId.get(ref));
        if (job != null) {
          inTx.add(job[0] - in);
          pickUp.add(job[1] - job[0]);
        }
        relay.add(out[1] - out[0]);
        kafka.add(seen - out[1]);
      }
      for (List<Long> l : List.of(queue, engine, inTx, pickUp, relay, kafka)) {
        Collections2.sort(l);
      }
      String window = ready == null ? "all" : "sent " + edges[b] / 1000 + "-" + (edges[b + 1] == Long.MAX_VALUE ? "end" : edges[b + 1] / 1000)
          + " s after readiness";
      say("P2 stages (%s, %d): sent to inbound transaction %s; to the start of the transaction that wrote the referral (0 when the "
          + "inbound transaction wrote it; a retried referral: inbound, commit, job pick-up) %s "
          + "(of which: inbound start to the referral's job created %s, job created to job started %s); that transaction's start to "
          + "published (the transaction, its commit, the relay) %s; published to seen %s", window, queue.size(), stats(queue), stats(engine), stats(inTx), stats(pickUp), stats(relay), stats(kafka));
    }
  }

  private static String stats(List<Long> sorted) {
    return "p50 " + pct(sorted, 50) + " / p95 " + pct(sorted, 95) + " / p99 " + pct(sorted, 99) + " / max " + pct(sorted, 100) + " ms";
  }

  private static boolean webhookFailExpected(String patientRef, Set<String> failForGood) {
    return failForGood.contains(patientRef);
  }

  static String pct(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return "-";
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return String.valueOf(sorted.get(Math.max(0, Math.min(sorted.size() - 1, i))));
  }


  // ------------------------------------------------------------------ helpers

  private void shutdown() {
    observer.stop();
    if (load != null) {
      load.close();
    }
    platform.shutdown();
  }

  private void mark(String what) {
    log.mark(what);
  }

  private void say(String format, Object... args) {
    log.say(format, args);
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
}
