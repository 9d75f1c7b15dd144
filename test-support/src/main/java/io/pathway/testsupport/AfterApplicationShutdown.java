package io.pathway.testsupport;

import org.springframework.boot.SpringApplication;

/**
 * Runs a clean-up at JVM exit only after the application contexts have closed: they still need
 * the database and the broker while they close, and plain JVM shutdown hooks run in no particular
 * order. Spring Boot's shutdown handlers run after every context it closes at exit.
 */
final class AfterApplicationShutdown {

  private AfterApplicationShutdown() {}

  static void register(String name, Runnable cleanUp) {
    SpringApplication.getShutdownHandlers().add(cleanUp);
  }
}
