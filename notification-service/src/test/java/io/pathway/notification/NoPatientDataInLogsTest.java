package io.pathway.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pathway.model.Topics;
import io.pathway.model.codes.AlertType;
import io.pathway.model.codes.ReferralReason;
import io.pathway.model.codes.Severity;
import io.pathway.model.codes.Urgency;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.model.events.AlertRaised;
import io.pathway.model.events.ReferralIssued;
import io.pathway.notification.delivery.Notification;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * What the service logs while it accepts, retries, delivers and dead-letters: patient references
 * (pseudonymous) and ids, never an e-mail address nor what a message says.
 */
@ExtendWith(OutputCaptureExtension.class)
class NoPatientDataInLogsTest extends IntegrationTest {

  @AfterEach
  void receiverBack() {
    TestWebhookReceiver.down(false);
  }

  @Test
  void shouldLogNoAddressesAndNoMessageContent(CapturedOutput output) {
    // given texts that only the messages carry, and a webhook receiver that fails at first
    String patientRef = newPatientRef();
    String secretText = "Confidential" + UUID.randomUUID().toString().replace("-", "");
    TestWebhookReceiver.down(true);

    // when a referral, an alert and a bad record go through, with retries
    EventEnvelope referral = publish(Topics.REFERRALS, new ReferralIssued("REF-" + patientRef, "PW-" + patientRef, patientRef,
        Urgency.EMERGENCY, ReferralReason.CAUDA_EQUINA_SYNDROME, "Procedure " + secretText, List.of("Evidence " + secretText),
        Instant.now()));
    EventEnvelope alert = publish(Topics.ALERTS, new AlertRaised("A-" + patientRef, null, patientRef, Severity.HIGH,
        AlertType.TASK_OVERDUE, "Message " + secretText, Instant.now()));
    ProducerRecord<String, byte[]> bad = new ProducerRecord<>(Topics.ALERTS, patientRef,
        ("{\"message\": \"" + secretText + "\", \"severity\": \"LOUD\"}").getBytes(StandardCharsets.UTF_8));
    bad.headers().add("ce_id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8))
        .add("ce_type", "pathway.alert.raised.v1".getBytes(StandardCharsets.UTF_8))
        .add("ce_source", "urn:test".getBytes(StandardCharsets.UTF_8))
        .add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
    send(bad);
    await().atMost(Duration.ofSeconds(10)).until(() -> firstNotices(referral.id()).stream().anyMatch(n -> n.attempts() >= 2));
    TestWebhookReceiver.down(false);
    awaitDelivered(referral.id(), 3);
    awaitDelivered(alert.id(), 2);

    // then
    await().atMost(Duration.ofSeconds(10)).until(() -> output.getOut().contains("sent to pathway.alerts.DLT"));
    assertThat(output.getAll())
        .contains(patientRef)
        .contains("will retry")
        .doesNotContain(secretText)
        .doesNotContain("hospital.example")
        .doesNotContainPattern("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
    assertThat(firstNotices(referral.id())).allSatisfy(n -> assertThat(n.status()).isEqualTo(Notification.Status.DELIVERED));
  }
}
