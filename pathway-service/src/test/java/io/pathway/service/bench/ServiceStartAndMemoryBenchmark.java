package io.pathway.service.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathway.model.Topics;
import io.pathway.model.codes.RedFlag;
import io.pathway.model.events.RedFlagRaised;
import io.pathway.service.PathwayServiceTest;
import io.pathway.testsupport.SharedKafkaBroker;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

/**
 * P5: the real executable jar ({@code target/pathway-service-*-exec.jar}, packaged before the
 * benchmarks run) started as its own process with the {@code prod} profile, a 614 MiB heap (60% of
 * the 1 GiB limit of deploy/k8s, as {@code -XX:MaxRAMPercentage=60} gives there), a fresh database on
 * the test PostgreSQL server and the test JVM's Kafka broker. Measures wall time from process start to
 * {@code /actuator/health/readiness} answering 200 (first start: creates the schema; second start:
 * schema there), and its RSS (/proc/pid/status) while it enrols and completes pathways from Kafka.
 * The test context's own listeners are paused meanwhile, so the child does the work.
 * {@code -Dbench.p5.n} (default 2000 pathways).
 */
@PathwayServiceTest
class ServiceStartAndMemoryBenchmark {

  @Autowired
  JdbcTemplate jdbc;
  @Autowired
  Environment env;
  @Autowired
  KafkaListenerEndpointRegistry listeners;

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  record Child(Process process, int managementPort, double readySeconds) {}

