package io.pathway.service.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathway.model.EventTypes;
import io.pathway.model.Topics;
import io.pathway.model.codes.PathwayOutcome;
import io.pathway.model.codes.RedFlag;
import io.pathway.model.codes.Urgency;
import io.pathway.model.events.FollowUpRecorded;
import io.pathway.model.events.PathwayCompleted;
import io.pathway.model.events.RedFlagRaised;
import io.pathway.model.events.ReferralIssued;
import io.pathway.service.PathwayServiceTest;
import io.pathway.service.engine.PathwayEngine;
import io.pathway.service.treatment.RuleFactStore;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * P1 (sustained inbound rate through the whole service versus the bare engine's Java API, same
 * database, same run), then P2 (red flag in to emergency referral on {@code pathway.referrals} at half
 * the P1 rate: red flags only, a storm), then P2 among routine events (follow-ups at half the P1 rate, one event in
 * ten a red flag), with the RSS of this test JVM sampled throughout. See docs/benchmarks.md.
 *
 * <p>Sizes: {@code -Dbench.p1.n} (default 2000 pathways per side), {@code -Dbench.p2.samples}
 * (default 3000, capped at 90 s of sending), {@code -Dbench.p2.mixed.events} and {@code -Dbench.p2.mixed.every}.
 * {@code -Dbench.p2.rate} (events/s) runs both P2s alone at that rate, without P1: for profiling the emergency
 * path at a rate measured before. With {@code -Dbench.p1=true} as well, P1 runs first (and warms the JVM) and the P2s
 * still run at the fixed rate: the CPU per red flag of two builds compared at one rate below saturation.
 */
@PathwayServiceTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InboundBenchmark {

  private static final String FOLLOW_UP = EventTypes.FOLLOW_UP_RECORDED;

  @Autowired
  JdbcTemplate jdbc;
  @Autowired
  RuntimeService runtime;
  @Autowired
  KafkaListenerEndpointRegistry listeners;
  @Autowired
  RuleFactStore facts;
  @Autowired
  TransactionTemplate tx;

  static double serviceRate = Double.NaN;

  /** Both P2s' rate: half of P1's, or fixed by {@code -Dbench.p2.rate}. */
  static double p2Rate() {
    String fixed = System.getProperty("bench.p2.rate");
    return fixed != null ? Double.parseDouble(fixed) : serviceRate / 2;
  }

  /** How the P2 rate was chosen, for the report. */
  static String p2RateSource() {
    return System.getProperty("bench.p2.rate") != null ? String.format("fixed by -Dbench.p2.rate; P1 %.1f events/s", serviceRate)
        : String.format("half of P1's %.1f events/s", serviceRate);
  }
  static final AtomicLong maxRss = new AtomicLong();
  static volatile boolean sampling = true;
  static final StringBuilder memory = new StringBuilder();

  @BeforeAll
  static void start() {
    Bench.listen();
    Thread sampler = new Thread(() -> {
      while (sampling) {
        maxRss.accumulateAndGet(Bench.rssMiB()[0], Math::max);
        Bench.sleep(250);
      }
    }, "bench-rss-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  @AfterAll
  static void memoryReport() {
    sampling = false;
    long[] rss = Bench.rssMiB();
    Runtime rt = Runtime.getRuntime();
    memory.append(String.format("test JVM (service + embedded Kafka broker + benchmark clients in one process), max heap %d MiB:%n"
            + "  VmRSS sampled every 250 ms during P1 and P2: max %d MiB; at the end VmRSS %d MiB, VmHWM (peak) %d MiB%n"
            + "  heap used at the end %d MiB of %d MiB committed%n",
        rt.maxMemory() >> 20, maxRss.get(), rss[0], rss[1], (rt.totalMemory() - rt.freeMemory()) >> 20, rt.totalMemory() >> 20));
    Bench.report("P5-test-jvm-memory", memory.toString());
  }

  // -----------------------------------------------------------------------------------------------

  /** Enrols the patients through Kafka and waits until each pathway waits for its follow-up. */
  Duration enrol(String prefix, int n) {
    long t0 = System.nanoTime();
    List<Future<RecordMetadata>> sends = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      sends.add(Bench.sendAsync(Topics.PATHWAY_ENROLMENTS, Bench.enrolment(prefix + i)));
    }
    Bench.flush(sends);
    boolean all = Bench.waitFor(Duration.ofMinutes(15), () -> waitingForFollowUp(prefix) >= n);
    assertThat(all).as("all %d pathways of %s wait for their follow-up", n, prefix).isTrue();
    return Duration.ofNanos(System.nanoTime() - t0);
  }

  int waitingForFollowUp(String prefix) {
    return jdbc.queryForObject("select count(*) from pathway.pathway_ref p join act_ru_event_subscr s on s.proc_inst_id_ = p.pathway_id "
        + "where p.patient_ref like ? and s.event_name_ = ? and s.activity_id_ = 'Event_FollowUpRecorded'", Integer.class, prefix + "%", FOLLOW_UP);
  }

  static FollowUpRecorded relief(String patient) {
    return new FollowUpRecorded(patient, "EPIDURAL_STEROID_INJECTION", 60, true, Instant.now());
  }

  MessageListenerContainer observations() {
    return listeners.getListenerContainer("clinical-observations");
  }

  /** The service's side of P1: returns events/s from resuming the consumer to the last completion on the topic. */
  double serviceRound(String prefix, int n, StringBuilder out) {
    Duration enrolled = enrol(prefix, n);
    MessageListenerContainer c = observations();
    c.pause();
    assertThat(Bench.waitFor(Duration.ofSeconds(30), c::isContainerPaused)).isTrue();
    List<Future<RecordMetadata>> sends = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      sends.add(Bench.sendAsync(Topics.CLINICAL_OBSERVATIONS, relief(prefix + i)));
    }
    Bench.flush(sends);
    Bench.Cpu cpu = Bench.cpu();
    long t0 = System.nanoTime();
    c.resume();
    boolean all = Bench.waitFor(Duration.ofMinutes(15), () -> Bench.arrivedCount(Topics.STATUS, prefix) >= n);
    assertThat(all).as("every pathway.completed.v1 of %s on the topic", prefix).isTrue();
    String cpuPerEvent = cpu.perEventSince(cpu, n, "follow-up");
    long last = 0;
    for (int i = 0; i < n; i++) {
      Bench.Arrival a = Bench.arrival(Topics.STATUS, prefix + i);
      assertThat(((PathwayCompleted) a.event()).outcome()).isEqualTo(PathwayOutcome.RESOLVED_AFTER_STEROID);
      last = Math.max(last, a.nanos());
    }
    double seconds = (last - t0) / 1e9;
    double rate = n / seconds;
    Integer duplicates = jdbc.queryForObject("select count(*) - count(distinct ce_id) from pathway.processed_event", Integer.class);
    out.append(String.format("  service %s: %d enrolments through Kafka until all waiting: %.1f s (%.0f/s); "
            + "%d follow-ups from consumer resume to the last pathway.completed.v1 on the topic: %.2f s = %.1f events/s (duplicates applied: %d)%n",
        prefix, n, enrolled.toMillis() / 1000.0, n / (enrolled.toMillis() / 1000.0), n, seconds, rate, duplicates));
    out.append("    ").append(cpuPerEvent);
    return rate;
  }

  /** The bare engine's side: the same start variables and the same correlation through RuntimeService. */
  double[] bareRound(String prefix, int n, StringBuilder out) {
    long s0 = System.nanoTime();
    List<String> ids = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String patient = prefix + i;
      ids.add(runtime.createProcessInstanceByKey(PathwayEngine.PATHWAY_PROCESS).businessKey("REF-" + patient)
          .setVariables(startVariables(patient)).execute().getId());
    }
    double started = (System.nanoTime() - s0) / 1e9;
    Integer waiting = jdbc.queryForObject("select count(*) from act_ru_event_subscr where event_name_ = ? and activity_id_ = 'Event_FollowUpRecorded' "
        + "and proc_inst_id_ in (select proc_inst_id_ from act_ru_execution where business_key_ like ?)", Integer.class, FOLLOW_UP, "REF-" + prefix + "%");
    assertThat(waiting).isEqualTo(n);
    long t0 = System.nanoTime();
    for (String id : ids) {
      Map<String, Object> v = new HashMap<>();
      v.put("painReductionPercent", 60);
      v.put("reliefSustained", Boolean.TRUE);
      Instant assessed = Instant.now();
      v.put("followUpAssessedAt", assessed.toString());
      // "Relief after steroid?" reads the follow-up the service recorded (follow_up_fact), not the variables:
      // record it as FollowUpHandler does, in the correlation's transaction, so both sides take the same route.
      tx.executeWithoutResult(s -> {
        facts.followUp(id, RuleFactStore.FollowUpStatus.APPLIED, "EPIDURAL_STEROID_INJECTION", 60, true, assessed,
            RuleFactStore.FollowUpSource.EVENT);
        runtime.createMessageCorrelation(FOLLOW_UP).processInstanceId(id).setVariables(v).correlateWithResult();
      });
    }
    long tLoop = System.nanoTime();
    boolean ended = Bench.waitFor(Duration.ofMinutes(15), () -> jdbc.queryForObject(
        "select count(*) from act_hi_procinst where business_key_ like ? and end_time_ is not null and proc_def_key_ = ?",
        Integer.class, "REF-" + prefix + "%", PathwayEngine.PATHWAY_PROCESS) >= n);
    assertThat(ended).as("all bare-engine pathways of %s ended", prefix).isTrue();
    long tEnd = System.nanoTime();
    double loop = n / ((tLoop - t0) / 1e9);
    double toEnd = n / ((tEnd - t0) / 1e9);
    out.append(String.format("  bare engine %s: %d starts through RuntimeService: %.1f s (%.0f/s); %d correlations in a loop (one transaction each): "
            + "%.2f s = %.1f correlations/s; until every instance ended (the job executor runs the rest after the async continuation): %.2f s = %.1f/s%n",
        prefix, n, started, n / started, n, (tLoop - t0) / 1e9, loop, (tEnd - t0) / 1e9, toEnd));
    // let the outbox relay publish the bare side's events before the next round
    Bench.waitFor(Duration.ofMinutes(5), () -> jdbc.queryForObject("select count(*) from pathway.outbox where published_at is null", Integer.class) == 0);
    return new double[] {loop, toEnd};
  }

  /** As EnrolmentHandler.startVariables (docs/process-interface.md). */
  static Map<String, Object> startVariables(String patient) {
    var e = Bench.enrolment(patient);
    Map<String, Object> v = new HashMap<>();
    v.put("referralId", e.referralId());
    v.put("patientRef", e.patientRef());
    v.put("steroidKind", e.steroidTreatment().kind().name());
    v.put("steroidDate", e.steroidTreatment().date().toString());
    v.put("imageGuided", e.steroidTreatment().imageGuided());
    v.put("contrastSpreadConfirmed", e.steroidTreatment().contrastSpreadConfirmed());
    v.put("painPattern", e.painPattern().name());
    v.put("baselinePainScore", e.baselinePainScore());
    v.put("priorSpineSurgery", e.priorSpineSurgery());
    v.put("imagingFindings", "DISC_DEGENERATION");
    v.put("neuropathicScore", e.neuropathicScore());
    v.put("redFlags", "");
    v.put("symptomOnsetDate", e.symptomOnsetDate().toString());
    return v;
  }

  @Test
  @Order(1)
  void p1SustainedInboundRateVersusBareEngine() {
    org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("bench.p2.rate") == null || Boolean.getBoolean("bench.p1"),
        "P2 alone at -Dbench.p2.rate");
    memory.append(String.format("test JVM uptime at the first benchmark method (JVM start, embedded broker, fresh database, Spring context): %d ms%n",
        ManagementFactory.getRuntimeMXBean().getUptime()));
    int n = Bench.intProperty("bench.p1.n", 2000);
    int warm = Math.max(100, n / 10);
    StringBuilder out = new StringBuilder();
    out.append("warm-up (not counted):\n");
    serviceRound(Bench.prefix("BW"), warm, out);
    bareRound(Bench.prefix("BWB"), warm, out);
    out.append("measured:\n");
    double service = serviceRound(Bench.prefix("BS"), n, out);
    double[] bare = bareRound(Bench.prefix("BB"), n, out);
    serviceRate = service;
    out.append(String.format("P1 service end to end (Kafka in -> ce_id -> correlation -> continuation -> outbox -> Kafka out): %.1f events/s%n", service));
    out.append(String.format("P1 bare engine correlations (RuntimeService loop): %.1f/s -> ratio service/bare = %.0f%%%n", bare[0], 100 * service / bare[0]));
    out.append(String.format("P1 bare engine correlation + continuation until ended: %.1f/s -> ratio service/bare = %.0f%%%n", bare[1], 100 * service / bare[1]));
    out.append("bar: service >= 80% of the bare engine\n");
    Bench.report("P1-inbound-throughput", out.toString());
  }

  @Test
  @Order(2)
  void p2RedFlagToEmergencyReferralAtHalfTheSustainedRate() {
    assertThat(p2Rate()).as("P1 (or -Dbench.p2.rate) ran first").isPositive();
    double rate = p2Rate();
    int samples = Math.min(Bench.intProperty("bench.p2.samples", 3000), (int) (rate * 90));
    String prefix = Bench.prefix("BR");
    String warmPrefix = Bench.prefix("BRW");
    int warm = (int) Math.max(100, rate * 20);
    StringBuilder out = new StringBuilder();
    Duration enrolled = enrol(warmPrefix, warm);
    enrolled = enrolled.plus(enrol(prefix, samples));
    out.append(String.format("%d + %d pathways enrolled through Kafka and waiting: %.1f s%n", warm, samples, enrolled.toMillis() / 1000.0));
    settle();
    // warm-up at the same rate, not counted: the first red flags of a JVM take the cold path
    // (class loading, JIT, the red-flag model's and DMN's first use) and queue behind each other
    long[] warmIntended = offer(warmPrefix, warm, rate);
    assertThat(Bench.waitFor(Duration.ofMinutes(10), () -> Bench.arrivedCount(Topics.REFERRALS, warmPrefix) >= warm)).isTrue();
    Histogram cold = histogram(warmPrefix, warmIntended);
    out.append(String.format("warm-up (not counted): %d red flags at the same rate, cold JVM path: %s%n", warm, Bench.percentiles(cold)));
    out.append("stages of the warm-up's red flags ").append(stages(warmPrefix, warmIntended));
    settle();

    boolean statements = statementStatistics();
    Bench.Cpu cpu = Bench.cpu();
    long t0 = System.nanoTime();
    long[] intended = offer(prefix, samples, rate);
    long sendEnd = System.nanoTime();
    boolean all = Bench.waitFor(Duration.ofMinutes(10), () -> Bench.arrivedCount(Topics.REFERRALS, prefix) >= samples);
    assertThat(all).as("every emergency referral of %s on pathway.referrals", prefix).isTrue();
    String cpuPerRedFlag = drained(cpu, samples, "red flag (its referral, alert, task and timers)");
    Histogram h = histogram(prefix, intended);
    out.append(String.format("offered %.1f red flags/s (%s) for %.1f s: %d samples, "
            + "latency from the intended send time (no coordinated omission) to the consumer receiving the referral%n",
        rate, p2RateSource(), (sendEnd - t0) / 1e9, samples));
    out.append("P2 red flag -> emergency referral on pathway.referrals: ").append(Bench.percentiles(h)).append('\n');
    out.append("bar: p99 < 250 ms\n");
    out.append(cpuPerRedFlag);
    String top = statements ? topStatements(samples) : "";
    out.append("stages of the measured red flags ").append(stages(prefix, intended)).append(top);
    Bench.report("P2-red-flag-latency", out.toString());
  }

  /**
   * P2 as a hospital meets it: routine follow-ups at half of P1's rate with red flags among them (one event in
   * {@code bench.p2.mixed.every}, default 10, is a red flag for another patient), so that each red flag has
   * routine work queued beside it, in the consumers and in the job executor. Reports the red flags' latency to
   * their emergency referral against P2's bar, and the follow-ups' latency to their {@code pathway.completed.v1}:
   * routine work may wait, red flags may not. {@code bench.p2.mixed.events} (default 3000, capped at 90 s of
   * sending) sets the size.
   */
  @Test
  @Order(3)
  void p2RedFlagsAmongRoutineEventsAtHalfTheSustainedRate() {
    assertThat(p2Rate()).as("P1 (or -Dbench.p2.rate) ran first").isPositive();
    double rate = p2Rate();
    int every = Bench.intProperty("bench.p2.mixed.every", 10);
    int events = Math.min(Bench.intProperty("bench.p2.mixed.events", 3000), (int) (rate * 90));
    int redFlags = events / every;
    int routine = events - redFlags;
    String routinePrefix = Bench.prefix("BMF");
    String redPrefix = Bench.prefix("BMR");
    StringBuilder out = new StringBuilder();
    Duration enrolled = enrol(routinePrefix, routine).plus(enrol(redPrefix, redFlags));
    out.append(String.format("%d + %d pathways enrolled through Kafka and waiting: %.1f s%n", routine, redFlags, enrolled.toMillis() / 1000.0));
    settle();

    Bench.Cpu cpu = Bench.cpu();
    long periodNanos = (long) (1e9 / rate);
    long[] intendedRed = new long[redFlags];
    long[] intendedRoutine = new long[routine];
    List<Future<RecordMetadata>> sends = new ArrayList<>(events);
    long t0 = System.nanoTime() + 100_000_000L;
    int r = 0;
    int f = 0;
    for (int i = 0; i < events; i++) {
      long intended = t0 + i * periodNanos;
      long wait = intended - System.nanoTime();
      if (wait > 0) {
        java.util.concurrent.locks.LockSupport.parkNanos(wait);
      }
      if (i % every == every - 1 && r < redFlags) {
        intendedRed[r] = intended;
        sends.add(Bench.sendAsync(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised(redPrefix + r, RedFlag.SADDLE_ANESTHESIA, Instant.now())));
        r++;
      } else if (f < routine) {
        intendedRoutine[f] = intended;
        sends.add(Bench.sendAsync(Topics.CLINICAL_OBSERVATIONS, relief(routinePrefix + f)));
        f++;
      }
    }
    Bench.flush(sends);
    long sendEnd = System.nanoTime();
    assertThat(r).isEqualTo(redFlags);
    assertThat(f).isEqualTo(routine);
    boolean all = Bench.waitFor(Duration.ofMinutes(10), () -> Bench.arrivedCount(Topics.REFERRALS, redPrefix) >= redFlags
        && Bench.arrivedCount(Topics.STATUS, routinePrefix) >= routine);
    assertThat(all).as("every emergency referral of %s and every pathway.completed.v1 of %s", redPrefix, routinePrefix).isTrue();
    String cpuPerEvent = drained(cpu, events, "event");
    Histogram red = histogram(redPrefix, intendedRed);
    Histogram followUps = new Histogram(3_600_000_000L, 3);
    for (int i = 0; i < routine; i++) {
      Bench.Arrival a = Bench.arrival(Topics.STATUS, routinePrefix + i);
      assertThat(((PathwayCompleted) a.event()).outcome()).isEqualTo(PathwayOutcome.RESOLVED_AFTER_STEROID);
      followUps.recordValue(Math.max(0, (a.nanos() - intendedRoutine[i]) / 1000));
    }
    out.append(String.format("offered %.1f events/s (%s) for %.1f s: %d follow-ups and %d red flags "
            + "(one event in %d), latency from the intended send time to the consumer receiving the outbound event%n",
        rate, p2RateSource(), (sendEnd - t0) / 1e9, routine, redFlags, every));
    out.append("P2 among routine events, red flag -> emergency referral on pathway.referrals: ").append(Bench.percentiles(red)).append('\n');
    out.append("bar: p99 < 250 ms\n");
    out.append("routine follow-up -> pathway.completed.v1 on pathway.status (no bar: it may wait): ").append(Bench.percentiles(followUps))
        .append('\n');
    out.append(cpuPerEvent);
    out.append("stages of the measured red flags ").append(stages(redPrefix, intendedRed));
    Bench.report("P2-red-flags-among-routine-events", out.toString());
  }

  /** Sends one red flag per patient at the given rate; returns each one's intended send time. */
  static long[] offer(String prefix, int count, double rate) {
    long periodNanos = (long) (1e9 / rate);
    long[] intended = new long[count];
    List<Future<RecordMetadata>> sends = new ArrayList<>(count);
    long t0 = System.nanoTime() + 100_000_000L;
    for (int i = 0; i < count; i++) {
      intended[i] = t0 + i * periodNanos;
      long wait = intended[i] - System.nanoTime();
      if (wait > 0) {
        java.util.concurrent.locks.LockSupport.parkNanos(wait);
      }
      sends.add(Bench.sendAsync(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised(prefix + i, RedFlag.SADDLE_ANESTHESIA, Instant.now())));
    }
    Bench.flush(sends);
    return intended;
  }

  static Histogram histogram(String prefix, long[] intended) {
    Histogram h = new Histogram(3_600_000_000L, 3);
    for (int i = 0; i < intended.length; i++) {
      Bench.Arrival a = Bench.arrival(Topics.REFERRALS, prefix + i);
      assertThat(((ReferralIssued) a.event()).urgency()).isEqualTo(Urgency.EMERGENCY);
      h.recordValue(Math.max(0, (a.nanos() - intended[i]) / 1000));
    }
    return h;
  }

  /**
   * Where a red flag's time went, from the database's own clocks: the inbound transaction's start
   * ({@code processed_event.processed_at}), the escalation's start (engine clock, in that transaction), the
   * referral step's start (its activity instance: in the inbound transaction since the referral is written with the
   * red flag; a job's pick-up before that), the outbox row's creation and publication, and the arrival.
   * Percentiles per stage, and the mean of each stage over the slowest 1%.
   */
  String stages(String prefix, long[] intended) {
    long wallMinusNano = System.currentTimeMillis() * 1000 - System.nanoTime() / 1000;
    String[] names = {"send -> inbound transaction starts", "-> escalation starts", "-> referral step starts",
        "-> referral in the outbox", "-> published", "-> consumer receives"};
    List<long[]> rows = new ArrayList<>();
    for (int i = 0; i < intended.length; i++) {
      String patient = prefix + i;
      Map<String, Object> r = jdbc.queryForMap("select "
          + "(select extract(epoch from min(e.processed_at)) * 1e6 from pathway.processed_event e where e.outcome_ref = p.pathway_id and e.ce_type = ?) inbound, "
          + "(select extract(epoch from min(h.start_time_)) * 1e6 from act_hi_procinst h where h.super_process_instance_id_ = p.pathway_id and h.proc_def_key_ = 'red-flag-escalation') escalation, "
          + "(select extract(epoch from min(a.start_time_)) * 1e6 from act_hi_actinst a join act_hi_procinst h on h.proc_inst_id_ = a.proc_inst_id_ "
          + "   where h.super_process_instance_id_ = p.pathway_id and a.act_id_ = 'Task_IssueRedFlagReferral') job, "
          + "(select extract(epoch from min(o.created_at)) * 1e6 from pathway.outbox o where o.record_key = p.patient_ref and o.topic = ?) outboxed, "
          + "(select extract(epoch from min(o.published_at)) * 1e6 from pathway.outbox o where o.record_key = p.patient_ref and o.topic = ?) published "
          + "from pathway.pathway_ref p where p.patient_ref = ?", EventTypes.RED_FLAG_RAISED, Topics.REFERRALS, Topics.REFERRALS, patient);
      long[] t = new long[7];
      t[0] = (intended[i] / 1000) + wallMinusNano;
      String[] cols = {"inbound", "escalation", "job", "outboxed", "published"};
      for (int c = 0; c < cols.length; c++) {
        Object v = r.get(cols[c]);
        t[c + 1] = v == null ? -1 : ((Number) v).longValue();
      }
      t[6] = Bench.arrival(Topics.REFERRALS, patient).nanos() / 1000 + wallMinusNano;
      rows.add(t);
    }
    StringBuilder out = new StringBuilder("(database and JVM clocks, us resolution):\n");
    rows.sort(java.util.Comparator.comparingLong(t -> t[6] - t[0]));
    int slow = Math.max(1, rows.size() / 100);
    for (int s = 0; s < names.length; s++) {
      Histogram h = new Histogram(3_600_000_000L, 3);
      double slowSum = 0;
      int missing = 0;
      for (int k = 0; k < rows.size(); k++) {
        long[] t = rows.get(k);
        if (t[s] < 0 || t[s + 1] < 0) {
          missing++;
          continue;
        }
        long d = Math.max(0, t[s + 1] - t[s]);
        h.recordValue(d);
        if (k >= rows.size() - slow) {
          slowSum += d;
        }
      }
      out.append(String.format("  %-36s p50 %7.1f  p99 %7.1f  max %7.1f ms; mean over the slowest 1%% (%d): %7.1f ms%s%n", names[s],
          h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0, slow, slowSum / slow / 1000.0,
          missing > 0 ? " (" + missing + " without this stage)" : ""));
    }
    return out.toString();
  }

  /**
   * Resets the server's statement statistics when it collects them ({@code shared_preload_libraries =
   * 'pg_stat_statements'}): the measured red flags' statements are then listed in the report.
   */
  boolean statementStatistics() {
    Boolean loaded = jdbc.queryForObject("select current_setting('shared_preload_libraries') like '%pg_stat_statements%'", Boolean.class);
    if (!Boolean.TRUE.equals(loaded)) {
      return false;
    }
    jdbc.execute("create extension if not exists pg_stat_statements");
    jdbc.execute("select pg_stat_statements_reset()");
    return true;
  }

  /** This database's statements during the measured red flags, by total time, per red flag. */
  String topStatements(int redFlags) {
    StringBuilder out = new StringBuilder(String.format("database statements during the measured phase, per red flag (pg_stat_statements):%n"));
    Map<String, Object> total = jdbc.queryForMap("select sum(calls) calls, sum(total_exec_time) ms, sum(wal_records) wal from pg_stat_statements "
        + "where dbid = (select oid from pg_database where datname = current_database())");
    out.append(String.format("  all: %.1f statements, %.2f ms executing, %.1f WAL records%n", ((Number) total.get("calls")).doubleValue() / redFlags,
        ((Number) total.get("ms")).doubleValue() / redFlags, ((Number) total.get("wal")).doubleValue() / redFlags));
    jdbc.query("select calls, total_exec_time, rows, regexp_replace(left(query, 150), '\\s+', ' ', 'g') q from pg_stat_statements "
        + "where dbid = (select oid from pg_database where datname = current_database()) order by total_exec_time desc limit 25", rs -> {
          out.append(String.format("  %6.2f calls %7.3f ms %6.2f rows  %s%n", rs.getLong(1) / (double) redFlags, rs.getDouble(2) / redFlags,
              rs.getLong(3) / (double) redFlags, rs.getString(4)));
        });
    return out.toString();
  }

  /**
   * The CPU per event since {@code before}, once the events' work is done: nothing left in the outbox (the relay
   * publishes after the commit), no job due (a follow-up's continuation; a red flag's retried steps, if any).
   */
  String drained(Bench.Cpu before, long events, String what) {
    Bench.waitFor(Duration.ofMinutes(5), () -> jdbc.queryForObject("select count(*) from pathway.outbox where published_at is null", Integer.class) == 0
        && jdbc.queryForObject("select count(*) from act_ru_job where duedate_ is null or duedate_ <= now()", Integer.class) == 0);
    return before.perEventSince(before, events, what);
  }

  /** Waits until the outbox is drained and no job is due, then 2 s more. */
  void settle() {
    Bench.waitFor(Duration.ofMinutes(5), () -> jdbc.queryForObject("select count(*) from pathway.outbox where published_at is null", Integer.class) == 0
        && jdbc.queryForObject("select count(*) from act_ru_job where duedate_ is null or duedate_ <= now()", Integer.class) == 0);
    Bench.sleep(2000);
  }
}
