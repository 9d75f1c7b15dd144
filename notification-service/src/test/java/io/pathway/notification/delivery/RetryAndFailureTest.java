package io.pathway.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pathway.model.Topics;
import io.pathway.model.codes.AlertType;
import io.pathway.model.codes.Channel;
import io.pathway.model.codes.Severity;
import io.pathway.model.codes.Urgency;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.model.events.AlertRaised;
import io.pathway.model.events.NotificationFailed;
import io.pathway.notification.IntegrationTest;
import io.pathway.notification.TestSmtp;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SMTP away for a while: retried with back-off and delivered. Away for good: after the last attempt
 * {@code notification.failed.v1} and a critical alert, and no alert about the alert (loop guard).
 * The test profile allows 5 attempts, 0.2 s apart at first, doubling.
 */
class RetryAndFailureTest extends IntegrationTest {

  @AfterEach
  void smtpBack() {
    TestSmtp.restart();
  }

  @Test
  void shouldRetryWhileSmtpIsDownAndDeliverWhenItIsBack() {
    // given
    TestSmtp.stop();
    String patientRef = newPatientRef();
    EventEnvelope event = publish(Topics.REFERRALS, referral(patientRef, Urgency.ELECTIVE));
    await().atMost(Duration.ofSeconds(10)).until(() -> firstNotices(event.id()), l -> l.size() == 1 && l.get(0).attempts() >= 2);

    // when
    TestSmtp.restart();

    // then
    Notification delivered = awaitDelivered(event.id(), 1).get(0);
    assertThat(delivered.attempts()).isBetween(3, 5);
    List<NotificationStore.Attempt> attempts = store.attemptsOf(delivered.id());
    assertThat(attempts).hasSize(delivered.attempts());
    assertThat(attempts.subList(0, attempts.size() - 1)).allSatisfy(a -> {
      assertThat(a.outcome()).isEqualTo("FAILED");
      assertThat(a.errorClass()).isNotBlank();
      assertThat(a.errorMessage()).doesNotContain("@");
    });
    assertThat(attempts.get(attempts.size() - 1).outcome()).isEqualTo("DELIVERED");
    assertThat(attempts.get(1).startedAt()).isAfterOrEqualTo(attempts.get(0).finishedAt().plusMillis(200));
    assertThat(mailsOf(delivered.id())).hasSize(1);
  }

  @Test
  void shouldPublishFailedAndRaiseACriticalAlertAfterTheLastAttempt() {
    // given
    TestSmtp.stop();
    String patientRef = newPatientRef();

    // when
    EventEnvelope event = publish(Topics.REFERRALS, referral(patientRef, Urgency.ELECTIVE));

    // then the notification fails after its last attempt
    Notification failed = await().atMost(Duration.ofSeconds(20)).until(() -> firstNotices(event.id()),
        l -> l.size() == 1 && l.get(0).status() == Notification.Status.FAILED).get(0);
    assertThat(failed.attempts()).isEqualTo(5);
    assertThat(store.attemptsOf(failed.id())).hasSize(5).allSatisfy(a -> assertThat(a.outcome()).isEqualTo("FAILED"));

    NotificationFailed report = awaitEvent(Topics.NOTIFICATION_DELIVERIES,
        e -> e.data() instanceof NotificationFailed f && f.notificationId().equals(failed.id().toString()))
        .dataAs(NotificationFailed.class);
    assertThat(report.sourceEventId()).isEqualTo(event.id());
    assertThat(report.patientRef()).isEqualTo(patientRef);
    assertThat(report.recipient()).isEqualTo("surgical-office");
    assertThat(report.channel()).isEqualTo(Channel.EMAIL);
    assertThat(report.attempts()).isEqualTo(5);

    EventEnvelope alarm = awaitEvent(Topics.ALERTS,
        e -> e.data() instanceof AlertRaised a && a.patientRef().equals(patientRef) && a.type() == AlertType.ESCALATION);
    AlertRaised alert = alarm.dataAs(AlertRaised.class);
    assertThat(alert.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(alert.message()).contains("could not be delivered").contains("surgical-office").doesNotContain("@");

    // and the alert is itself notified; when its e-mails fail too, no alert about the alert is raised
    List<Notification> alertNotices = await().atMost(Duration.ofSeconds(20)).until(() -> firstNotices(alarm.id()),
        l -> l.size() == 3 && l.stream().filter(n -> n.channel() == Channel.EMAIL).allMatch(n -> n.status() == Notification.Status.FAILED));
    assertThat(alertNotices).allSatisfy(n -> assertThat(n.alertOnFailure()).isFalse());
    assertThat(alertNotices).filteredOn(n -> n.channel() == Channel.WEBHOOK)
        .allSatisfy(n -> assertThat(n.status()).isEqualTo(Notification.Status.DELIVERED));
    assertThat(store.search(new NotificationStore.Filter(null, null, null, patientRef), 0, 50))
        .extracting(Notification::sourceEventId).containsOnly(event.id(), alarm.id());
  }
}
