package io.pathway.service.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathway.service.PathwayServiceTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/** S1: every endpoint needs a login, and a browser on the webapps never meets a Basic-auth pop-up. */
@PathwayServiceTest
class EndpointAccessTest {

  @Autowired
  TestRestTemplate rest;
  @LocalManagementPort
  int managementPort;

  @Test
  void shouldAnswerAnonymousCallsWith401() {
    assertThat(rest.getForEntity("/engine-rest/task?maxResults=1", String.class).getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(rest.getForEntity("/api/pathways?patientRef=PT-1", String.class).getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(rest.getForEntity("/camunda/api/engine/engine/default/task/count", String.class).getStatusCode())
        .isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(rest.getForEntity("/anything-else", String.class).getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(rest.getForEntity("http://localhost:" + managementPort + "/actuator/prometheus", String.class).getStatusCode())
        .isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(rest.getForEntity("http://localhost:" + managementPort + "/actuator/health", String.class).getStatusCode())
        .isEqualTo(HttpStatus.OK);
  }

  @Test
  void shouldServeTheTasklistPageWithoutABasicAuthChallengeOnItsRequests() {
    assertThat(rest.getForEntity("/camunda/app/tasklist/default/", String.class).getStatusCode()).isEqualTo(HttpStatus.OK);
    ResponseEntity<String> welcome = rest.getForEntity("/camunda-welcome", String.class);
    assertThat(welcome.getHeaders().get(HttpHeaders.WWW_AUTHENTICATE)).isNull();
    assertThat(rest.getForEntity("/anything-else", String.class).getHeaders().get(HttpHeaders.WWW_AUTHENTICATE)).isNull();
  }

  @Test
  void shouldLetAdministratorsScrapeMetrics() {
    assertThat(rest.withBasicAuth("demo", "demo")
        .getForEntity("http://localhost:" + managementPort + "/actuator/prometheus", String.class).getBody())
        .contains("pathway_outbox_pending", "pathway_inbox_pending");
  }
}
