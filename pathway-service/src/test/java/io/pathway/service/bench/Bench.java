package io.pathway.service.bench;

import io.pathway.model.Topics;
import io.pathway.model.codes.ImagingFinding;
import io.pathway.model.codes.PainPattern;
import io.pathway.model.codes.SteroidKind;
import io.pathway.model.envelope.EventCodec;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.model.events.EnrolmentRequested;
import io.pathway.model.events.PathwayEvent;
import io.pathway.model.events.SteroidTreatment;
import io.pathway.service.support.Hospital;
import io.pathway.testsupport.SharedKafkaBroker;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** What the benchmarks share: workload events, a fast producer, arrival clocks on outbound topics, reports. */
final class Bench {

  private Bench() {}

  static int intProperty(String name, int def) {
    return Integer.parseInt(System.getProperty(name, String.valueOf(def)));
  }

  /** A run prefix so patient references of this run never collide with earlier ones. */
  static String prefix(String what) {
    return what + "-" + UUID.randomUUID().toString().substring(0, 6) + "-";
  }

  /** Days between the steroid and a benchmark's follow-up (now). */
  static final int STEROID_DAYS_AGO = 25;

  /**
   * An enrolment whose pathway waits at the follow-up message: steroid {@value #STEROID_DAYS_AGO} days
   * ago, so a follow-up assessed now is past the 21 days from which relief counts as sustained (an
   * earlier one is kept as EARLY and changes nothing) and after the steroid (one before it is refused),
   * while the 28-day follow-up timer is still 3 days away and never fires during a run; no red flags.
   */
  static EnrolmentRequested enrolment(String patient) {
    LocalDate date = LocalDate.now().minusDays(STEROID_DAYS_AGO);
    return new EnrolmentRequested("REF-" + patient, patient,
        new SteroidTreatment(SteroidKind.EPIDURAL_STEROID_INJECTION, date, true, true),
        PainPattern.RADICULAR, 7, false, List.of(ImagingFinding.DISC_DEGENERATION), 2, List.of(), date.minusMonths(3));
  }

  // ---------------------------------------------------------------------------------------------
  // producer: asynchronous, so the sender is never the bottleneck

  private static KafkaProducer<String, byte[]> producer;

