package io.pathway.notification.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pathway.model.EventTypes;
import io.pathway.model.Topics;
import io.pathway.model.codes.Channel;
import io.pathway.model.codes.ReferralCancelReason;
import io.pathway.model.codes.Urgency;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.model.events.NotificationDelivered;
import io.pathway.model.events.ReferralCancelled;
import io.pathway.model.events.ReferralIssued;
import io.pathway.notification.IntegrationTest;
import io.pathway.notification.TestSmtp;
import io.pathway.notification.TestWebhookReceiver;
import io.pathway.notification.delivery.Notification;
import io.pathway.notification.routing.Destination;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * F20: {@code pathway.referral.cancelled.v1} reaches the people the referral reached, on the same channels, saying
 * that the referral is withdrawn and why; through the delivery log, once, with retries; never lost when the referral is
 * unknown; and the withdrawn referral is never sent after its cancellation.
 */
class ReferralCancellationTest extends IntegrationTest {

  private static final String OFFICE_MAIL = "surgical-office@hospital.example";

  @AfterEach
  void smtpBack() {
    TestSmtp.restart();
  }

  @Test
  void shouldTellTheSurgicalOfficeThatItsElectiveReferralIsWithdrawnAndWhy() throws Exception {
    // given an elective referral delivered to the surgical office
    String patientRef = newPatientRef();
    ReferralIssued referral = referral(patientRef, Urgency.ELECTIVE);
    EventEnvelope issued = publish(Topics.REFERRALS, referral);
    awaitDelivered(issued.id(), 1);

    // when a red flag stands it down
    EventEnvelope cancelled = publish(Topics.REFERRALS, cancellation(referral, ReferralCancelReason.RED_FLAG, Urgency.EMERGENCY));

    // then the office gets it, by e-mail, saying that the referral is withdrawn, which one and why
    Notification n = awaitDelivered(cancelled.id(), 1).get(0);
    assertThat(new Destination(n.recipient(), n.channel())).isEqualTo(new Destination("surgical-office", Channel.EMAIL));
    assertThat(n.sourceType()).isEqualTo(EventTypes.REFERRAL_CANCELLED);
    assertThat(n.requiresAck()).isFalse();
    MimeMessage mail = await().atMost(Duration.ofSeconds(10)).until(() -> mailsOf(n.id()), l -> l.size() == 1).get(0);
    assertThat(mail.getRecipients(RecipientType.TO)).extracting(Object::toString).containsExactly(OFFICE_MAIL);
    assertThat(mail.getSubject()).contains("Elective surgical referral withdrawn: red flag", patientRef);
    String text = ((String) mail.getContent()).replace("\r\n", "\n");
    assertThat(text).contains("WITHDRAWN: the elective surgical referral " + referral.referralId() + " is cancelled",
        "Do not book a consult or plan surgery on it", "a red flag interrupted the pathway", "urgency EMERGENCY",
        "Reason code: RED_FLAG");
    // and the delivery is reported as any other
    NotificationDelivered report = awaitEvent(Topics.NOTIFICATION_DELIVERIES,
        e -> e.data() instanceof NotificationDelivered d && d.notificationId().equals(n.id().toString())).dataAs(NotificationDelivered.class);
    assertThat(report.sourceType()).isEqualTo(EventTypes.REFERRAL_CANCELLED);
    assertThat(report.sourceEventId()).isEqualTo(cancelled.id());
  }

  @Test
  void shouldReachEveryChannelTheReferralWentToIncludingTheSignedWebhook() {
    // given a referral that went to the on-call surgeon by e-mail and pager webhook, and to the desk (the platform only
    // cancels elective referrals, but the service delivers any cancellation where its referral went)
    String patientRef = newPatientRef();
    ReferralIssued referral = referral(patientRef, Urgency.EMERGENCY);
    EventEnvelope issued = publish(Topics.REFERRALS, referral);
    List<Notification> referralNotices = awaitDelivered(issued.id(), 3);

    // when it is withdrawn
    EventEnvelope cancelled = publish(Topics.REFERRALS, cancellation(referral, ReferralCancelReason.WITHDRAWN, null));

    // then the same recipients on the same channels are told, the webhook signed and verified by the receiver
    List<Notification> delivered = awaitDelivered(cancelled.id(), 3);
    assertThat(delivered).extracting(x -> new Destination(x.recipient(), x.channel()))
        .containsExactlyInAnyOrderElementsOf(referralNotices.stream().map(x -> new Destination(x.recipient(), x.channel())).toList());
    Notification webhook = delivered.stream().filter(x -> x.channel() == Channel.WEBHOOK).findFirst().orElseThrow();
    assertThat(webhooksOf(webhook.id())).singleElement().satisfies(r -> {
      assertThat(r.signatureValid()).isTrue();
      assertThat(r.body()).contains("surgical referral withdrawn", "the patient was withdrawn from the pathway or transferred out",
          referral.referralId());
    });
  }

