package io.pathway.notification.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathway.model.codes.AlertType;
import io.pathway.model.codes.Channel;
import io.pathway.model.codes.Severity;
import io.pathway.model.codes.Urgency;
import io.pathway.notification.NotificationProperties;
import io.pathway.notification.NotificationProperties.Recipient;
import io.pathway.notification.NotificationProperties.Rule;
import io.pathway.notification.NotificationProperties.Webhook;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Routing rules as configuration: matching, union of rules, fallback, and the start-up check. */
class RouterTest {

  private static final String REFERRAL = "pathway.referral.issued.v1";
  private static final String ALERT = "pathway.alert.raised.v1";

  private static final Map<String, Recipient> RECIPIENTS = Map.of(
      "on-call", new Recipient("oncall@example.org", "pager"),
      "desk", new Recipient("desk@example.org", null),
      "lead", new Recipient("lead@example.org", ""));

  /** Every configuration must route red-flag alerts with acknowledgement; {@link #router} adds these rules. */
  private static final List<Rule> RED_FLAG_RULES = List.of(
      new Rule("red-flag", ALERT, null, null, "RED_FLAG", List.of("lead"), true),
      new Rule("unreadable-red-flag", ALERT, null, null, "UNREADABLE_RED_FLAG", List.of("lead"), true));

  private static final Map<String, Webhook> PAGER =
      Map.of("pager", new Webhook("http://pager", "secret", Duration.ofSeconds(1), Duration.ofSeconds(1)));

  @Test
  void shouldRouteByUrgencyToTheRecipientsAndTheirChannels() {
    // given
    Router router = router(List.of(new Rule("emergency", REFERRAL, "EMERGENCY", null, null, List.of("on-call", "desk"), true)),
        PAGER);

    // when
    RoutingDecision decision = router.route(RoutingKey.referral(Urgency.EMERGENCY));

    // then
    assertThat(decision.destinations()).containsExactly(new Destination("on-call", Channel.EMAIL),
        new Destination("on-call", Channel.WEBHOOK), new Destination("desk", Channel.EMAIL));
    assertThat(decision.requiresAcknowledgement()).isTrue();
    assertThat(decision.fallback()).isFalse();
  }

  @Test
  void shouldAddTheRecipientsOfEveryMatchingRuleIncludingAlertTypeRules() {
    // given
    Router router = router(List.of(
        new Rule("critical", ALERT, null, "critical", null, List.of("desk"), false),
        new Rule("critical-red-flag", ALERT, null, "CRITICAL", "RED_FLAG", List.of("lead"), true)), PAGER);

    // when
    RoutingDecision redFlag = router.route(RoutingKey.alert(Severity.CRITICAL, AlertType.RED_FLAG));
    RoutingDecision overdue = router.route(RoutingKey.alert(Severity.CRITICAL, AlertType.TASK_OVERDUE));

    // then
    assertThat(redFlag.destinations()).extracting(Destination::recipient).containsExactly("desk", "lead");
    assertThat(redFlag.requiresAcknowledgement()).isTrue();
    assertThat(overdue.destinations()).extracting(Destination::recipient).containsExactly("desk");
    assertThat(overdue.requiresAcknowledgement()).isFalse();
  }

  @Test
  void shouldSendWhatMatchesNoRuleToTheFallbackRecipient() {
    // given
    Router router = router(List.of(new Rule("elective", REFERRAL, "ELECTIVE", null, null, List.of("lead"), false)), PAGER);

    // when
    RoutingDecision decision = router.route(RoutingKey.alert(Severity.MEDIUM, AlertType.UNMATCHED_EVENT));

    // then
    assertThat(decision.fallback()).isTrue();
    assertThat(decision.destinations()).containsExactly(new Destination("desk", Channel.EMAIL));
  }

