package io.pathway.service.enrolment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pathway.model.codes.ImagingFinding;
import io.pathway.model.codes.RedFlag;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.BadUserRequestException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses, with 400 and a message naming the field, a pathway start (engine REST or the Tasklist's
 * start form) whose red flags or imaging findings are not codes of the contract, before anything
 * starts. The engine's own check in {@link PathwayInitialiser} holds for every other way in; this
 * gives the REST caller the status the error deserves (the engine REST answers 500 for any failure
 * while starting).
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE - 10)
class StartCodesFilter extends OncePerRequestFilter {

  private static final Pattern START = Pattern.compile(
      "^(/engine-rest|/camunda/api/engine/engine/[^/]+)/process-definition/(key/[^/]+(/tenant-id/[^/]+)?|[^/]+)/(start|submit-form)$");
  private static final Map<String, Class<? extends Enum<?>>> CODE_LISTS = Map.of("redFlags", RedFlag.class,
      "imagingFindings", ImagingFinding.class);

  private final ObjectMapper json = new ObjectMapper();

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !"POST".equals(request.getMethod()) || !START.matcher(request.getRequestURI().substring(request.getContextPath().length())).matches();
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    byte[] body = request.getInputStream().readAllBytes();
    try {
      JsonNode variables = json.readTree(body).path("variables");
      for (var list : CODE_LISTS.entrySet()) {
        JsonNode value = variables.path(list.getKey()).path("value");
        if (!value.isMissingNode() && !value.isNull()) {
          EnrolmentCodes.normalise(list.getKey(), value.isTextual() ? value.asText() : value.toString(), (Class) list.getValue());
        }
      }
    } catch (BadUserRequestException refused) {
      response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
      response.setContentType("application/json");
      response.getWriter().write(json.writeValueAsString(Map.of("type", "InvalidRequestException", "message", refused.getMessage())));
      return;
    } catch (IOException notJson) {
      // not JSON: the engine REST answers that itself
    }
    chain.doFilter(new CachedBody(request, body), response);
  }

  /** The request with its body read once and replayed to the engine REST. */
  private static final class CachedBody extends HttpServletRequestWrapper {
    private final byte[] body;

    CachedBody(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException("synchronous reads only");
        }

        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }
      };
    }

    @Override
    public BufferedReader getReader() {
      return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
    }
  }
}
