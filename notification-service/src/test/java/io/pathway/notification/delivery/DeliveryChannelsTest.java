package io.pathway.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pathway.model.Topics;
import io.pathway.model.codes.Channel;
import io.pathway.model.codes.Urgency;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.model.events.NotificationDelivered;
import io.pathway.notification.IntegrationTest;
import io.pathway.notification.TestWebhookReceiver;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The two channels really used: SMTP to GreenMail, a signed POST to a real HTTP receiver. */
class DeliveryChannelsTest extends IntegrationTest {

  @Autowired EmailSender emailSender;

  @AfterEach
  void receiverUp() {
    TestWebhookReceiver.down(false);
  }

  @Test
  void shouldGiveAnEmailAMessageIdDerivedFromItsNotificationThatAResendRepeats() throws Exception {
    // given an emergency referral delivered by e-mail
    String patientRef = newPatientRef();
    EventEnvelope event = publish(Topics.REFERRALS, referral(patientRef, Urgency.EMERGENCY));
    Notification toSurgeon = awaitDelivered(event.id(), 3).stream()
        .filter(n -> n.recipient().equals("on-call-spine-surgeon") && n.channel() == Channel.EMAIL).findFirst().orElseThrow();
    await().atMost(Duration.ofSeconds(10)).until(() -> mailsOf(toSurgeon.id()), l -> l.size() == 1);

    // when the same notification is sent again (as after a crash between "accepted" and "recorded")
    emailSender.send(toSurgeon, new Message("resend", "resend", null, null));

    // then both copies carry the same Message-ID, named after the notification
    List<MimeMessage> copies = await().atMost(Duration.ofSeconds(10)).until(() -> mailsOf(toSurgeon.id()), l -> l.size() == 2);
    assertThat(copies).extracting(MimeMessage::getMessageID)
        .containsExactly("<" + toSurgeon.id() + "@pathway.invalid>", "<" + toSurgeon.id() + "@pathway.invalid>");
    // and they went on kept SMTP connections
    assertThat(emailSender.connections().reused()).isPositive();
    // and the other recipient's e-mail (another notification) has its own
    assertThat(mailsAbout(event.id())).extracting(MimeMessage::getMessageID).hasSize(3).containsOnlyOnce(
        mailsAbout(event.id()).stream().filter(m -> !copies.contains(m)).map(DeliveryChannelsTest::messageId).toArray(String[]::new));
  }

  @Test
  void shouldSendTheSameIdempotencyKeyOnEveryAttemptOfAWebhook() {
    // given a receiver that answers 503
    TestWebhookReceiver.down(true);
    String patientRef = newPatientRef();
    EventEnvelope event = publish(Topics.REFERRALS, referral(patientRef, Urgency.EMERGENCY));
    Notification webhook = await().atMost(Duration.ofSeconds(10))
        .until(() -> firstNotices(event.id()).stream().filter(n -> n.channel() == Channel.WEBHOOK).toList(),
            l -> l.size() == 1 && l.get(0).attempts() >= 2).get(0);

    // when it is back
    TestWebhookReceiver.down(false);

    // then the delivered request and every refused one carried the notification id as Idempotency-Key
    awaitDelivered(event.id(), 3);
    assertThat(webhooksOf(webhook.id())).singleElement()
        .extracting(TestWebhookReceiver.Received::idempotencyKey).isEqualTo(webhook.id().toString());
    assertThat(TestWebhookReceiver.refusedKeys()).filteredOn(webhook.id().toString()::equals).hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void shouldSendAReadableEmailWithPatientRefAndLinksButNoAddressesOrIdentifiers() throws Exception {
    // given
    String patientRef = newPatientRef();

    // when
    EventEnvelope event = publish(Topics.REFERRALS, referral(patientRef, Urgency.EMERGENCY));

    // then
    Notification toSurgeon = awaitDelivered(event.id(), 3).stream()
        .filter(n -> n.recipient().equals("on-call-spine-surgeon") && n.channel() == Channel.EMAIL).findFirst().orElseThrow();
    MimeMessage mail = await().atMost(Duration.ofSeconds(10)).until(() -> mailsOf(toSurgeon.id()), l -> l.size() == 1).get(0);
    assertThat(mail.getSubject())
        .isEqualTo("[EMERGENCY] Emergency surgical referral: cauda equina syndrome - patient " + patientRef);
    String body = ((String) mail.getContent()).replace("\r\n", "\n");
    assertThat(body)
        .contains("Patient reference: " + patientRef)
        .contains("Pathway:           PW-" + patientRef)
        .contains("Reason: cauda equina syndrome")
        .contains("  - Red flag SADDLE_ANESTHESIA observed")
        .contains("http://tasklist.test/camunda/app/tasklist/default/#/?searchQuery=")
        .contains("PW-" + patientRef + "%22")
        .contains("ACKNOWLEDGEMENT REQUIRED")
        .contains("http://notifications.test/api/notifications/" + toSurgeon.id() + "/acknowledge")
        .doesNotContain("@");
    assertThat(mail.getAllRecipients()).extracting(Object::toString).containsExactly("oncall-spine@hospital.example");
  }

  private static String messageId(MimeMessage m) {
    try {
      return m.getMessageID();
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void shouldPostASignedWebhookThatTheReceiverVerifies() throws Exception {
    // given
    String patientRef = newPatientRef();

    // when
    EventEnvelope event = publish(Topics.REFERRALS, referral(patientRef, Urgency.EMERGENCY));

    // then
    Notification webhook = awaitDelivered(event.id(), 3).stream().filter(n -> n.channel() == Channel.WEBHOOK)
        .findFirst().orElseThrow();
    List<TestWebhookReceiver.Received> received = webhooksOf(webhook.id());
    assertThat(received).hasSize(1);
    assertThat(received.get(0).signatureValid()).isTrue();
    assertThat(received.get(0).signature()).matches("sha256=[0-9a-f]{64}");
    JsonNode json = new ObjectMapper().readTree(received.get(0).body());
    assertThat(json.get("patientRef").asText()).isEqualTo(patientRef);
    assertThat(json.get("priority").asText()).isEqualTo("EMERGENCY");
    assertThat(json.get("recipient").asText()).isEqualTo("on-call-spine-surgeon");
    assertThat(json.get("acknowledgeLink").asText()).endsWith("/api/notifications/" + webhook.id() + "/acknowledge");
  }

  @Test
  void shouldPublishNotificationDeliveredForEachDelivery() {
    // given
    String patientRef = newPatientRef();

    // when
    EventEnvelope event = publish(Topics.REFERRALS, referral(patientRef, Urgency.ELECTIVE));

    // then
    Notification delivered = awaitDelivered(event.id(), 1).get(0);
    EventEnvelope report = awaitEvent(Topics.NOTIFICATION_DELIVERIES,
        e -> e.data() instanceof NotificationDelivered d && d.notificationId().equals(delivered.id().toString()));
    NotificationDelivered d = report.dataAs(NotificationDelivered.class);
    assertThat(d.sourceEventId()).isEqualTo(event.id());
    assertThat(d.patientRef()).isEqualTo(patientRef);
    assertThat(d.recipient()).isEqualTo("surgical-office");
    assertThat(d.channel()).isEqualTo(Channel.EMAIL);
    assertThat(d.attempts()).isEqualTo(1);
    assertThat(report.source()).hasToString("urn:pathway:notification-service");
  }
}
