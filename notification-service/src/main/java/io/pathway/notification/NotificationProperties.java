package io.pathway.notification;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** Everything under {@code notification.*} in {@code notification-service.yaml}. */
@Validated
@ConfigurationProperties("notification")
public record NotificationProperties(
    @NotNull URI sourceUri,
    @Valid @NotNull Api api,
    @Valid @NotNull Links links,
    @Valid @NotNull Mail mail,
    @Valid @NotNull Delivery delivery,
    @Valid @NotNull Escalation escalation,
    @Valid @NotNull Routing routing,
    @DefaultValue Map<String, @Valid Recipient> recipients,
    @DefaultValue Map<String, @Valid Webhook> webhooks) {

  /**
   * Refuses to start without the values that must come from the environment. An unset
   * {@code ${VARIABLE}} is bound literally by Spring, so it is caught here rather than by the
   * placeholder resolver: the prod profile, which has no defaults, therefore never starts without them.
   */
  public NotificationProperties {
    List<String> missing = new ArrayList<>();
    if (api == null || !isSet(api.user())) {
      missing.add("notification.api.user (NOTIFICATION_API_USER)");
    }
    if (api == null || !isSet(api.password())) {
      missing.add("notification.api.password (NOTIFICATION_API_PASSWORD)");
    }
    if (links != null && !isSet(links.publicBaseUrl())) {
      missing.add("notification.links.public-base-url (NOTIFICATION_PUBLIC_URL)");
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException("The notification service needs these settings: " + String.join(", ", missing));
    }
  }

  /** True for a value that is there: not blank and not an unresolved {@code ${...}} placeholder. */
  public static boolean isSet(String value) {
    return value != null && !value.isBlank() && !value.contains("${");
  }

  /** The one API user (HTTP Basic). Both values come from the environment outside the local profile. */
  public record Api(String user, String password) {}

  /**
   * @param tasklistBaseUrl Camunda Tasklist, where readers open the pathway
   * @param publicBaseUrl this service's address as readers reach it (acknowledgement links)
   */
  public record Links(@NotBlank String tasklistBaseUrl, @NotBlank String publicBaseUrl) {}

  /**
   * @param from sender address
   * @param messageIdDomain right-hand side of each e-mail's {@code Message-ID}
   *     ({@code <notification-id@domain>}); a domain of the operator's, or the reserved {@code pathway.invalid}
   * @param pool the SMTP connections kept open between e-mails
   */
  public record Mail(
      @NotBlank String from, @DefaultValue("pathway.invalid") @NotBlank String messageIdDomain, @Valid @DefaultValue Pool pool) {}

  /**
   * Connected SMTP transports kept for the next e-mail instead of a new connection per e-mail.
   *
   * @param maxIdle at most this many kept (never more than {@code delivery.parallel-sends}); 0 closes each after its e-mail
   * @param maxIdleTime one idle longer than this is closed instead of reused (servers drop idle clients)
   */
  public record Pool(@DefaultValue("4") @Min(0) int maxIdle, @DefaultValue("PT30S") @NotNull Duration maxIdleTime) {}

  /**
   * Retries: the n-th retry waits {@code initialBackoff * multiplier^(n-1)}, at most {@code maxBackoff}.
   * {@code parallelSends}: how many notifications of a claimed batch are sent at the same time.
   */
  public record Delivery(
      @NotNull Duration initialBackoff, @Min(1) double multiplier, @NotNull Duration maxBackoff,
      @Min(1) int maxAttempts, @NotNull Duration pollInterval, @Min(1) int batchSize, @NotNull Duration claimTimeout,
      @DefaultValue("4") @Min(1) int parallelSends) {}

  public record Escalation(
      @NotNull Duration renotifyAfter, @NotNull Duration stepAfter, @NotNull Duration pollInterval,
      @DefaultValue List<String> ladder) {}

  public record Routing(@NotBlank String fallbackRecipient, @DefaultValue List<@Valid Rule> rules) {}

  /**
   * A routing rule. Absent criteria match anything; {@code urgency} applies to referrals,
   * {@code severity} and {@code alertType} to alerts.
   */
  public record Rule(
      String name, @NotBlank String eventType, String urgency, String severity, String alertType,
      @DefaultValue List<String> recipients, boolean requiresAcknowledgement) {}

  /** The channels of a recipient: an e-mail address and/or the id of a webhook endpoint. Blank means none. */
  public record Recipient(String email, String webhook) {}

  public record Webhook(
      String url, String secret, @DefaultValue("PT2S") Duration connectTimeout, @DefaultValue("PT5S") Duration readTimeout) {}
}
