package io.pathway.service.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathway.service.PathwayServiceTest;
import java.sql.Connection;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/** What the FHIR projection reads of a pathway's referrals: its own and its escalations', looked up by key. */
@PathwayServiceTest
class PathwaySourcesTest {

  @Autowired
  PathwaySources sources;
  @Autowired
  JdbcTemplate jdbc;
  @Autowired
  DataSource dataSource;

  @Test
  void shouldReadThePathwaysReferralsAndItsEscalationsOnlyAndByKey() throws Exception {
    // given: a pathway with its elective referral, an escalation of it with its emergency referral, and another pathway's
    String pathway = UUID.randomUUID().toString();
    String escalation = UUID.randomUUID().toString();
    String other = UUID.randomUUID().toString();
    jdbc.update("insert into pathway.escalation (escalation_id, patient_ref, pathway_id, flags, observed_at) values (?, ?, ?, ?, now())",
        escalation, "PT-" + escalation, pathway, "SADDLE_ANESTHESIA");
    jdbc.update("insert into pathway.referral_issued (pathway_id, urgency) values (?, 'ELECTIVE'), (?, 'EMERGENCY'), (?, 'ELECTIVE')",
        pathway, escalation, other);

    // then
    assertThat(sources.referralClaims(pathway)).extracting(PathwaySources.ReferralClaim::claimId, PathwaySources.ReferralClaim::urgency)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(pathway, "ELECTIVE"),
            org.assertj.core.groups.Tuple.tuple(escalation, "EMERGENCY"));
    // and the table is never read whole, whatever its size (the planner may not choose a sequential scan here)
    try (Connection connection = dataSource.getConnection()) {
      JdbcTemplate session = new JdbcTemplate(new SingleConnectionDataSource(connection, true));
      session.execute("set enable_seqscan = off");
      try {
        String plan = String.join("\n", session.queryForList("explain " + PathwaySources.REFERRAL_CLAIMS, String.class, pathway, pathway));
        assertThat(plan).doesNotContain("Seq Scan on referral_issued");
      } finally {
        session.execute("reset enable_seqscan");
      }
    }
  }
}
