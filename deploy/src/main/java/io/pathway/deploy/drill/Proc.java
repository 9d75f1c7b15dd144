package io.pathway.deploy.drill;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One separate process of a drill (a service, the broker, the SMTP server), with its log file. */
final class Proc {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  final String name;
  private final List<String> command;
  private final Map<String, String> env;
  private final Path log;
  private final Path dir;
  private Process process;
  long startedAtMillis;

  Proc(String name, Path dir, List<String> command, Map<String, String> env) {
    this.name = name;
    this.dir = dir;
    this.command = List.copyOf(command);
    this.env = Map.copyOf(env);
    this.log = dir.resolve(name + ".log");
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static List<String> javaCommand(List<String> jvmOptions, String... rest) {
    List<String> c = new ArrayList<>();
    c.add(java());
    c.addAll(jvmOptions);
    c.addAll(List.of(rest));
    return c;
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Proc start() {
    try {
      Files.createDirectories(dir);
      ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.environment().putAll(env);
      startedAtMillis = System.currentTimeMillis();
      Files.writeString(log, "=== drill: start at " + startedAtMillis + "\n", java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      process = pb.start();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int awaitExit() throws InterruptedException {
    return process.waitFor();
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  /** {@code kill -9}: no shutdown hook, no consumer leaving its group, no lock released by the process. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM and wait (a graceful stop). */
  void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(40, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor();
      }
    }
  }

  /** Waits until {@code url} answers 200; returns the milliseconds since this process started. */
  long awaitHttp200(String url, Duration timeout) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    while (System.currentTimeMillis() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + ", see " + log);
      }
      try {
        HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return System.currentTimeMillis() - startedAtMillis;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(name + " not ready within " + timeout + ", see " + log);
  }

  Path log() {
    return log;
  }
}
