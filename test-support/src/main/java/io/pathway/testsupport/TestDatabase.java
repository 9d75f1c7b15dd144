package io.pathway.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * One real PostgreSQL database per test JVM, shared by every test class in it.
 *
 * <p>Where the server comes from, in order:
 * <ol>
 *   <li>the server named by {@code PATHWAY_TEST_DB_URL} (environment) or {@code pathway.test.db.url}
 *       (system property), with {@code ..._USER} / {@code ..._PASSWORD}; a fresh database is created
 *       on it for this JVM and dropped when the JVM exits (unless {@code PATHWAY_TEST_DB_KEEP=true});</li>
 *   <li>a Testcontainers PostgreSQL when a Docker engine answers;</li>
 *   <li>an embedded PostgreSQL server started from the zonky Maven artifact.</li>
 * </ol>
 */
public final class TestDatabase {

  private static final Logger log = LoggerFactory.getLogger(TestDatabase.class);
  private static final String PREFIX = "pathway_test_";
  private static volatile Connection shared;

  /** JDBC coordinates of the database. */
  public record Connection(String jdbcUrl, String username, String password, String origin) {}

  private TestDatabase() {}

  public static Connection get() {
    Connection c = shared;
    if (c == null) {
      synchronized (TestDatabase.class) {
        if (shared == null) {
          shared = start();
        }
        c = shared;
      }
    }
    return c;
  }

  private static Connection start() {
    String url = setting("PATHWAY_TEST_DB_URL", "pathway.test.db.url");
    if (url != null && !url.isBlank()) {
      return freshDatabaseOn(url,
          orDefault(setting("PATHWAY_TEST_DB_USER", "pathway.test.db.user"), "postgres"),
          orDefault(setting("PATHWAY_TEST_DB_PASSWORD", "pathway.test.db.password"), ""));
    }
    if (dockerAvailable()) {
      PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:16-alpine");
      container.start();
      AfterApplicationShutdown.register("pg-testcontainer-stop", container::stop);
      log.info("Tests use a Testcontainers PostgreSQL");
      return new Connection(container.getJdbcUrl(), container.getUsername(), container.getPassword(), "testcontainers");
    }
    try {
      EmbeddedPostgres pg = EmbeddedPostgres.builder().setRegisterShutdownHook(false).start();
      AfterApplicationShutdown.register("pg-embedded-stop", () -> {
        try {
          pg.close();
        } catch (IOException e) {
          log.warn("Embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
      });
      log.info("Tests use an embedded PostgreSQL on port {}", pg.getPort());
      return new Connection(pg.getJdbcUrl("postgres", "postgres"), "postgres", "", "embedded");
    } catch (IOException e) {
      throw new IllegalStateException("Could not start an embedded PostgreSQL", e);
    }
  }

  private static Connection freshDatabaseOn(String url, String user, String password) {
    String name = PREFIX + (System.currentTimeMillis() / 1000) + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    try (var con = DriverManager.getConnection(url, user, password); var st = con.createStatement()) {
      if (!"true".equalsIgnoreCase(setting("PATHWAY_TEST_DB_KEEP", "pathway.test.db.keep"))) {
        dropStaleDatabases(con);
      }
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("Could not create test database on " + url + ": " + e.getMessage(), e);
    }
    String dbUrl = replaceDatabase(url, name);
    log.info("Tests use database {} on the configured server", name);
    return new Connection(dbUrl, user, password, "configured");
  }

  /**
   * Test databases are not dropped when their JVM exits (the application contexts still close at
   * that moment and need them); each run instead drops those of earlier runs: older than an hour
   * and with nobody connected.
   */
  private static void dropStaleDatabases(java.sql.Connection con) throws SQLException {
    long cutoff = System.currentTimeMillis() / 1000 - 3600;
    var stale = new java.util.ArrayList<String>();
    try (var st = con.createStatement();
        var rs = st.executeQuery("select datname from pg_database d where datname like '" + PREFIX + "%' "
            + "and not exists (select 1 from pg_stat_activity a where a.datname = d.datname)")) {
      while (rs.next()) {
        String db = rs.getString(1);
        String[] parts = db.substring(PREFIX.length()).split("_");
        if (parts.length == 2 && parts[0].chars().allMatch(Character::isDigit) && Long.parseLong(parts[0]) < cutoff) {
          stale.add(db);
        }
      }
    }
    for (String db : stale) {
      try (var st = con.createStatement()) {
        st.execute("DROP DATABASE IF EXISTS " + db);
      } catch (SQLException e) {
        log.debug("Could not drop stale test database {}: {}", db, e.getMessage());
      }
    }
  }

  static String replaceDatabase(String url, String database) {
    int schemeEnd = url.indexOf("//");
    int slash = url.indexOf('/', schemeEnd + 2);
    int query = url.indexOf('?');
    String base = slash < 0 ? (query < 0 ? url : url.substring(0, query)) : url.substring(0, slash);
    String params = query < 0 ? "" : url.substring(query);
    return base + "/" + database + params;
  }

  private static boolean dockerAvailable() {
    if ("false".equalsIgnoreCase(setting("PATHWAY_TEST_DOCKER", "pathway.test.docker"))) {
      return false;
    }
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  static String setting(String env, String property) {
    String v = System.getProperty(property);
    if (v == null) {
      v = System.getenv(env);
    }
    return v;
  }

  private static String orDefault(String v, String d) {
    return v == null || v.isBlank() ? d : v.toLowerCase(Locale.ROOT).equals("none") ? "" : v;
  }
}