  @Test
  void shouldRouteAnUnreadableRedFlagAlertLikeACriticalRedFlagAlertWhateverItsSeverity() {
    // given the default shape: critical alerts and red-flag alerts to the on-call surgeon and the desk, acknowledged
    List<Rule> defaults = List.of(
        new Rule("critical", ALERT, null, "CRITICAL", null, List.of("on-call", "desk"), true),
        new Rule("high", ALERT, null, "HIGH", null, List.of("desk"), false),
        new Rule("red-flag", ALERT, null, null, "RED_FLAG", List.of("on-call", "desk"), true),
        new Rule("unreadable-red-flag", ALERT, null, null, "UNREADABLE_RED_FLAG", List.of("on-call", "desk"), true));
    Router router = routerWithExactly(defaults);
    RoutingDecision criticalRedFlag = router.route(RoutingKey.alert(Severity.CRITICAL, AlertType.RED_FLAG));

    // when
    RoutingDecision unreadable = router.route(RoutingKey.alert(Severity.CRITICAL, AlertType.UNREADABLE_RED_FLAG));
    RoutingDecision misgraded = router.route(RoutingKey.alert(Severity.MEDIUM, AlertType.UNREADABLE_RED_FLAG));

    // then
    assertThat(unreadable).isEqualTo(criticalRedFlag);
    assertThat(unreadable.destinations()).containsExactly(new Destination("on-call", Channel.EMAIL),
        new Destination("on-call", Channel.WEBHOOK), new Destination("desk", Channel.EMAIL));
    assertThat(unreadable.requiresAcknowledgement()).isTrue();
    assertThat(misgraded).isEqualTo(criticalRedFlag);
  }

  @Test
  void shouldRefuseToStartWhenARedFlagAlertWouldGoUnacknowledged() {
    List<Rule> criticalOnly = List.of(new Rule("critical", ALERT, null, "CRITICAL", null, List.of("on-call", "desk"), true));
    List<Rule> redFlagWithoutAck = List.of(RED_FLAG_RULES.get(0),
        new Rule("unreadable", ALERT, null, null, "UNREADABLE_RED_FLAG", List.of("on-call"), false));

    assertThatThrownBy(() -> routerWithExactly(criticalOnly))
        .hasMessageContaining("no rule that requires acknowledgement routes pathway.alert.raised.v1 HIGH RED_FLAG alerts")
        .hasMessageContaining("MEDIUM UNREADABLE_RED_FLAG")
        .hasMessageNotContaining("CRITICAL UNREADABLE_RED_FLAG");
    assertThatThrownBy(() -> routerWithExactly(redFlagWithoutAck))
        .hasMessageContaining("CRITICAL UNREADABLE_RED_FLAG")
        .hasMessageNotContaining("CRITICAL RED_FLAG");
  }

  @Test
  void shouldRefuseToStartWithAnUnknownRecipientOrCodeOrAWebhookWithoutSecret() {
    assertThatThrownBy(() -> router(List.of(new Rule("x", REFERRAL, "EMERGENCY", null, null, List.of("nobody"), false)), PAGER))
        .hasMessageContaining("recipient nobody is not configured");
    assertThatThrownBy(() -> router(List.of(new Rule("x", REFERRAL, "SOON", null, null, List.of("desk"), false)), PAGER))
        .hasMessageContaining("unknown urgency SOON");
    assertThatThrownBy(() -> router(List.of(), Map.of("pager", new Webhook("http://pager", "", null, null))))
        .hasMessageContaining("webhook pager needs a url and a secret");
  }

  private static Router router(List<Rule> rules, Map<String, Webhook> webhooks) {
    List<Rule> all = new java.util.ArrayList<>(rules);
    all.addAll(RED_FLAG_RULES);
    return build(all, webhooks);
  }

  /** A router with exactly {@code rules} (the red-flag rules are not added). */
  private static Router routerWithExactly(List<Rule> rules) {
    return build(rules, PAGER);
  }

  private static Router build(List<Rule> rules, Map<String, Webhook> webhooks) {
    return new Router(new NotificationProperties(URI.create("urn:test"), new NotificationProperties.Api("u", "p"),
        new NotificationProperties.Links("http://t/", "http://n"),
        new NotificationProperties.Mail("from@example.org", "pathway.invalid",
            new NotificationProperties.Pool(4, Duration.ofSeconds(30))),
        new NotificationProperties.Delivery(Duration.ofSeconds(5), 2, Duration.ofMinutes(10), 6, Duration.ofSeconds(1), 10,
            Duration.ofMinutes(2), 4),
        new NotificationProperties.Escalation(Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofSeconds(10),
            List.of("on-call", "lead")),
        new NotificationProperties.Routing("desk", rules), RECIPIENTS, webhooks));
  }
}
