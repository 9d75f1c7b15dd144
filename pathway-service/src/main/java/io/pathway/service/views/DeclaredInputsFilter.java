package io.pathway.service.views;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pathway.service.views.DeclaredInputsPolicy.Refused;
import io.pathway.service.views.DeclaredInputsPolicy.Submission;
import io.pathway.service.views.DeclaredInputsPolicy.Verdict;
import io.pathway.service.views.EngineRequests.Kind;
import io.pathway.service.views.EngineRequests.Other;
import io.pathway.service.views.EngineRequests.Start;
import io.pathway.service.views.EngineRequests.TaskCompletion;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Only declared inputs, whatever the door (engine REST API or the Tasklist webapp's copy of it): the servlet side of
 * {@link DeclaredInputsPolicy}. It classifies the request ({@link EngineRequests}), finds the caller, reads the body
 * once (at most 1 MiB) and answers the policy's refusal as the engine would (a JSON {@code type}, {@code message}
 * and {@code fields}); a request the policy passes reaches the engine with its body intact. A refusal changes
 * nothing: the request never reaches the engine.
 */
class DeclaredInputsFilter extends OncePerRequestFilter {

  private static final Logger log = LoggerFactory.getLogger(DeclaredInputsFilter.class);
  static final int MAX_BODY = 1024 * 1024;

  /** Who is calling on which engine: an administrator or operator, someone else, or nobody logged in (null). */
  @FunctionalInterface
  interface Callers {
    Boolean isAdmin(HttpServletRequest request, String engine);
  }

  private final DeclaredInputsPolicy policy;
  private final Callers callers;
  private final ObjectMapper json = new ObjectMapper();

  DeclaredInputsFilter(DeclaredInputsPolicy policy, Callers callers) {
    this.policy = policy;
    this.callers = callers;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    // the decoded path without path parameters, as the REST resources match it
    String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
    Kind kind = EngineRequests.classify(request.getMethod(), path);
    if (kind instanceof Other) {
      chain.doFilter(request, response);
      return;
    }
    Boolean admin = callers.isAdmin(request, engineOf(kind));
    if (admin == null) {
      refuse(response, new Refused(HttpServletResponse.SC_UNAUTHORIZED, "AuthenticationException", "Log in first.", Set.of()));
      return;
    }
    Verdict verdict = policy.beforeBody(kind, admin);
    if (verdict instanceof DeclaredInputsPolicy.Pass) {
      chain.doFilter(request, response);
      return;
    }
    if (verdict instanceof Refused refused) {
      log.info("Refused {} for a non-administrator", kind);
      refuse(response, refused);
      return;
    }
    byte[] body = request.getInputStream().readNBytes(MAX_BODY + 1);
    if (body.length > MAX_BODY) {
      refuse(response, new Refused(413, "InvalidRequestException", "Request body too large.", Set.of()));
      return;
    }
    verdict = policy.decide(kind, admin, Submission.parse(body));
    if (verdict instanceof Refused refused) {
      log.info("Refused {} ({}): {}", kind, refused.status(), refused.fields());
      refuse(response, refused);
      return;
    }
    chain.doFilter(new CachedBody(request, body), response);
  }

  private static String engineOf(Kind kind) {
    if (kind instanceof TaskCompletion t) {
      return t.engine();
    }
    if (kind instanceof Start s) {
      return s.engine();
    }
    return "default";
  }

  private void refuse(HttpServletResponse response, Refused refused) throws IOException {
    ObjectNode error = json.createObjectNode().put("type", refused.type()).put("message", refused.message());
    if (!refused.fields().isEmpty()) {
      refused.fields().forEach(error.putArray("fields")::add);
    }
    response.setStatus(refused.status());
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.getOutputStream().write(json.writeValueAsBytes(error));
  }
}