  @Test
  void shouldDeliverACancellationOfAnUnknownReferralToTheRecipientsOfTheRoutingRules() {
    // given no referral of this id in the delivery log
    String patientRef = newPatientRef();
    ReferralIssued neverSeen = referral(patientRef, Urgency.ELECTIVE);

    // when its cancellation arrives
    EventEnvelope cancelled = publish(Topics.REFERRALS, cancellation(neverSeen, ReferralCancelReason.RED_FLAG, Urgency.URGENT));

    // then it is not lost: the recipients a referral of that urgency gets now are told
    Notification n = awaitDelivered(cancelled.id(), 1).get(0);
    assertThat(new Destination(n.recipient(), n.channel())).isEqualTo(new Destination("surgical-office", Channel.EMAIL));
    await().atMost(Duration.ofSeconds(10)).until(() -> mailsOf(n.id()), l -> l.size() == 1);
  }

  @Test
  void shouldDeliverACancellationOnceWhenItArrivesTwice() {
    // given an elective referral delivered
    String patientRef = newPatientRef();
    ReferralIssued referral = referral(patientRef, Urgency.ELECTIVE);
    awaitDelivered(publish(Topics.REFERRALS, referral).id(), 1);

    // when its cancellation arrives twice, then another event of the patient (read after the duplicate)
    EventEnvelope cancelled = publish(Topics.REFERRALS, cancellation(referral, ReferralCancelReason.RED_FLAG, Urgency.EMERGENCY));
    publish(Topics.REFERRALS, cancelled);
    EventEnvelope later = publish(Topics.REFERRALS, referral(patientRef, Urgency.URGENT));

    // then one notification and one e-mail
    awaitDelivered(later.id(), 2);
    Notification n = awaitDelivered(cancelled.id(), 1).get(0);
    assertThat(store.forSourceEvent(cancelled.id())).hasSize(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> mailsOf(n.id()), l -> l.size() == 1);
    assertThat(mailsAbout(cancelled.id())).hasSize(1);
  }

  @Test
  void shouldNeverSendTheWithdrawnReferralAfterItsCancellationAndRetryTheCancellation() {
    // given an elective referral still in its retries (SMTP away)
    TestSmtp.stop();
    String patientRef = newPatientRef();
    ReferralIssued referral = referral(patientRef, Urgency.ELECTIVE);
    EventEnvelope issued = publish(Topics.REFERRALS, referral);
    await().atMost(Duration.ofSeconds(10)).until(() -> firstNotices(issued.id()), l -> l.size() == 1 && l.get(0).attempts() >= 1);

    // when it is withdrawn, and SMTP comes back after the cancellation's first attempt failed
    EventEnvelope cancelled = publish(Topics.REFERRALS, cancellation(referral, ReferralCancelReason.WITHDRAWN, null));
    await().atMost(Duration.ofSeconds(10)).until(() -> firstNotices(cancelled.id()), l -> l.size() == 1 && l.get(0).attempts() >= 1);
    TestSmtp.restart();

    // then the cancellation is delivered after its retry, and the referral never is
    Notification n = awaitDelivered(cancelled.id(), 1).get(0);
    assertThat(n.attempts()).isGreaterThanOrEqualTo(2);
    assertThat(firstNotices(issued.id())).singleElement()
        .satisfies(r -> assertThat(r.status()).isEqualTo(Notification.Status.CANCELLED));
    await().atMost(Duration.ofSeconds(10)).until(() -> mailsOf(n.id()), l -> l.size() == 1);
    assertThat(mailsAbout(issued.id())).isEmpty();
  }

  private static ReferralCancelled cancellation(ReferralIssued r, ReferralCancelReason reason, Urgency supersededBy) {
    return new ReferralCancelled(r.referralId(), r.pathwayId(), r.patientRef(), r.urgency(), reason, supersededBy,
        Instant.now().truncatedTo(ChronoUnit.SECONDS));
  }
}