  static synchronized KafkaProducer<String, byte[]> producer() {
    if (producer == null) {
      producer = new KafkaProducer<>(Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers(),
          ProducerConfig.ACKS_CONFIG, "all",
          ProducerConfig.LINGER_MS_CONFIG, 0),
          new StringSerializer(), new ByteArraySerializer());
    }
    return producer;
  }

  static Future<RecordMetadata> sendAsync(String topic, PathwayEvent event) {
    EventEnvelope envelope = EventEnvelope.of(Hospital.SOURCE, event);
    return producer().send(Hospital.codec().toRecord(topic, envelope));
  }

  static void flush(List<Future<RecordMetadata>> sends) {
    producer().flush();
    for (Future<RecordMetadata> f : sends) {
      try {
        f.get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("benchmark record not sent", e);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // arrival clock: when each outbound event of interest reached its topic (as a consumer sees it)

  /** An outbound event and the {@link System#nanoTime()} at which the consumer received it. */
  record Arrival(long nanos, PathwayEvent event) {}

  /** Arrivals by topic + "|" + patientRef (first arrival of a matching event). */
  static final Map<String, Arrival> ARRIVALS = new ConcurrentHashMap<>();
  private static volatile boolean listening;
  private static volatile boolean assigned;

  static synchronized void listen() {
    if (listening) {
      return;
    }
    listening = true;
    Thread t = new Thread(Bench::poll, "bench-outbound-consumer");
    t.setDaemon(true);
    t.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!assigned && System.nanoTime() < deadline) {
      sleep(50);
    }
    if (!assigned) {
      throw new IllegalStateException("benchmark consumer got no partitions");
    }
  }

  /** Only events with a patient reference of a benchmark run ("B...") and of the types we time. */
  private static final Predicate<PathwayEvent> TIMED = e -> e instanceof io.pathway.model.events.PathwayCompleted
      || e instanceof io.pathway.model.events.ReferralIssued;

  private static void poll() {
    EventCodec codec = EventCodec.create();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(Topics.STATUS, Topics.REFERRALS));
      while (true) {
        var records = consumer.poll(Duration.ofMillis(100));
        long now = System.nanoTime();
        if (!consumer.assignment().isEmpty()) {
          assigned = true;
        }
        for (ConsumerRecord<String, byte[]> r : records) {
          if (r.key() == null || !r.key().startsWith("B")) {
            continue;
          }
          try {
            PathwayEvent e = codec.decode(r).data();
            if (TIMED.test(e)) {
              ARRIVALS.putIfAbsent(r.topic() + "|" + e.patientRef(), new Arrival(now, e));
            }
          } catch (Exception ignored) {
            // not ours to judge here
          }
        }
      }
    } catch (org.apache.kafka.common.errors.InterruptException e) {
      Thread.currentThread().interrupt();
    }
  }

  static Arrival arrival(String topic, String patientRef) {
    return ARRIVALS.get(topic + "|" + patientRef);
  }

  static long arrivedCount(String topic, String prefix) {
    String p = topic + "|" + prefix;
    return ARRIVALS.keySet().stream().filter(k -> k.startsWith(p)).count();
  }

  // ---------------------------------------------------------------------------------------------
  // memory of this JVM

  /** VmRSS and VmHWM of this process in MiB from /proc/self/status (-1 where not available). */
  static long[] rssMiB() {
    long rss = -1;
    long hwm = -1;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        } else if (line.startsWith("VmHWM:")) {
          hwm = Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return new long[] {rss, hwm};
  }

  static long rssOfPidMiB(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone
    }
    return -1;
  }

  // ---------------------------------------------------------------------------------------------
  // CPU

  /** CPU time used so far: by the whole machine (/proc/stat, every process; -1 where not Linux) and by this JVM. */
  record Cpu(long machineNanos, long jvmNanos) {

    /** CPU per event since {@code before}: the machine's, this JVM's (service, broker, benchmark) and the rest's. */
    String perEventSince(Cpu before, long events, String what) {
      Cpu now = cpu();
      double jvm = (now.jvmNanos - before.jvmNanos) / 1e6 / events;
      if (before.machineNanos < 0 || now.machineNanos < 0) {
        return String.format("CPU per %s: this JVM %.2f ms%n", what, jvm);
      }
      double machine = (now.machineNanos - before.machineNanos) / 1e6 / events;
      return String.format("CPU per %s: %.2f ms of the machine's, of which this JVM (service, broker, benchmark) %.2f ms and the rest "
          + "(PostgreSQL, anything else) %.2f ms%n", what, machine, jvm, machine - jvm);
    }
  }

  static Cpu cpu() {
    long jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    long machine = -1;
    try {
      // cpu user nice system idle iowait irq softirq steal, in clock ticks of 10 ms (USER_HZ 100 on Linux)
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long ticks = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6]) + Long.parseLong(f[7])
          + Long.parseLong(f[8]);
      machine = ticks * 10_000_000L;
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return new Cpu(machine, jvm);
  }

  // ---------------------------------------------------------------------------------------------
  // reporting

  static String percentiles(Histogram h) {
    return String.format("n=%d p50=%.1f ms p95=%.1f ms p99=%.1f ms max=%.1f ms mean=%.1f ms", h.getTotalCount(),
        h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(95) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
        h.getMaxValue() / 1000.0, h.getMean() / 1000.0);
  }

  /** Prints the report and writes it to target/bench/{name}.txt. */
  static void report(String name, String text) {
    String header = "# " + name + " " + Instant.now() + " on " + machine() + "\n";
    System.out.println(header + text);
    Path dir = Path.of(System.getProperty("bench.output", "target/bench"));
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(name + ".txt"), header + text + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String machine() {
    long memGiB = -1;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          memGiB = Math.round(Long.parseLong(line.replaceAll("\\D", "")) / 1024.0 / 1024.0);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    String load = "";
    try {
      load = Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      // not Linux
    }
    return Runtime.getRuntime().availableProcessors() + " cpus, " + memGiB + " GiB, Java " + System.getProperty("java.version")
        + ", loadavg " + load;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Polls until the condition holds or the timeout passes; false on timeout. */
  static boolean waitFor(Duration timeout, java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      sleep(20);
    }
    return condition.getAsBoolean();
  }
}
