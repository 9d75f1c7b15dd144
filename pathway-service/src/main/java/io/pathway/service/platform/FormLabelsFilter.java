package io.pathway.service.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.TaskService;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Labels, not codes, in the task forms: a form shows {@code <variable>Label} where the variable holds codes
 * ({@code proposedHypotheses} {@code [TECHNICAL_FAILURE, ...]} reads "Technical failure of the injection; ...").
 * The label is computed when the form asks for its variables ({@code GET .../task/{id}/form-variables}, both
 * doors), from the task's variables at that moment; nothing is written to the engine. The task's own answer
 * came first: a user who may not read the task gets the engine's refusal, untouched.
 */
class FormLabelsFilter extends OncePerRequestFilter {

  static final String SUFFIX = "Label";
  private static final Pattern FORM_VARIABLES = Pattern.compile(
      "^(?:/engine-rest(?:/engine/[^/]+)?|/camunda/api/engine/engine/[^/]+)/task/([^/]+)/form-variables/?$");

  private final TaskService tasks;
  private final ObjectMapper json;

  FormLabelsFilter(TaskService tasks, ObjectMapper json) {
    this.tasks = tasks;
    this.json = json;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !"GET".equals(request.getMethod()) || !FORM_VARIABLES.matcher(path(request)).matches();
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    ContentCachingResponseWrapper wrapper = new ContentCachingResponseWrapper(response);
    chain.doFilter(request, wrapper);
    if (wrapper.getStatus() == 200) {
      Matcher m = FORM_VARIABLES.matcher(path(request));
      if (m.matches()) {
        byte[] labelled = label(m.group(1), request.getParameter("variableNames"), wrapper.getContentAsByteArray());
        if (labelled != null) {
          wrapper.resetBuffer();
          wrapper.getOutputStream().write(labelled);
        }
      }
    }
    wrapper.copyBodyToResponse();
  }

  private byte[] label(String taskId, String variableNames, byte[] body) throws IOException {
    JsonNode answer = json.readTree(body);
    if (!(answer instanceof ObjectNode variables)) {
      return null;
    }
    Set<String> asked = variableNames == null || variableNames.isBlank() ? null
        : Arrays.stream(variableNames.split(",")).map(String::trim).collect(Collectors.toSet());
    Map<String, Object> values = tasks.getVariables(taskId);
    boolean changed = false;
    for (Map.Entry<String, Object> v : values.entrySet()) {
      String name = v.getKey() + SUFFIX;
      if (asked != null && !asked.contains(name) || variables.has(name) || !mayHoldCodes(v.getValue())) {
        continue;
      }
      ObjectNode label = variables.putObject(name);
      label.put("type", "String");
      label.put("value", CodeLabels.text(text(v.getValue())));
      label.putObject("valueInfo");
      changed = true;
    }
    return changed ? json.writeValueAsBytes(variables) : null;
  }

  private static boolean mayHoldCodes(Object value) {
    return value instanceof CharSequence || value instanceof Collection<?>;
  }

  private static String text(Object value) {
    return value instanceof Collection<?> c ? c.toString() : value.toString();
  }

  private static String path(HttpServletRequest request) {
    return request.getRequestURI().substring(request.getContextPath().length());
  }
}
