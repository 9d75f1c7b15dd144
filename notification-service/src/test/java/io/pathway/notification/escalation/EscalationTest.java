package io.pathway.notification.escalation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pathway.model.Topics;
import io.pathway.model.codes.AlertType;
import io.pathway.model.codes.Severity;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.notification.IntegrationTest;
import io.pathway.notification.TestSmtp;
import io.pathway.notification.delivery.Notification;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * An unacknowledged critical alert is re-notified every 5 minutes and escalates every 10 minutes
 * along the ladder (on-call spine surgeon, spine consultant, coordinator lead); an acknowledgement
 * stops it. Time is moved with the test clock, not waited for.
 */
class EscalationTest extends IntegrationTest {

  @Autowired Acknowledgements acknowledgements;
  @Autowired Escalator escalator;
  @Autowired EscalationStore escalations;

  @Test
  void shouldRemindAndEscalateAlongTheLadderUntilAcknowledged() {
    // given a critical alert delivered to the on-call surgeon and the coordinator desk
    String patientRef = newPatientRef();
    EventEnvelope event = publish(Topics.ALERTS, alert(patientRef, Severity.CRITICAL, AlertType.RED_FLAG));
    awaitDelivered(event.id(), 3);

    // when 5 minutes pass without acknowledgement: a reminder to the same recipients
    clock().advance(Duration.ofMinutes(5).plusSeconds(1));
    awaitRows(event.id(), n -> n.round() == 1, 3);
    assertThat(recipientsAtLevel(event.id(), 1)).isEmpty();

    // when 10 minutes have passed: the next rung of the ladder, the spine consultant
    clock().advance(Duration.ofMinutes(5));
    awaitRows(event.id(), n -> n.escalationLevel() == 1, 1);
    assertThat(recipientsAtLevel(event.id(), 1)).containsExactly("spine-consultant");

    // when 20 minutes have passed: the coordinator lead
    clock().advance(Duration.ofMinutes(10));
    awaitRows(event.id(), n -> n.escalationLevel() == 2, 1);
    assertThat(recipientsAtLevel(event.id(), 2)).containsExactly("coordinator-lead");

    // then everything is delivered, linked to the first notification, and the escalated mails say so
    List<Notification> all = await().atMost(Duration.ofSeconds(20)).until(() -> store.forSourceEvent(event.id()),
        l -> l.stream().allMatch(n -> n.status() == Notification.Status.DELIVERED));
    assertThat(all).filteredOn(n -> n.round() > 0 || n.escalationLevel() > 0)
        .allSatisfy(n -> assertThat(n.escalatedFrom()).isEqualTo(escalations.find(event.id()).orElseThrow().originalNotificationId()));
    assertThat(TestSmtp.messages()).filteredOn(m -> event.id().equals(TestSmtp.header(m, "X-Pathway-Event-Id")))
        .extracting(m -> subject(m)).anyMatch(s -> s.startsWith("ESCALATED: [CRITICAL]"))
        .anyMatch(s -> s.startsWith("REMINDER 1: [CRITICAL]"));

    // when the spine consultant acknowledges, nothing more follows
    Notification consultant = all.stream().filter(n -> n.recipient().equals("spine-consultant")).findFirst().orElseThrow();
    acknowledgements.acknowledge(consultant.id(), "dr-consultant");
    int rows = store.forSourceEvent(event.id()).size();
    clock().advance(Duration.ofMinutes(30));
    escalator.escalateDue();
    assertThat(store.forSourceEvent(event.id())).hasSize(rows);
    assertThat(store.find(consultant.id()).orElseThrow().acknowledgedBy()).isEqualTo("dr-consultant");
    assertThat(escalations.find(event.id()).orElseThrow().acknowledgedBy()).isEqualTo("dr-consultant");
  }

  @Test
  void shouldNotRemindOrEscalateAnAcknowledgedAlert() {
    // given
    String patientRef = newPatientRef();
    EventEnvelope event = publish(Topics.ALERTS, alert(patientRef, Severity.CRITICAL, AlertType.RED_FLAG));
    Notification desk = awaitDelivered(event.id(), 3).stream().filter(n -> n.recipient().equals("coordinator-desk"))
        .findFirst().orElseThrow();

    // when
    acknowledgements.acknowledge(desk.id(), "coordinator-1");
    clock().advance(Duration.ofMinutes(31));
    escalator.escalateDue();

    // then
    assertThat(store.forSourceEvent(event.id())).hasSize(3).allSatisfy(n -> assertThat(n.round()).isZero());
  }

  @Test
  void shouldNotEscalateWhatNeedsNoAcknowledgement() {
    // given
    String patientRef = newPatientRef();
    EventEnvelope event = publish(Topics.ALERTS, alert(patientRef, Severity.HIGH, AlertType.RESULT_OVERDUE));
    awaitDelivered(event.id(), 2);

    // when
    clock().advance(Duration.ofMinutes(31));
    escalator.escalateDue();

    // then
    assertThat(store.forSourceEvent(event.id())).hasSize(2);
  }

  private void awaitRows(String eventId, java.util.function.Predicate<Notification> which, int count) {
    await().atMost(Duration.ofSeconds(10))
        .until(() -> store.forSourceEvent(eventId).stream().filter(which).count() >= count);
  }

  private Set<String> recipientsAtLevel(String eventId, int level) {
    return store.forSourceEvent(eventId).stream().filter(n -> n.escalationLevel() == level).map(Notification::recipient)
        .collect(Collectors.toSet());
  }

  private static String subject(jakarta.mail.internet.MimeMessage m) {
    try {
      return m.getSubject();
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }
}
