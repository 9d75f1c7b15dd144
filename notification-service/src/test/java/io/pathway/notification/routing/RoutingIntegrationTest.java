package io.pathway.notification.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pathway.model.Topics;
import io.pathway.model.codes.AlertType;
import io.pathway.model.codes.Channel;
import io.pathway.model.codes.Severity;
import io.pathway.model.codes.Urgency;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.model.events.PathwayEvent;
import io.pathway.notification.IntegrationTest;
import io.pathway.notification.delivery.Notification;
import io.pathway.notification.escalation.Acknowledgements;
import io.pathway.notification.escalation.EscalationStore;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;

/** Every default route, end to end: the event in, the right recipients and channels out, really delivered. */
class RoutingIntegrationTest extends IntegrationTest {

  @Autowired Acknowledgements acknowledgements;
  @Autowired EscalationStore escalations;

  private static final String ON_CALL_MAIL = "oncall-spine@hospital.example";
  private static final String DESK_MAIL = "coordinator-desk@hospital.example";
  private static final String TEAM_MAIL = "spine-surgery-team@hospital.example";
  private static final String OFFICE_MAIL = "surgical-office@hospital.example";

  static Stream<Arguments> routes() {
    Set<Destination> emergency = Set.of(new Destination("on-call-spine-surgeon", Channel.EMAIL),
        new Destination("on-call-spine-surgeon", Channel.WEBHOOK), new Destination("coordinator-desk", Channel.EMAIL));
    Set<Destination> urgent = Set.of(new Destination("spine-surgery-team", Channel.EMAIL),
        new Destination("coordinator-desk", Channel.EMAIL));
    return Stream.of(
        route("emergency referral", Topics.REFERRALS, p -> referral(p, Urgency.EMERGENCY), emergency, true, ON_CALL_MAIL, DESK_MAIL),
        route("urgent referral", Topics.REFERRALS, p -> referral(p, Urgency.URGENT), urgent, false, TEAM_MAIL, DESK_MAIL),
        route("elective referral", Topics.REFERRALS, p -> referral(p, Urgency.ELECTIVE),
            Set.of(new Destination("surgical-office", Channel.EMAIL)), false, OFFICE_MAIL),
        route("critical alert", Topics.ALERTS, p -> alert(p, Severity.CRITICAL, AlertType.RED_FLAG), emergency, true,
            ON_CALL_MAIL, DESK_MAIL),
        route("unreadable red flag alert", Topics.ALERTS, p -> alert(p, Severity.CRITICAL, AlertType.UNREADABLE_RED_FLAG),
            emergency, true, ON_CALL_MAIL, DESK_MAIL),
        route("red flag alert graded below critical", Topics.ALERTS, p -> alert(p, Severity.MEDIUM, AlertType.RED_FLAG),
            emergency, true, ON_CALL_MAIL, DESK_MAIL),
        route("high alert", Topics.ALERTS, p -> alert(p, Severity.HIGH, AlertType.RESULT_OVERDUE), urgent, false,
            TEAM_MAIL, DESK_MAIL),
        route("medium alert", Topics.ALERTS, p -> alert(p, Severity.MEDIUM, AlertType.TASK_OVERDUE),
            Set.of(new Destination("coordinator-desk", Channel.EMAIL)), false, DESK_MAIL));
  }

  private static Arguments route(String name, String topic, Function<String, PathwayEvent> event, Set<Destination> expected,
      boolean acknowledge, String... mailboxes) {
    return Arguments.of(name, topic, event, expected, acknowledge, List.of(mailboxes));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("routes")
  void shouldRouteEachEventToItsConfiguredRecipientsAndChannels(String name, String topic, Function<String, PathwayEvent> event,
      Set<Destination> expected, boolean acknowledge, List<String> mailboxes) {
    // given
    String patientRef = newPatientRef();

    // when
    EventEnvelope published = publish(topic, event.apply(patientRef));

    // then
    List<Notification> delivered = awaitDelivered(published.id(), expected.size());
    assertThat(delivered).extracting(n -> new Destination(n.recipient(), n.channel())).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(delivered).allSatisfy(n -> {
      assertThat(n.patientRef()).isEqualTo(patientRef);
      assertThat(n.requiresAck()).isEqualTo(acknowledge);
      assertThat(n.attempts()).isEqualTo(1);
    });
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(mailsAbout(published.id()).stream().flatMap(IntegrationTestMail::to).collect(Collectors.toSet()))
            .containsExactlyInAnyOrderElementsOf(mailboxes));
    long webhooks = expected.stream().filter(d -> d.channel() == Channel.WEBHOOK).count();
    assertThat(delivered.stream().filter(n -> n.channel() == Channel.WEBHOOK).flatMap(n -> webhooksOf(n.id()).stream()))
        .hasSize((int) webhooks);
  }

  @Test
  void shouldRemindAndEscalateAnUnreadableRedFlagAlertUntilAcknowledged() {
    // given an unreadable red-flag alert delivered to the on-call surgeon (e-mail and pager) and the desk
    String patientRef = newPatientRef();
    EventEnvelope event = publish(Topics.ALERTS, alert(patientRef, Severity.CRITICAL, AlertType.UNREADABLE_RED_FLAG));
    awaitDelivered(event.id(), 3);
    assertThat(escalations.find(event.id())).isPresent();

    // when 5 minutes pass without acknowledgement: a reminder to the same recipients
    clock().advance(Duration.ofMinutes(5).plusSeconds(1));
    await().atMost(Duration.ofSeconds(10))
        .until(() -> store.forSourceEvent(event.id()).stream().filter(n -> n.round() == 1).count() >= 3);

    // when 10 minutes have passed: the next rung of the ladder, the spine consultant
    clock().advance(Duration.ofMinutes(5));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(store.forSourceEvent(event.id()))
        .filteredOn(n -> n.escalationLevel() == 1).extracting(Notification::recipient).containsExactly("spine-consultant"));

    // when the on-call surgeon acknowledges, the escalation is closed
    Notification onCall = firstNotices(event.id()).stream().filter(n -> n.recipient().equals("on-call-spine-surgeon"))
        .findFirst().orElseThrow();
    acknowledgements.acknowledge(onCall.id(), "dr-on-call");
    assertThat(escalations.find(event.id()).orElseThrow().acknowledgedBy()).isEqualTo("dr-on-call");
  }

  /** Addresses of a received mail. */
  static final class IntegrationTestMail {
    static Stream<String> to(MimeMessage m) {
      try {
        return Arrays.stream(m.getRecipients(RecipientType.TO)).map(Object::toString);
      } catch (jakarta.mail.MessagingException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
