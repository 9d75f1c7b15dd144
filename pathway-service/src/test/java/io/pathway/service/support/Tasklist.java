package io.pathway.service.support;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** Tasklist's task API (the engine REST API under {@code /engine-rest}) as the coordinator or clinician uses it. */
public final class Tasklist {

  public static final String COORDINATOR = "coordinator";
  public static final String CLINICIAN = "clinician";

  /** A task as the REST API lists it. */
  public record Task(String id, String name, String taskDefinitionKey, Integer priority, String due, String processInstanceId) {}

  private final TestRestTemplate rest;

  public Tasklist(TestRestTemplate rest) {
    this.rest = rest;
  }

  /** The patient's open tasks with this id that {@code user} may see. */
  public List<Task> tasks(String user, String taskDefinitionKey, String patientRef) {
    ResponseEntity<List<Task>> response = rest.withBasicAuth(user, user).exchange(
        "/engine-rest/task?taskDefinitionKey={key}&processVariables=patientRef_eq_{patient}&maxResults=50",
        HttpMethod.GET, null, new ParameterizedTypeReference<>() {}, taskDefinitionKey, patientRef);
    if (!response.getStatusCode().is2xxSuccessful()) {
      throw new IllegalStateException("task query answered " + response.getStatusCode());
    }
    return response.getBody();
  }

  /** Waits for the task to appear for {@code user}. */
  public Task await(String user, String taskDefinitionKey, String patientRef) {
    return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(
        () -> tasks(user, taskDefinitionKey, patientRef), l -> !l.isEmpty()).get(0);
  }

  /** Completes a task with variables (simple values); returns the HTTP status code. */
  public int complete(String user, Task task, Map<String, Object> variables) {
    StringBuilder body = new StringBuilder("{\"variables\":{");
    variables.forEach((k, v) -> {
      if (body.charAt(body.length() - 1) != '{') {
        body.append(',');
      }
      body.append('"').append(k).append("\":{\"value\":")
          .append(v instanceof String ? "\"" + v + "\"" : String.valueOf(v)).append('}');
    });
    body.append("}}");
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_JSON);
    ResponseEntity<String> r = rest.withBasicAuth(user, user).exchange("/engine-rest/task/{id}/complete", HttpMethod.POST,
        new HttpEntity<>(body.toString(), headers), String.class, task.id());
    return r.getStatusCode().value();
  }

  /** Waits for the task and completes it as {@code user}, accepting what the form proposes. */
  public void completeWhenReady(String user, String taskDefinitionKey, String patientRef, Map<String, Object> variables) {
    Task task = await(user, taskDefinitionKey, patientRef);
    int status = complete(user, task, variables);
    if (status != 204) {
      throw new IllegalStateException(taskDefinitionKey + " could not be completed: " + status);
    }
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> tasks(user, taskDefinitionKey, patientRef).stream()
        .noneMatch(t -> t.id().equals(task.id())));
  }
}
