package io.pathway.service.intake;

import org.springframework.jdbc.core.JdbcTemplate;

/** The database pool: a few round trips, so that the first records do not open its connections. */
final class PoolWarmUp implements WarmUpStep {

  private static final int QUERIES = 5;

  private final JdbcTemplate jdbc;

  PoolWarmUp(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public String counts() {
    return "pool queries";
  }

  @Override
  public int run() {
    int n = 0;
    for (int i = 0; i < QUERIES; i++) {
      jdbc.queryForObject("select 1", Integer.class);
      n++;
    }
    return n;
  }
}
