package io.pathway.service.views;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** A browser's Tasklist session: the session login with its CSRF token, then the webapp's engine API. */
final class TasklistWebapp {

  static final String ENGINE_API = "/camunda/api/engine/engine/default";

  private final TestRestTemplate rest;
  private final Map<String, String> cookies = new LinkedHashMap<>();

  private TasklistWebapp(TestRestTemplate rest) {
    this.rest = rest;
  }

  static TasklistWebapp login(TestRestTemplate rest, String user, String password) {
    TasklistWebapp session = new TasklistWebapp(rest);
    session.keep(rest.getForEntity("/camunda/app/tasklist/default/", String.class));
    HttpHeaders headers = session.headers();
    headers.setContentType(MediaType.APPLICATION_FORM_URLENCODED);
    ResponseEntity<String> login = rest.exchange("/camunda/api/admin/auth/user/default/login/tasklist", HttpMethod.POST,
        new HttpEntity<>("username=" + user + "&password=" + password, headers), String.class);
    if (!login.getStatusCode().is2xxSuccessful()) {
      throw new IllegalStateException("Tasklist login answered " + login.getStatusCode());
    }
    session.keep(login);
    // the login starts a new session: its first safe request hands out the session's CSRF token, as for the browser
    session.keep(rest.exchange("/camunda/api/admin/auth/user/default", HttpMethod.GET, new HttpEntity<>(session.headers()),
        String.class));
    return session;
  }

  /** A JSON POST to the webapp's engine API, as Tasklist sends it. */
  ResponseEntity<String> post(String path, String json) {
    HttpHeaders headers = headers();
    headers.setContentType(MediaType.APPLICATION_JSON);
    ResponseEntity<String> response = rest.exchange(ENGINE_API + path, HttpMethod.POST, new HttpEntity<>(json, headers),
        String.class);
    keep(response);
    return response;
  }

  private HttpHeaders headers() {
    HttpHeaders headers = new HttpHeaders();
    if (!cookies.isEmpty()) {
      headers.add(HttpHeaders.COOKIE, cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
          .collect(Collectors.joining("; ")));
    }
    if (cookies.containsKey("XSRF-TOKEN")) {
      headers.add("X-XSRF-TOKEN", cookies.get("XSRF-TOKEN"));
    }
    return headers;
  }

  private void keep(ResponseEntity<?> response) {
    List<String> set = response.getHeaders().get(HttpHeaders.SET_COOKIE);
    if (set == null) {
      return;
    }
    for (String cookie : set) {
      String pair = cookie.split(";", 2)[0];
      int eq = pair.indexOf('=');
      if (eq > 0) {
        cookies.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
      }
    }
  }
}
