package io.pathway.service.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pathway.bpmn.PathwayModel.Vars;
import io.pathway.service.enrolment.EnrolmentCodes;
import io.pathway.service.tasks.EngineRequests.Closed;
import io.pathway.service.tasks.EngineRequests.Start;
import io.pathway.service.tasks.EngineRequests.TaskCompletion;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.camunda.bpm.engine.FormService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.engine.repository.ProcessDefinitionQuery;
import org.camunda.bpm.webapp.impl.security.auth.AuthenticationUtil;
import org.camunda.bpm.webapp.impl.security.auth.Authentications;
import org.camunda.bpm.webapp.impl.security.auth.UserAuthentication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Only declared inputs, whatever the door (engine REST API or the Tasklist webapp's copy of it). For anyone but
 * an administrator or operator:
 * <ul>
 *   <li>a task completion ({@code complete}, {@code submit-form}, {@code resolve}) may set only the fields the
 *       task's deployed Camunda Form declares editable;</li>
 *   <li>a process start may set only the editable fields of the process's start form, and may not start
 *       elsewhere than at the start event or skip listeners and mappings;</li>
 *   <li>every other door that writes variables or moves tokens is closed (403).</li>
 * </ul>
 * A refusal changes nothing: the request never reaches the engine. It answers 400 with a JSON message naming
 * the fields.
 */
class DeclaredInputsFilter extends OncePerRequestFilter {

  private static final Logger log = LoggerFactory.getLogger(DeclaredInputsFilter.class);
  /** Camunda's administrators and the pathway's operators (see security.CamundaAccess) keep every door. */
  static final Set<String> ADMIN_GROUPS = Set.of(Groups.CAMUNDA_ADMIN, "pathway-operators");
  private static final Set<String> TASK_BODY = Set.of("variables", "withVariablesInReturn");
  private static final Set<String> START_BODY = Set.of("variables", "businessKey", "withVariablesInReturn");
  private static final Set<String> START_FORM_BODY = Set.of("variables", "businessKey");
  private static final int MAX_BODY = 1024 * 1024;

  private final IdentityService identity;
  private final FormService forms;
  private final RepositoryService repository;
  private final TaskService tasks;
  private final io.pathway.service.enrolment.OnePathwayPerPatient onePathwayPerPatient;
  // a name given twice could be read one way here and another by the REST resource: refused
  private final ObjectMapper json = new ObjectMapper().enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  DeclaredInputsFilter(IdentityService identity, FormService forms, RepositoryService repository, TaskService tasks,
      io.pathway.service.enrolment.OnePathwayPerPatient onePathwayPerPatient) {
    this.onePathwayPerPatient = onePathwayPerPatient;
    this.identity = identity;
    this.forms = forms;
    this.repository = repository;
    this.tasks = tasks;
  }

  private record Caller(String userId, List<String> groups) {
    boolean admin() {
      return groups.stream().anyMatch(ADMIN_GROUPS::contains);
    }
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    // the decoded path without path parameters, as the REST resources match it
    String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
    EngineRequests.Kind kind = EngineRequests.classify(request.getMethod(), path);
    if (kind instanceof EngineRequests.Other) {
      chain.doFilter(request, response);
      return;
    }
    Caller caller = caller(request, engineOf(kind));
    if (caller == null) {
      refuse(response, HttpServletResponse.SC_UNAUTHORIZED, "AuthenticationException", "Log in first.", Set.of());
      return;
    }
    if (caller.admin() && !(kind instanceof Start)) {
      chain.doFilter(request, response);
      return;
    }
    if (!caller.admin() && kind instanceof Closed closed) {
      log.info("Refused {} for a non-administrator", closed.what());
      refuse(response, HttpServletResponse.SC_FORBIDDEN, "AuthorizationException",
          "Only administrators may write variables, correlate messages or signals, or move, retry or delete process "
              + "instances and jobs here. Complete your task with its form instead.", Set.of());
      return;
    }
    byte[] body = request.getInputStream().readNBytes(MAX_BODY + 1);
    if (body.length > MAX_BODY) {
      refuse(response, 413, "InvalidRequestException", "Request body too large.", Set.of());
      return;
    }
    JsonNode parsed;
    try {
      parsed = body.length == 0 ? json.createObjectNode() : json.readTree(body);
    } catch (IOException e) {
      parsed = null;
    }
    if (parsed == null || parsed.isMissingNode() || !parsed.isObject()) {
      refuse(response, 400, "InvalidRequestException", "The body must be a JSON object.", Set.of());
      return;
    }
    if (kind instanceof Start) {
      // for everyone, administrators too: a red flag or an imaging finding must be a code of the contract
      Refusal codes = checkCodes(parsed.path("variables"));
      if (codes != null) {
        refuse(response, HttpServletResponse.SC_BAD_REQUEST, "InvalidRequestException", codes.message(), codes.fields());
        return;
      }
      if (secondPathway((Start) kind, parsed.path("variables"), response)) {
        return;
      }
      if (caller.admin()) {
        chain.doFilter(new CachedBody(request, body), response);
        return;
      }
    }
    Refusal refusal = kind instanceof TaskCompletion t ? checkTask(t, (ObjectNode) parsed) : checkStart((Start) kind, (ObjectNode) parsed);
    if (refusal != null) {
      refuse(response, HttpServletResponse.SC_BAD_REQUEST, "InvalidRequestException", refusal.message(), refusal.fields());
      return;
    }
    chain.doFilter(new CachedBody(request, body), response);
  }

  /**
   * A start of the pathway for a patient whose pathway is active is refused (409) before it reaches the engine;
   * its red flags are raised first (see enrolment.OnePathwayPerPatient). True when the answer was written.
   */
  private boolean secondPathway(Start s, JsonNode variables, HttpServletResponse response) throws IOException {
    String key = s.key() != null ? s.key() : asSystem(() -> {
      ProcessDefinition d = repository.createProcessDefinitionQuery().processDefinitionId(s.definitionId()).singleResult();
      return d == null ? null : d.getKey();
    });
    if (!io.pathway.bpmn.PathwayModel.Processes.PATHWAY.equals(key)) {
      return false;
    }
    JsonNode patient = variables.path(Vars.PATIENT_REF).path("value");
    JsonNode flags = variables.path(Vars.RED_FLAGS).path("value");
    // the codes were checked above; the red flags are raised by the service, not as the caller (who may not
    // correlate messages to a pathway)
    String redFlags = EnrolmentCodes.normalise(Vars.RED_FLAGS, flags.isTextual() ? flags.asText() : flags.isArray() ? flags.toString() : null,
        io.pathway.model.codes.RedFlag.class);
    var refusal = asSystem(() -> onePathwayPerPatient.refuseStart(patient.isTextual() ? patient.asText() : null, redFlags));
    if (refusal.isEmpty()) {
      return false;
    }
    refuse(response, HttpServletResponse.SC_CONFLICT, "InvalidRequestException", refusal.get(), Set.of(Vars.PATIENT_REF));
    return true;
  }

  /** Why a request is refused, and the fields it names. */
  private record Refusal(Set<String> fields, String message) {}

  /**
   * The code lists of an enrolment started here (the engine's start answers 500 for any failure while
   * starting; the same check in the model's first step holds for every other way in).
   */
  private static Refusal checkCodes(JsonNode variables) {
    for (String field : List.of(Vars.RED_FLAGS, Vars.IMAGING_FINDINGS)) {
      JsonNode value = variables.path(field).path("value");
      if (value.isMissingNode() || value.isNull()) {
        continue;
      }
      try {
        EnrolmentCodes.check(field, value.isTextual() ? value.asText() : value.toString());
      } catch (IllegalArgumentException notACode) {
        return new Refusal(Set.of(field), notACode.getMessage());
      }
    }
    return null;
  }

  private Refusal checkTask(TaskCompletion t, ObjectNode body) {
    Set<String> unexpected = unexpected(body, TASK_BODY);
    if (!unexpected.isEmpty()) {
      return new Refusal(unexpected, "Not allowed in a task completion: " + String.join(", ", unexpected) + ".");
    }
    FormInputs form = asSystem(() -> taskForm(t.taskId()));
    if (form == null) {
      return null; // no such task: the engine answers for it, nothing can change
    }
    Set<String> undeclared = form.undeclared(variableNames(body));
    if (undeclared.isEmpty()) {
      // Tasklist fills a field from the variable it already has and submits it: a held value is an answer
      Set<String> held = asSystem(() -> answeredBefore(t.taskId(), form.required()));
      return missingAnswers(form, body, held, "task completion");
    }
    log.info("Refused a completion of task {} setting fields its form {} does not declare: {}", t.taskId(), form.formId(),
        undeclared);
    return new Refusal(undeclared, "Not an input of this task's form" + (form.formId() == null ? "" : " (" + form.formId() + ")")
        + ": " + String.join(", ", undeclared) + ". A task completion may set only the fields its form declares editable.");
  }

  /** The form's required answers must come with the request, as Tasklist would insist before it submits. */
  private static Refusal missingAnswers(FormInputs form, ObjectNode body, Set<String> held, String what) {
    Set<String> answered = answered(body);
    answered.addAll(held);
    Set<String> missing = form.missing(answered);
    if (missing.isEmpty()) {
      return null;
    }
    return new Refusal(missing, "Required by the form" + (form.formId() == null ? "" : " (" + form.formId() + ")")
        + " and missing or empty: " + String.join(", ", missing) + ". A " + what + " must answer every required field.");
  }

  private Refusal checkStart(Start s, ObjectNode body) {
    Set<String> unexpected = unexpected(body, s.submitForm() ? START_FORM_BODY : START_BODY);
    if (!unexpected.isEmpty()) {
      return new Refusal(unexpected, "Not allowed in a process start: " + String.join(", ", unexpected)
          + ". A start begins at the start event with the start form's fields only.");
    }
    FormInputs form = asSystem(() -> startForm(s));
    if (form == null) {
      return null; // no such process definition: the engine answers 404
    }
    Set<String> undeclared = form.undeclared(variableNames(body));
    if (undeclared.isEmpty()) {
      return missingAnswers(form, body, Set.of(), "start");
    }
    log.info("Refused a start setting fields the start form {} does not declare: {}", form.formId(), undeclared);
    return new Refusal(undeclared, "Not an input of the start form" + (form.formId() == null ? "" : " (" + form.formId() + ")")
        + ": " + String.join(", ", undeclared) + ". A start may set only the fields its form declares editable.");
  }

  /** The form of the task as Tasklist resolves it (formRef and binding); no form: nothing is editable. */
  private FormInputs taskForm(String taskId) {
    try (InputStream in = forms.getDeployedTaskForm(taskId)) {
      return FormInputs.of(json.readTree(in));
    } catch (org.camunda.bpm.engine.exception.NotFoundException e) {
      return null;
    } catch (RuntimeException | IOException e) {
      return FormInputs.NONE;
    }
  }

  private FormInputs startForm(Start s) {
    String definitionId = s.definitionId();
    if (definitionId == null) {
      ProcessDefinitionQuery query = repository.createProcessDefinitionQuery().processDefinitionKey(s.key()).latestVersion();
      ProcessDefinition definition = (s.tenantId() == null ? query.withoutTenantId() : query.tenantIdIn(s.tenantId())).singleResult();
      if (definition == null) {
        return null;
      }
      definitionId = definition.getId();
    } else if (repository.createProcessDefinitionQuery().processDefinitionId(definitionId).count() == 0) {
      return null;
    }
    try (InputStream in = forms.getDeployedStartForm(definitionId)) {
      return FormInputs.of(json.readTree(in));
    } catch (RuntimeException | IOException e) {
      return FormInputs.NONE;
    }
  }

  private static Set<String> unexpected(ObjectNode body, Set<String> allowed) {
    Set<String> out = new TreeSet<>();
    body.fieldNames().forEachRemaining(f -> {
      if (!allowed.contains(f)) {
        out.add(f);
      }
    });
    return out;
  }

  /** The required fields whose variable the task already sees with a value. */
  private Set<String> answeredBefore(String taskId, Set<String> required) {
    Set<String> held = new TreeSet<>();
    if (required.isEmpty()) {
      return held;
    }
    tasks.getVariables(taskId, required).forEach((name, value) -> {
      if (value != null && !(value instanceof String text && text.isBlank())) {
        held.add(name);
      }
    });
    return held;
  }

  /** The variables sent with a value: not null and, for text, not blank (form-js's test of a required field). */
  private static Set<String> answered(ObjectNode body) {
    Set<String> names = new TreeSet<>();
    JsonNode variables = body.get("variables");
    if (variables != null && variables.isObject()) {
      variables.fields().forEachRemaining(e -> {
        JsonNode value = e.getValue().path("value");
        if (!value.isMissingNode() && !value.isNull() && !(value.isTextual() && value.asText().isBlank())) {
          names.add(e.getKey());
        }
      });
    }
    return names;
  }

  private static List<String> variableNames(ObjectNode body) {
    List<String> names = new ArrayList<>();
    JsonNode variables = body.get("variables");
    if (variables != null && variables.isObject()) {
      variables.fieldNames().forEachRemaining(names::add);
    }
    return names;
  }

  private static String engineOf(EngineRequests.Kind kind) {
    if (kind instanceof TaskCompletion t) {
      return t.engine();
    }
    if (kind instanceof Start s) {
      return s.engine();
    }
    return "default";
  }

  /** The logged-in user: set by the engine REST API's Basic filter, or the webapps' session login. */
  private Caller caller(HttpServletRequest request, String engine) {
    Authentication current = identity.getCurrentAuthentication();
    if (current != null && current.getUserId() != null) {
      return new Caller(current.getUserId(), current.getGroupIds() == null ? List.of() : current.getGroupIds());
    }
    HttpSession session = request.getSession(false);
    if (session == null) {
      return null;
    }
    Authentications authentications = AuthenticationUtil.getAuthsFromSession(session);
    if (authentications == null) {
      return null;
    }
    org.camunda.bpm.webapp.impl.security.auth.Authentication a = authentications.getAuthenticationForProcessEngine(engine);
    if (a instanceof UserAuthentication user && user.getIdentityId() != null) {
      return new Caller(user.getIdentityId(), user.getGroupIds() == null ? List.of() : user.getGroupIds());
    }
    return null;
  }

  /** Form look-ups as the engine itself (the caller may not read a deployment resource). */
  private <T> T asSystem(Supplier<T> work) {
    Authentication saved = identity.getCurrentAuthentication();
    identity.clearAuthentication();
    try {
      return work.get();
    } finally {
      if (saved != null) {
        identity.setAuthentication(saved);
      }
    }
  }

  private void refuse(HttpServletResponse response, int status, String type, String message, Set<String> fields)
      throws IOException {
    ObjectNode error = json.createObjectNode().put("type", type).put("message", message);
    if (!fields.isEmpty()) {
      fields.forEach(error.putArray("fields")::add);
    }
    response.setStatus(status);
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.getOutputStream().write(json.writeValueAsBytes(error));
  }

  /** The request with its body read once by us and again by the REST resource. */
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
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }

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
      };
    }

    @Override
    public BufferedReader getReader() {
      String encoding = getCharacterEncoding();
      return new BufferedReader(new InputStreamReader(getInputStream(),
          encoding == null ? StandardCharsets.UTF_8 : java.nio.charset.Charset.forName(encoding)));
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }
  }
}
