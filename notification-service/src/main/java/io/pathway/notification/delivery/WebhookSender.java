package io.pathway.notification.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pathway.model.codes.Channel;
import io.pathway.notification.NotificationProperties;
import io.pathway.notification.routing.Router;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * HTTP webhooks: a JSON POST signed with the endpoint's secret (see {@link WebhookSignature}).
 * Anything but a 2xx answer, or no answer within the endpoint's timeouts, is a failed attempt.
 * Every attempt carries {@code Idempotency-Key: <notification id>}, so a receiver can tell a resend.
 */
@Component
class WebhookSender implements ChannelSender {

  /** The notification id, the same on every attempt: a receiver that has seen it already drops the request. */
  static final String HEADER_IDEMPOTENCY_KEY = "Idempotency-Key";

  private final Router router;
  private final ObjectMapper json;
  private final Clock clock;
  private final Map<String, RestClient> clients = new ConcurrentHashMap<>();

  WebhookSender(Router router, ObjectMapper json, Clock clock) {
    this.router = router;
    this.json = json;
    this.clock = clock;
  }

  @Override
  public Channel channel() {
    return Channel.WEBHOOK;
  }

  @Override
  public void send(Notification n, Message message) throws Exception {
    NotificationProperties.Webhook endpoint = router.webhookOf(n.recipient())
        .orElseThrow(() -> new NoAddressException("recipient " + n.recipient() + " has no webhook configured"));
    byte[] body = json.writeValueAsBytes(payload(n, message));
    long timestamp = clock.instant().getEpochSecond();
    request(endpoint, n, body, timestamp)
        .retrieve()
        .toBodilessEntity();
  }

  /** Everything of a send but the request itself: body, signature, the endpoint's client; false without an endpoint. */
  boolean prepare(Notification n, Message message) throws Exception {
    var endpoint = router.webhookOf(n.recipient());
    if (endpoint.isEmpty()) {
      return false;
    }
    byte[] body = json.writeValueAsBytes(payload(n, message));
    request(endpoint.get(), n, body, clock.instant().getEpochSecond());
    return true;
  }

  private RestClient.RequestBodySpec request(NotificationProperties.Webhook endpoint, Notification n, byte[] body, long timestamp) {
    return client(endpoint).post()
        .uri(endpoint.url())
        .contentType(MediaType.APPLICATION_JSON)
        .header(WebhookSignature.HEADER_TIMESTAMP, Long.toString(timestamp))
        .header(WebhookSignature.HEADER_SIGNATURE, WebhookSignature.sign(endpoint.secret(), timestamp, body))
        .header("X-Pathway-Notification-Id", n.id().toString())
        .header(HEADER_IDEMPOTENCY_KEY, n.id().toString())
        .body(body);
  }

  static Map<String, Object> payload(Notification n, Message message) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("notificationId", n.id().toString());
    p.put("sourceEventId", n.sourceEventId());
    p.put("sourceType", n.sourceType());
    p.put("recipient", n.recipient());
    p.put("priority", n.priority());
    p.put("category", n.category());
    p.put("patientRef", n.patientRef());
    p.put("pathwayId", n.pathwayId());
    p.put("headline", n.headline());
    p.put("details", n.details());
    p.put("subject", message.subject());
    p.put("round", n.round());
    p.put("escalationLevel", n.escalationLevel());
    p.put("requiresAcknowledgement", n.requiresAck());
    p.put("pathwayLink", message.pathwayLink());
    p.put("acknowledgeLink", n.requiresAck() ? message.acknowledgeLink() : null);
    p.put("createdAt", n.createdAt().toString());
    return p;
  }

  private RestClient client(NotificationProperties.Webhook endpoint) {
    return clients.computeIfAbsent(endpoint.url(), url -> {
      HttpClient http = HttpClient.newBuilder()
          .connectTimeout(endpoint.connectTimeout())
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
      JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(http);
      factory.setReadTimeout(endpoint.readTimeout());
      return RestClient.builder().requestFactory(factory).build();
    });
  }
}
