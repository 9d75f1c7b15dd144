package io.pathway.notification.routing;

import io.pathway.model.EventTypes;
import io.pathway.model.codes.AlertType;
import io.pathway.model.codes.Channel;
import io.pathway.model.codes.Severity;
import io.pathway.model.codes.Urgency;
import io.pathway.notification.NotificationProperties;
import io.pathway.notification.NotificationProperties.Recipient;
import io.pathway.notification.NotificationProperties.Rule;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Routes events to recipients and channels by configuration ({@code notification.routing},
 * {@code notification.recipients}, {@code notification.webhooks}). Every matching rule contributes
 * its recipients; an event that matches none goes to the fallback recipient, with a warning.
 * The configuration is checked when the service starts: a rule naming an unknown recipient, a
 * recipient without a channel or a webhook without a secret stops the start, and so does a
 * configuration under which a red-flag alert ({@link #RED_FLAG_ALERTS}), at any severity, would
 * match no rule that requires acknowledgement: red-flag alerts are never left to the fallback
 * recipient nor delivered without reminders and escalation.
 */
@Component
public class Router {

  private static final Logger log = LoggerFactory.getLogger(Router.class);

  /** Alert types that always need a person to acknowledge them: a red flag, and a red-flag record that could not be read. */
  public static final Set<AlertType> RED_FLAG_ALERTS = Set.of(AlertType.RED_FLAG, AlertType.UNREADABLE_RED_FLAG);

  private final NotificationProperties properties;

  public Router(NotificationProperties properties) {
    this.properties = properties;
    check(properties);
  }

  public RoutingDecision route(RoutingKey key) {
    Set<String> recipients = new LinkedHashSet<>();
    boolean acknowledge = false;
    for (Rule rule : properties.routing().rules()) {
      if (matches(rule, key)) {
        recipients.addAll(rule.recipients());
        acknowledge |= rule.requiresAcknowledgement();
      }
    }
    boolean fallback = recipients.isEmpty();
    if (fallback) {
      recipients.add(properties.routing().fallbackRecipient());
      log.warn("No routing rule matches {}: sent to the fallback recipient {}", key, properties.routing().fallbackRecipient());
    }
    List<Destination> destinations = new ArrayList<>();
    recipients.forEach(r -> destinations.addAll(destinationsOf(r)));
    return new RoutingDecision(List.copyOf(destinations), acknowledge, fallback);
  }

  /** The channels configured for one recipient (empty when the recipient is unknown). */
  public List<Destination> destinationsOf(String recipient) {
    Recipient r = properties.recipients().get(recipient);
    if (r == null) {
      return List.of();
    }
    List<Destination> out = new ArrayList<>(2);
    if (hasText(r.email())) {
      out.add(new Destination(recipient, Channel.EMAIL));
    }
    if (hasText(r.webhook())) {
      out.add(new Destination(recipient, Channel.WEBHOOK));
    }
    return out;
  }

  /** The configured e-mail address of a recipient, if any. */
  public Optional<String> emailOf(String recipient) {
    return Optional.ofNullable(properties.recipients().get(recipient)).map(Recipient::email).filter(Router::hasText);
  }

  /** The configured webhook endpoint of a recipient, if any. */
  public Optional<NotificationProperties.Webhook> webhookOf(String recipient) {
    return Optional.ofNullable(properties.recipients().get(recipient))
        .map(Recipient::webhook)
        .filter(Router::hasText)
        .map(id -> properties.webhooks().get(id));
  }

  private static boolean matches(Rule rule, RoutingKey key) {
    return rule.eventType().equals(key.eventType())
        && (rule.urgency() == null || key.urgency() != null && key.urgency().name().equals(norm(rule.urgency())))
        && (rule.severity() == null || key.severity() != null && key.severity().name().equals(norm(rule.severity())))
        && (rule.alertType() == null || key.alertType() != null && key.alertType().name().equals(norm(rule.alertType())));
  }

  private static String norm(String code) {
    return code.trim().toUpperCase(Locale.ROOT);
  }

  static boolean hasText(String s) {
    return s != null && !s.isBlank();
  }

  private static void check(NotificationProperties p) {
    List<String> problems = new ArrayList<>();
    Set<String> named = new LinkedHashSet<>();
    for (Rule rule : p.routing().rules()) {
      String name = rule.name() != null ? rule.name() : rule.eventType();
      if (!EventTypes.REFERRAL_ISSUED.equals(rule.eventType()) && !EventTypes.ALERT_RAISED.equals(rule.eventType())) {
        problems.add("rule " + name + ": event-type must be " + EventTypes.REFERRAL_ISSUED + " or " + EventTypes.ALERT_RAISED);
      }
      checkCode(problems, name, "urgency", rule.urgency(), Urgency.class);
      checkCode(problems, name, "severity", rule.severity(), Severity.class);
      checkCode(problems, name, "alert-type", rule.alertType(), AlertType.class);
      if (rule.recipients().isEmpty()) {
        problems.add("rule " + name + " has no recipients");
      }
      named.addAll(rule.recipients());
    }
    for (AlertType type : RED_FLAG_ALERTS) {
      for (Severity severity : Severity.values()) {
        RoutingKey key = RoutingKey.alert(severity, type);
        if (p.routing().rules().stream().noneMatch(r -> r.requiresAcknowledgement() && matches(r, key))) {
          problems.add("no rule that requires acknowledgement routes " + key + " alerts");
        }
      }
    }
    named.add(p.routing().fallbackRecipient());
    named.addAll(p.escalation().ladder());
    for (String recipient : named) {
      Recipient r = p.recipients().get(recipient);
      if (r == null) {
        problems.add("recipient " + recipient + " is not configured under notification.recipients");
      } else if (!hasText(r.email()) && !hasText(r.webhook())) {
        problems.add("recipient " + recipient + " has neither an e-mail address nor a webhook");
      }
    }
    p.recipients().forEach((id, r) -> {
      if (hasText(r.webhook())) {
        NotificationProperties.Webhook w = p.webhooks().get(r.webhook());
        if (w == null) {
          problems.add("recipient " + id + " names webhook " + r.webhook() + ", not configured under notification.webhooks");
        } else if (!NotificationProperties.isSet(w.url()) || !NotificationProperties.isSet(w.secret())) {
          problems.add("webhook " + r.webhook() + " needs a url and a secret (from the environment)");
        }
      }
    });
    if (!problems.isEmpty()) {
      throw new IllegalStateException("Invalid notification routing configuration: " + String.join("; ", problems));
    }
  }

  private static <E extends Enum<E>> void checkCode(List<String> problems, String rule, String what, String value, Class<E> codes) {
    if (value == null) {
      return;
    }
    try {
      Enum.valueOf(codes, norm(value));
    } catch (IllegalArgumentException e) {
      problems.add("rule " + rule + ": unknown " + what + " " + value);
    }
  }
}
