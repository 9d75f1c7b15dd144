package io.pathway.service.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathway.service.PathwayServiceTest;
import io.pathway.service.support.JourneyTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The background projection is routine work: it waits while pathways are changing (the newest mark is under
 * {@code pathway.fhir.projection-idle}, 1 s, old) unless its backlog is older than {@code projection-max-lag} (5 min).
 * Each case runs in a transaction that is rolled back, so the marks of other tests are not touched.
 */
@PathwayServiceTest
class FhirProjectionYieldsTest extends JourneyTest {

  @Autowired
  FhirProjection projection;
  @Autowired
  TransactionTemplate tx;

  @Test
  void shouldWaitWhilePathwaysChangeUnlessTheBacklogIsOld() {
    tx.executeWithoutResult(status -> {
      jdbc.update("delete from pathway.fhir_stale");
      assertThat(projection.busy()).as("nothing waits: idle").isFalse();

      mark("clock_timestamp()");
      assertThat(projection.busy()).as("a pathway changed this instant: the projection waits").isTrue();

      jdbc.update("update pathway.fhir_stale set marked_at = clock_timestamp() - interval '5 seconds'");
      assertThat(projection.busy()).as("no change for 5 s: idle again").isFalse();

      jdbc.update("delete from pathway.fhir_stale");
      mark("clock_timestamp() - interval '6 minutes'");
      mark("clock_timestamp()");
      assertThat(projection.busy()).as("changes go on, but the oldest has waited 6 min: the projection runs").isFalse();
      status.setRollbackOnly();
    });
  }

  private void mark(String at) {
    jdbc.update("insert into pathway.fhir_stale (pathway_id, marked_at) values ('yield-probe', " + at + ")");
  }
}
