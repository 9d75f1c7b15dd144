package io.pathway.deploy.local;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.pathway.deploy.simulator.HospitalSimulator;
import io.pathway.notification.NotificationServiceApplication;
import io.pathway.service.PathwayServiceApplication;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The whole platform on one machine, with embedded defaults: a real PostgreSQL started from a Maven
 * artifact (unless {@code PATHWAY_LOCAL_DB_URL} names one), a real Kafka broker in KRaft mode in this
 * JVM, an SMTP server whose mails can be read on a web page, both services in the local profile, and
 * demo patients played through the topics by the hospital simulator. Ctrl-C stops everything.
 */
public final class LocalPlatform {

  private static final Logger log = LoggerFactory.getLogger(LocalPlatform.class);

  static final int KAFKA_PORT = intEnv("PATHWAY_LOCAL_KAFKA_PORT", 9092);
  static final int SMTP_PORT = intEnv("PATHWAY_LOCAL_SMTP_PORT", 3025);
  static final int MAILBOX_PORT = intEnv("PATHWAY_LOCAL_MAILBOX_PORT", 8025);
  static final int PATHWAY_PORT = intEnv("PATHWAY_PORT", 8080);
  static final int NOTIFICATION_PORT = intEnv("NOTIFICATION_PORT", 8090);

  private LocalPlatform() {}

  /** What to stop on exit, newest first; run by Spring Boot's shutdown hook after both services closed. */
  private static final java.util.Deque<Runnable> STOP = new java.util.ArrayDeque<>();

  public static void main(String[] args) throws Exception {
    try {
      run();
    } catch (Exception | Error e) {
      // stop what did start (no Spring application may have run, so its shutdown hook would not)
      log.error("The local platform could not start: {}", e.toString(), e);
      stopAll();
      System.exit(1);
    }
  }

  private static void onExit(Runnable stop) {
    STOP.push(stop);
  }

  private static synchronized void stopAll() {
    while (!STOP.isEmpty()) {
      try {
        STOP.pop().run();
      } catch (RuntimeException e) {
        log.warn("Stopping a local component failed: {}", e.toString());
      }
    }
  }

