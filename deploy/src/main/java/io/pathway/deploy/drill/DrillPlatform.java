package io.pathway.deploy.drill;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * The platform a drill runs on, each part a process of its own on this machine: a KRaft broker from the
 * {@code kafka_2.13} artifact, PostgreSQL (the machine's server with a fresh database, or a private cluster for R3),
 * GreenMail as SMTP server ({@link SmtpSink}), a webhook receiver, and the packaged services. It starts them, kills
 * and restarts them for the faults, and removes them (and the database) at the end.
 */
final class DrillPlatform {

  static final String WEBHOOK_SECRET = "drill-webhook-secret-0123456789";

  private final String id;
  private final int replicas;
  private final boolean baseline;
  private final Path root;
  private final Path work;
  private final String stamp;
  private final DrillLog log;
  private final List<Proc> processes = new CopyOnWriteArrayList<>();
  private final int kafkaPort = Proc.freePort();
  private final int controllerPort = Proc.freePort();
  private final int smtpPort = Proc.freePort();
  final WebhookReceiver webhooks = new WebhookReceiver(Proc.freePort(), WEBHOOK_SECRET);
  private final boolean privatePostgres;
  private int pgPort = 5432;
  private Path pgDir;
  private final String database;
  Proc broker;
  Proc smtp;
  final List<Proc> pathway = new ArrayList<>();
  final List<int[]> pathwayPorts = new ArrayList<>();
  Proc notification;
  private final int[] notificationPorts = {Proc.freePort(), Proc.freePort()};
  private final Map<String, String> extraNotificationEnv = new HashMap<>();

  DrillPlatform(String id, int replicas, boolean baseline, Path root, Path work, String stamp, DrillLog log) {
    this.id = id;
    this.replicas = replicas;
    this.baseline = baseline;
    this.root = root;
    this.work = work;
    this.stamp = stamp;
    this.log = log;
    this.privatePostgres = id.equals("R3");
    this.database = ("drill_" + id + "_" + stamp).toLowerCase(Locale.ROOT).replace('-', '_');
  }

  /** A cold start of the first pathway-service (P2C): stopped, started again, until ready. */
  void coldRestartFirstPathway() throws InterruptedException {
    log.mark("pathway-service-1 stopped for a cold start");
    pathway.get(0).stop();
    Proc again = newPathway(0);
    pathway.set(0, again);
    again.start();
    long ready = again.awaitHttp200(readiness(pathwayPorts.get(0)[1]), Duration.ofSeconds(180));
    log.mark("pathway-service-1 restarted and ready (" + ready + " ms after its start)");
  }

  /** R2: the broker down for a minute. */
  void brokerOutage() throws Exception {
    log.mark("broker stopped");
    broker.stop();
    Thread.sleep(60_000);
    broker = newBroker(false).start();
    awaitBroker();
    log.mark("broker back");
  }

  /** R5: the SMTP server and the webhook receiver down for 20 s. */
  void receiversOutage() throws Exception {
    log.mark("SMTP server and webhook receiver down");
    smtp.stop();
    webhooks.stop();
    Thread.sleep(20_000);
    smtp = newSmtp().start();
    webhooks.start();
    log.mark("SMTP server and webhook receiver back");
  }

  String bootstrap() {
    return "127.0.0.1:" + kafkaPort;
  }

  Connection connection() throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort + "/" + database, "postgres", "");
  }

  void startInfrastructure() throws Exception {
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
    log.say("broker (kafka_2.13, KRaft) on %s", bootstrap());

    if (privatePostgres) {
      pgPort = Proc.freePort();
      pgDir = Path.of(System.getProperty("java.io.tmpdir"), "pathway-drill-pg-" + stamp);
      sh("mkdir -p " + pgDir + " && chown postgres " + pgDir);
      postgresAs(pgBin() + "/initdb -D " + pgDir + "/data -A trust -U postgres >/dev/null");
      postgresAs(pgBin() + "/pg_ctl -D " + pgDir + "/data -l " + pgDir + "/log -w -o '-p " + pgPort + " -k " + pgDir
          + " -c listen_addresses=127.0.0.1 -c max_connections=200' start >/dev/null");
      log.say("private PostgreSQL cluster (the machine's binaries) on 127.0.0.1:%d", pgPort);
    }
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres", "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("create database " + database);
    }
    log.say("database %s on 127.0.0.1:%d", database, pgPort);
    smtp = newSmtp().start();
    webhooks.start();
  }

  void postgresCtl(String args) throws Exception {
    postgresAs(pgBin() + "/pg_ctl -D " + pgDir + "/data " + args + " >/dev/null");
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

  Proc newBroker(boolean first) {
    Path kafkaDir = work.resolve("kafka");
    Proc p = new Proc("kafka", kafkaDir, Proc.javaCommand(List.of("-Xmx512m", "-cp", System.getProperty("java.class.path"),
        "-Dlogback.configurationFile=" + kafkaDir.resolve("logback.xml")), "kafka.Kafka",
        kafkaDir.resolve("server.properties").toString()), Map.of());
    processes.add(p);
    return p;
  }

  void awaitBroker() throws InterruptedException {
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

  Proc newSmtp() {
    Proc p = new Proc("smtp", work, Proc.javaCommand(List.of("-Xmx128m", "-cp", System.getProperty("java.class.path"),
        "-Dlogback.configurationFile=" + work.resolve("kafka/logback.xml")),
        SmtpSink.class.getName(), String.valueOf(smtpPort), work.resolve("smtp-journal.txt").toString()), Map.of());
    processes.add(p);
    return p;
  }

  void startServices() throws Exception {
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
          log.say("%s ready %d ms after its start", p.name, ready);
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
        log.say("notification-service ready %d ms after its start", ready);
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

  static String readiness(int managementPort) {
    return "http://127.0.0.1:" + managementPort + "/actuator/health/readiness";
  }

  Proc newPathway(int index) {
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
        root.resolve("pathway-service/target/pathway-service-0.1.0-SNAPSHOT-exec.jar").toString());
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
  static String memoryOf(Proc p) {
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
    env.put("NOTIFICATION_WEBHOOK_SECRET_ONCALL", WEBHOOK_SECRET);
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
        "-jar", root.resolve("notification-service/target/notification-service-0.1.0-SNAPSHOT-exec.jar").toString()), env);
    processes.add(p);
    return p;
  }

  void killAndRestart(Proc victim, int index) {
    try {
      log.mark("kill -9 " + victim.name + " (pid " + victim.pid() + ")");
      victim.kill9();
      Proc again = newPathway(index);
      pathway.set(index, again);
      again.start();
      long ready = again.awaitHttp200(readiness(pathwayPorts.get(index)[1]), Duration.ofSeconds(180));
      log.mark(victim.name + " restarted and ready (" + ready + " ms after its start)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void killAndRestartNotification() {
    try {
      log.mark("kill -9 notification-service (pid " + notification.pid() + ")");
      notification.kill9();
      notification = newNotification();
      notification.start();
      long ready = notification.awaitHttp200(readiness(notificationPorts[1]), Duration.ofSeconds(180));
      log.mark("notification-service restarted and ready (" + ready + " ms after its start)");
      Long assigned = Drill.firstLogTime(notification.log(), "partitions assigned", notification.startedAtMillis);
      if (assigned != null) {
        log.say("notification-service after restart: first 'partitions assigned' %d ms after its start", assigned - notification.startedAtMillis);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void shutdown() {
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
      log.say("clean-up: %s", e.getMessage());
    }
  }

  /**
   * Where PostgreSQL's server programs are: {@code DRILL_PG_BIN}, else the newest Debian install under
   * {@code /usr/lib/postgresql/<version>/bin}.
   */
  static String pgBin() {
    String configured = System.getenv("DRILL_PG_BIN");
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    java.io.File[] versions = new java.io.File("/usr/lib/postgresql").listFiles(f -> new java.io.File(f, "bin/initdb").canExecute());
    if (versions == null || versions.length == 0) {
      throw new IllegalStateException("no PostgreSQL server programs found: set DRILL_PG_BIN to the directory of initdb and pg_ctl");
    }
    java.util.Arrays.sort(versions, java.util.Comparator.comparingInt(f -> {
      try {
        return Integer.parseInt(f.getName());
      } catch (NumberFormatException e) {
        return 0;
      }
    }));
    return versions[versions.length - 1].getPath() + "/bin";
  }
}