  Child start(String dbUrl, Path log) throws Exception {
    Path jar = Path.of(System.getProperty("bench.execJar", "target/pathway-service-0.1.0-SNAPSHOT-exec.jar"));
    assertThat(jar).as("the executable jar (run with -Pbench verify, which packages it first)").exists();
    int port = freePort();
    int management = freePort();
    String password = env.getProperty("spring.datasource.password", "");
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx614m", "-XX:+ExitOnOutOfMemoryError", "-jar", jar.toAbsolutePath().toString());
    Map<String, String> e = pb.environment();
    e.remove("JAVA_TOOL_OPTIONS");
    e.put("SPRING_PROFILES_ACTIVE", "prod");
    e.put("PATHWAY_DB_URL", dbUrl);
    e.put("PATHWAY_DB_USER", env.getProperty("spring.datasource.username", "postgres"));
    e.put("PATHWAY_DB_PASSWORD", password.isBlank() ? "unused-by-trust-auth" : password);
    e.put("PATHWAY_ADMIN_USER", "bench-admin");
    e.put("PATHWAY_ADMIN_PASSWORD", "bench-admin-password-0123");
    e.put("KAFKA_BOOTSTRAP_SERVERS", SharedKafkaBroker.bootstrapServers());
    e.put("SPRING_KAFKA_CONSUMER_GROUP_ID", "pathway-bench-p5");
    e.put("PATHWAY_PORT", String.valueOf(port));
    e.put("PATHWAY_MANAGEMENT_PORT", String.valueOf(management));
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management + "/actuator/health/readiness"))
        .timeout(Duration.ofSeconds(2)).build();
    long t0 = System.nanoTime();
    Process p = pb.start();
    while (System.nanoTime() - t0 < TimeUnit.MINUTES.toNanos(5)) {
      assertThat(p.isAlive()).as("pathway-service process alive (see %s)", log).isTrue();
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return new Child(p, management, (System.nanoTime() - t0) / 1e9);
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Bench.sleep(100);
    }
    p.destroyForcibly();
    throw new IllegalStateException("pathway-service not ready in 5 minutes, see " + log);
  }

  static void stop(Child c) throws InterruptedException {
    c.process().destroy();
    if (!c.process().waitFor(30, TimeUnit.SECONDS)) {
      c.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void p5StartAndRssOfThePackagedService() throws Exception {
    int n = Bench.intProperty("bench.p5.n", 2000);
    String url = env.getProperty("spring.datasource.url");
    String db = "bench_p5_" + Long.toHexString(System.nanoTime());
    String childUrl = url.replaceFirst("/[^/?]+(\\?.*)?$", "/" + db);
    jdbc.execute("create database " + db);
    Path dir = Path.of(System.getProperty("bench.output", "target/bench"));
    Files.createDirectories(dir);
    Path log = dir.resolve("P5-pathway-service.log");
    Files.deleteIfExists(log);
    StringBuilder out = new StringBuilder();
    listeners.getListenerContainers().forEach(c -> c.pause());
    Bench.listen();
    try {
      Child first = start(childUrl, log);
      long rssIdleFirst = Bench.rssOfPidMiB(first.process().pid());
      stop(first);
      Child child = start(childUrl, log);
      long rssIdle = Bench.rssOfPidMiB(child.process().pid());
      out.append(String.format("java -Xmx614m -XX:+ExitOnOutOfMemoryError -jar %s, SPRING_PROFILES_ACTIVE=prod, database %s on the test server%n",
          Path.of(System.getProperty("bench.execJar", "?")).getFileName(), db));
      out.append(String.format("start to readiness 200: first start (empty database, creates the Camunda and pathway schemas) %.1f s, RSS when ready %d MiB%n",
          first.readySeconds(), rssIdleFirst));
      out.append(String.format("start to readiness 200: second start (schemas present) %.1f s, RSS when ready %d MiB%n", child.readySeconds(), rssIdle));

      // load: enrolments, then follow-ups with relief, then red flags, all through Kafka to the child
      String prefix = Bench.prefix("BM");
      AtomicLong maxRss = new AtomicLong(rssIdle);
      Thread sampler = new Thread(() -> {
        while (child.process().isAlive() && !Thread.currentThread().isInterrupted()) {
          maxRss.accumulateAndGet(Bench.rssOfPidMiB(child.process().pid()), Math::max);
          try {
            Thread.sleep(250);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      sampler.setDaemon(true);
      sampler.start();
      long t0 = System.nanoTime();
      List<Future<RecordMetadata>> sends = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        sends.add(Bench.sendAsync(Topics.PATHWAY_ENROLMENTS, Bench.enrolment(prefix + i)));
      }
      Bench.flush(sends);
      // follow-ups right behind: those early for their step wait in the child's inbox and are matched
      sends.clear();
      for (int i = 0; i < n; i++) {
        sends.add(i % 10 == 0
            ? Bench.sendAsync(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised(prefix + i, RedFlag.SADDLE_ANESTHESIA, Instant.now()))
            : Bench.sendAsync(Topics.CLINICAL_OBSERVATIONS, InboundBenchmark.relief(prefix + i)));
      }
      Bench.flush(sends);
      int expectedCompleted = n - (n + 9) / 10;
      int expectedReferrals = (n + 9) / 10;
      boolean done = Bench.waitFor(Duration.ofMinutes(15), () -> Bench.arrivedCount(Topics.STATUS, prefix) >= expectedCompleted
          && Bench.arrivedCount(Topics.REFERRALS, prefix) >= expectedReferrals);
      double seconds = (System.nanoTime() - t0) / 1e9;
      sampler.interrupt();
      long rssEnd = Bench.rssOfPidMiB(child.process().pid());
      String startedLine = Files.readAllLines(log).stream().filter(l -> l.contains("Started PathwayServiceApplication")).reduce((a, b) -> b).orElse("?");
      stop(child);
      assertThat(done).as("the child completed %d pathways and issued %d emergency referrals", expectedCompleted, expectedReferrals).isTrue();
      out.append(String.format("load: %d enrolments + %d follow-ups (relief) + %d red flags through Kafka, all processed in %.1f s; "
          + "RSS sampled every 250 ms: max %d MiB, at the end %d MiB%n", n, expectedCompleted, expectedReferrals, seconds, maxRss.get(), rssEnd));
      out.append("Spring's own line (second start): ").append(startedLine.replaceAll("^.*(Started PathwayServiceApplication)", "$1")).append('\n');
      out.append("bars: RSS < 768 MB under load; started and ready < 30 s\n");
      Bench.report("P5-service-start-and-memory", out.toString());
    } finally {
      listeners.getListenerContainers().forEach(c -> c.resume());
      try {
        jdbc.execute("drop database if exists " + db + " with (force)");
      } catch (RuntimeException ignored) {
        // left for a later clean-up
      }
    }
  }
}
