package io.pathway.service.support;

import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What every journey through the topics and the task API starts with: the REST client, the
 * database for assertions, a Tasklist user, and a fresh pseudonymous patient per test. Subclasses
 * carry {@code @PathwayServiceTest}, so they share one Spring context.
 */
public abstract class JourneyTest {

  @Autowired
  protected TestRestTemplate rest;
  @Autowired
  protected JdbcTemplate jdbc;
  protected Tasklist tasklist;
  protected String patient;

  @BeforeAll
  static void listen() {
    Outbound.start();
  }

  @BeforeEach
  void newPatient() {
    tasklist = new Tasklist(rest);
    patient = newPatientRef();
  }

  /** A fresh pseudonymous patient reference. */
  protected static String newPatientRef() {
    return "PT-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
