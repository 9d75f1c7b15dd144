package io.pathway.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathway.notification.IntegrationTest;
import io.pathway.notification.TestSmtp;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The start-up warm-up of the delivery path keeps nothing but an SMTP connection for the first e-mail
 * (and sends nothing: it never calls a send).
 */
class DeliveryWarmUpTest extends IntegrationTest {

  @Autowired DeliveryWarmUp warmUp;
  @Autowired JdbcClient jdbc;

  @Test
  void shouldRecordDeliveriesOnlyInRolledBackTransactions() {
    // given the started service

    // when it runs again
    warmUp.start();

    // then the delivery log's path ran, and nothing of it is kept or sent
    assertThat(warmUp.lastRecorded()).isPositive();
    assertThat(warmUp.lastSmtpConnected()).isTrue();
    assertThat(jdbc.sql("select count(*) from notification where patient_ref = 'WARMUP-0'").query(Long.class).single()).isZero();
    assertThat(jdbc.sql("select count(*) from notification where source_event_id like 'warmup-%'").query(Long.class).single()).isZero();
    // and no e-mail of it reached the SMTP server (every e-mail names the event it delivers)
    assertThat(TestSmtp.messages()).isNotNull().noneMatch(m -> {
      String event = TestSmtp.header(m, EmailSender.HEADER_EVENT_ID);
      return event != null && event.startsWith("warmup-");
    });
  }
}
