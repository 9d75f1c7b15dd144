package io.pathway.testsupport;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a clean-up at JVM exit only after the application contexts have closed: they still need
 * the database and the broker while they close, and JVM shutdown hooks run in no particular order.
 * The hook waits for Spring Boot's shutdown hook thread (started at the same moment when a Spring
 * application ran in this JVM), then cleans up; in a JVM without Spring applications (plain engine
 * tests) it cleans up at once.
 */
final class AfterApplicationShutdown {

  private static final String SPRING_HOOK = "SpringApplicationShutdownHook";

  private AfterApplicationShutdown() {}

  static void register(String name, Runnable cleanUp) {
    AtomicBoolean done = new AtomicBoolean();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      Thread spring = awaitSpringHook();
      if (spring != null) {
        try {
          spring.join(30_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (done.compareAndSet(false, true)) {
        cleanUp.run();
      }
    }, name));
  }

  /** Spring's hook thread, if it shows up within a second (all hooks start together). */
  private static Thread awaitSpringHook() {
    long until = System.nanoTime() + 1_000_000_000L;
    while (System.nanoTime() < until) {
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (SPRING_HOOK.equals(t.getName())) {
          return t;
        }
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    return null;
  }
}