  private static void run() throws Exception {
    long started = System.nanoTime();
    SpringApplication.getShutdownHandlers().add(LocalPlatform::stopAll);
    Database db = database();
    onExit(db::close);

    EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(1, 12);
    // kafkaPorts() is ignored in KRaft mode; the listener itself fixes the port (0 = any free one)
    kafka.brokerProperty("listeners", "EXTERNAL://localhost:" + KAFKA_PORT + ",CONTROLLER://localhost:0");
    kafka.brokerProperty("auto.create.topics.enable", "false");
    kafka.brokerProperty("group.initial.rebalance.delay.ms", "0");
    kafka.brokerProperty("transaction.state.log.replication.factor", "1");
    kafka.brokerProperty("transaction.state.log.min.isr", "1");
    kafka.afterPropertiesSet();
    onExit(kafka::destroy);
    String bootstrap = kafka.getBrokersAsString();

    GreenMail smtp = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    onExit(smtp::stop);
    Mailbox mailbox = Mailbox.start(MAILBOX_PORT, smtp);
    onExit(mailbox::stop);

    Map<String, Object> common = new LinkedHashMap<>();
    common.put("spring.kafka.bootstrap-servers", bootstrap);
    common.put("spring.datasource.username", db.user());
    common.put("spring.datasource.password", db.password());
    // both services log to this one console: their logger names tell them apart
    common.put("logging.include-application-name", false);

    Map<String, Object> notification = new LinkedHashMap<>(common);
    notification.put("spring.datasource.url", db.url("notifications"));
    notification.put("server.port", NOTIFICATION_PORT);
    notification.put("management.server.port", NOTIFICATION_PORT + 1);
    notification.put("spring.mail.host", "127.0.0.1");
    notification.put("spring.mail.port", SMTP_PORT);
    // the Camunda starters are on this JVM's classpath for the pathway service only
    notification.put("spring.autoconfigure.exclude", String.join(",",
        "org.camunda.bpm.spring.boot.starter.CamundaBpmAutoConfiguration",
        "org.camunda.bpm.spring.boot.starter.webapp.CamundaBpmWebappAutoConfiguration",
        "org.camunda.bpm.spring.boot.starter.rest.CamundaBpmRestJerseyAutoConfiguration"));
    ConfigurableApplicationContext notifications = NotificationServiceApplication.builder()
        .profiles("local").run(arguments(notification));

    Map<String, Object> pathway = new LinkedHashMap<>(common);
    pathway.put("spring.datasource.url", db.url("pathway"));
    pathway.put("server.port", PATHWAY_PORT);
    pathway.put("management.server.port", PATHWAY_PORT + 1);
    ConfigurableApplicationContext pathwayService = PathwayServiceApplication.builder()
        .profiles("local").run(arguments(pathway));

    HospitalSimulator simulator = new HospitalSimulator(bootstrap);
    onExit(simulator::close);
    // PATHWAY_SIMULATOR_RESPOND=false (or -Dpathway.simulator.respond=false): nobody answers orders, not even the demo patients'
    boolean respond = Boolean.parseBoolean(System.getProperty("pathway.simulator.respond",
        System.getenv().getOrDefault("PATHWAY_SIMULATOR_RESPOND", "true")));
    if (respond) {
      simulator.respondToOrders();
    }
    simulator.playDemoPatients();

    double seconds = (System.nanoTime() - started) / 1e9;
    String banner = """

        ============================================================================
         Pathway is running (started in %.0f s)
           Tasklist      http://localhost:%d/camunda/app/tasklist/
           Cockpit       http://localhost:%d/camunda/app/cockpit/
           Log in as     demo / demo            (administrator, sees every task)
                         coordinator / coordinator   (care-coordinators)
                         clinician / clinician       (spine-clinicians)
                         lead / lead                 (pathway-leads: the variance ledger, #/ledger)
           Pathway API   http://localhost:%d/api/pathways?patientRef=DEMO-P03   (HTTP Basic, same users)
           Mailbox       http://localhost:%d/   (referrals and alerts sent by e-mail)
           Notifications http://localhost:%d/api/notifications   (demo / demo)
           Kafka         %s  (hospital topics: see common-model's AsyncAPI document)
           PostgreSQL    %s
         Demo patients DEMO-P01..DEMO-P05 are at different stages. The hospital simulator %s
         Ctrl-C stops everything.
        ============================================================================
        """.formatted(seconds, PATHWAY_PORT, PATHWAY_PORT, PATHWAY_PORT, MAILBOX_PORT, NOTIFICATION_PORT, bootstrap, db.describe(),
        respond ? "answers the orders of DEMO- and SIM- patients\n         only (PATHWAY_SIMULATOR_RESPOND=false: none)."
            : "answers no order (PATHWAY_SIMULATOR_RESPOND=false).");
    log.info(banner);
    if (!pathwayService.isActive() || !notifications.isActive()) {
      throw new IllegalStateException("a service did not start");
    }
    Thread.currentThread().join();
  }

  /** The database server of the local run: embedded, or the one named by PATHWAY_LOCAL_DB_URL. */
  record Database(String baseUrl, String user, String password, EmbeddedPostgres embedded) {

    String url(String database) {
      return baseUrl.replaceFirst("/[^/?]*(\\?|$)", "/" + database + "$1");
    }

    String describe() {
      return embedded == null ? baseUrl : "embedded, port " + embedded.getPort() + " (data discarded on exit)";
    }

    void close() {
      if (embedded != null) {
        try {
          embedded.close();
        } catch (IOException e) {
          log.warn("Embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
      }
    }
  }

  private static Database database() throws IOException, SQLException {
    String configured = System.getenv("PATHWAY_LOCAL_DB_URL");
    Database db;
    if (configured != null && !configured.isBlank()) {
      db = new Database(configured, envOr("PATHWAY_LOCAL_DB_USER", "postgres"), envOr("PATHWAY_LOCAL_DB_PASSWORD", ""), null);
    } else {
      EmbeddedPostgres pg = EmbeddedPostgres.builder().setRegisterShutdownHook(false).start();
      db = new Database("jdbc:postgresql://localhost:" + pg.getPort() + "/postgres", "postgres", "", pg);
    }
    try (var con = DriverManager.getConnection(db.url("postgres"), db.user(), db.password()); var st = con.createStatement()) {
      for (String name : new String[] {"pathway", "notifications"}) {
        try (var rs = st.executeQuery("select 1 from pg_database where datname = '" + name + "'")) {
          if (!rs.next()) {
            st.execute("create database " + name);
          }
        }
      }
    }
    return db;
  }

  /** Settings as command-line arguments: above the services' own files, and private to each service in this JVM. */
  private static String[] arguments(Map<String, Object> settings) {
    return settings.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
  }

  private static int intEnv(String name, int fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
  }

  private static String envOr(String name, String fallback) {
    String v = System.getenv(name);
    return v == null ? fallback : v;
  }
}
