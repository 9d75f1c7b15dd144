package io.pathway.notification.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pathway.model.Topics;
import io.pathway.model.codes.AlertType;
import io.pathway.model.codes.Severity;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.notification.IntegrationTest;
import io.pathway.notification.delivery.Notification;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;

/** The REST API and actuator over real HTTP: authentication, filters, attempts, acknowledgement. */
class NotificationApiTest extends IntegrationTest {

  private static final String AUTH = "Basic " + Base64.getEncoder()
      .encodeToString("test-coordinator:test-password-1234".getBytes(StandardCharsets.UTF_8));
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();

  @LocalManagementPort int managementPort;

  @Test
  void shouldAnswer401ToAnonymousCallsExceptHealth() throws Exception {
    // given no credentials
    // when / then
    assertThat(get(api("/api/notifications"), null).statusCode()).isEqualTo(401);
    assertThat(get(api("/api/notifications/" + java.util.UUID.randomUUID()), null).statusCode()).isEqualTo(401);
    assertThat(post(api("/api/notifications/" + java.util.UUID.randomUUID() + "/acknowledge"), null, "application/json")
        .statusCode()).isEqualTo(401);
    assertThat(get(management("/actuator/prometheus"), null).statusCode()).isEqualTo(401);
    assertThat(get(management("/actuator/metrics"), null).statusCode()).isEqualTo(401);
    assertThat(get(management("/actuator/health"), null).statusCode()).isEqualTo(200);
    assertThat(get(management("/actuator/health/readiness"), null).statusCode()).isEqualTo(200);
    assertThat(get(api("/api/notifications"), "Basic " + Base64.getEncoder().encodeToString("x:y".getBytes()))
        .statusCode()).isEqualTo(401);
  }

  @Test
  void shouldListFilterShowAttemptsAndAcknowledge() throws Exception {
    // given
    String patientRef = newPatientRef();
    EventEnvelope event = publish(Topics.ALERTS, alert(patientRef, Severity.CRITICAL, AlertType.RED_FLAG));
    Notification desk = awaitDelivered(event.id(), 3).stream().filter(n -> n.recipient().equals("coordinator-desk"))
        .findFirst().orElseThrow();

    // when
    JsonNode page = body(get(api("/api/notifications?patientRef=" + patientRef + "&recipient=coordinator-desk&status=DELIVERED"), AUTH));
    JsonNode one = body(get(api("/api/notifications/" + desk.id()), AUTH));
    HttpResponse<String> ack = post(api("/api/notifications/" + desk.id() + "/acknowledge"), AUTH, "application/json");

    // then
    assertThat(page.get("total").asLong()).isEqualTo(1);
    assertThat(page.get("items").get(0).get("id").asText()).isEqualTo(desk.id().toString());
    assertThat(one.get("attemptLog")).hasSize(1);
    assertThat(one.get("attemptLog").get(0).get("outcome").asText()).isEqualTo("DELIVERED");
    assertThat(ack.statusCode()).isEqualTo(200);
    assertThat(json.readTree(ack.body()).get("acknowledgedBy").asText()).isEqualTo("test-coordinator");
    assertThat(store.find(desk.id()).orElseThrow().acknowledgedAt()).isNotNull();
  }

  @Test
  void shouldRefuseAFormPostToAcknowledgeSoThatNoOtherSiteCanForgeIt() throws Exception {
    // given
    String patientRef = newPatientRef();
    EventEnvelope event = publish(Topics.ALERTS, alert(patientRef, Severity.CRITICAL, AlertType.RED_FLAG));
    Notification n = awaitDelivered(event.id(), 3).get(0);

    // when
    HttpResponse<String> form = post(api("/api/notifications/" + n.id() + "/acknowledge"), AUTH,
        "application/x-www-form-urlencoded");

    // then
    assertThat(form.statusCode()).isEqualTo(415);
    assertThat(store.find(n.id()).orElseThrow().acknowledgedAt()).isNull();
  }

  @Test
  void shouldServeTheAcknowledgementPageBehindTheLinkToAuthenticatedUsers() throws Exception {
    // given
    String patientRef = newPatientRef();
    EventEnvelope event = publish(Topics.ALERTS, alert(patientRef, Severity.CRITICAL, AlertType.RED_FLAG));
    Notification n = awaitDelivered(event.id(), 3).get(0);
    URI link = api("/api/notifications/" + n.id() + "/acknowledge");

    // when
    HttpResponse<String> anonymous = get(link, null, "text/html");
    HttpResponse<String> page = get(link, AUTH, "text/html");

    // then
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains(patientRef).contains("I acknowledge").contains("method: 'POST'");
  }

  @Test
  void shouldAnswerErrorsWithoutStackTraces() throws Exception {
    // when
    HttpResponse<String> badId = get(api("/api/notifications/not-a-uuid"), AUTH);
    HttpResponse<String> unknown = get(api("/api/notifications/" + java.util.UUID.randomUUID()), AUTH);

    // then
    assertThat(badId.statusCode()).isEqualTo(400);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(badId.body() + unknown.body()).doesNotContain("trace").doesNotContain("Exception").doesNotContain("at io.");
  }

  @Test
  void shouldExposeDeliveryMetricsToAuthenticatedScrapers() throws Exception {
    // given
    String patientRef = newPatientRef();
    awaitDelivered(publish(Topics.ALERTS, alert(patientRef, Severity.MEDIUM, AlertType.TASK_OVERDUE)).id(), 1);

    // when
    HttpResponse<String> metrics = get(management("/actuator/prometheus"), AUTH, "text/plain");

    // then
    assertThat(metrics.statusCode()).as(metrics.body()).isEqualTo(200);
    assertThat(metrics.body())
        .contains("notification_deliveries_total{application=\"notification-service\",channel=\"email\",status=\"delivered\"}")
        .contains("notification_pending{")
        .contains("notification_pending_oldest_age_seconds{");
  }

  private URI api(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private URI management(String path) {
    return URI.create("http://127.0.0.1:" + managementPort + path);
  }

  private HttpResponse<String> get(URI uri, String auth) throws Exception {
    return get(uri, auth, "application/json");
  }

  private HttpResponse<String> get(URI uri, String auth, String accept) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Accept", accept).GET();
    if (auth != null) {
      b.header("Authorization", auth);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(URI uri, String auth, String contentType) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(contentType.contains("json") ? "{}" : "confirm=yes"));
    if (auth != null) {
      b.header("Authorization", auth);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode body(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).isEqualTo(200);
    return json.readTree(response.body());
  }
}
