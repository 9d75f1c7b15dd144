package io.pathway.messaging;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/** Base of the module's tests: one application context on the real database and broker. */
@SpringBootTest(classes = MessagingTestApplication.class)
public abstract class MessagingTest {

  @Autowired protected JdbcTemplate jdbc;
}
