package io.pathway.service.views;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pathway.bpmn.PathwayModel.Processes;
import io.pathway.bpmn.PathwayModel.Vars;
import io.pathway.model.codes.RedFlag;
import io.pathway.service.platform.EnrolmentCodes;
import io.pathway.service.views.EngineRequests.Closed;
import io.pathway.service.views.EngineRequests.Kind;
import io.pathway.service.views.EngineRequests.Other;
import io.pathway.service.views.EngineRequests.Start;
import io.pathway.service.views.EngineRequests.TaskCompletion;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Only declared inputs: what may pass to the engine REST API, decided from the request's kind, whether the caller
 * is an administrator or operator, and what the request submits. No servlet, no Spring, no engine: what the rule
 * needs of the engine (the deployed forms, the task's variables, the patient's active pathway) comes through
 * {@link Lookups}. For anyone but an administrator or operator:
 * <ul>
 *   <li>a task completion ({@code complete}, {@code submit-form}, {@code resolve}) may set only the fields the
 *       task's deployed Camunda Form declares editable, and must answer the form's required fields (or the task
 *       already holds them);</li>
 *   <li>a process start may set only the editable fields of the process's start form, must answer its required
 *       fields, and may not start elsewhere than at the start event or skip listeners and mappings;</li>
 *   <li>every other door that writes variables or moves tokens is closed (403).</li>
 * </ul>
 * For everyone, administrators too, a start's red flags and imaging findings must be codes of the contract (400),
 * and a start of the pathway for a patient whose pathway is active is refused (409).
 */
final class DeclaredInputsPolicy {

  static final int BAD_REQUEST = 400;
  static final int FORBIDDEN = 403;
  static final int CONFLICT = 409;

  private static final Set<String> TASK_BODY = Set.of("variables", "withVariablesInReturn");
  private static final Set<String> START_BODY = Set.of("variables", "businessKey", "withVariablesInReturn");
  private static final Set<String> START_FORM_BODY = Set.of("variables", "businessKey");
  // a name given twice could be read one way here and another by the REST resource: refused
  private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  /** What the policy needs to know of the engine; the filter looks it up as the engine itself. */
  interface Lookups {
    /** The deployed form of the task; {@link FormInputs#NONE} when it has none; null when there is no such task. */
    FormInputs taskForm(String taskId);

    /** The deployed start form; {@link FormInputs#NONE} when it has none; null when there is no such definition. */
    FormInputs startForm(Start start);

    /** The process key the start names (by key, or by definition id); null when unknown. */
    String processKey(Start start);

    /** Of the given fields, those the task already holds with a value (not null, not blank text). */
    Set<String> held(String taskId, Set<String> fields);

    /** Why a pathway may not start for this patient (an active one exists), or empty. */
    Optional<String> refuseSecondPathway(String patientRef, String redFlagCodes);
  }

  /** The verdict on a request. */
  sealed interface Verdict permits Pass, ReadBody, Refused {}

  /** Let it through to the engine. */
  record Pass() implements Verdict {}

  /** No verdict before the body is read: call {@link #decide(Kind, boolean, Submission)}. */
  record ReadBody() implements Verdict {}

  /** Refused before the engine sees it: the HTTP status, the engine's exception type, a message, and the fields named. */
  record Refused(int status, String type, String message, Set<String> fields) implements Verdict {
    Refused {
      fields = Collections.unmodifiableSet(new TreeSet<>(fields));
    }
  }

  static final Pass PASS = new Pass();
  static final ReadBody READ_BODY = new ReadBody();

  /**
   * What a request's body submits: the body's own top-level names and its {@code variables}, each with the JSON of
   * its {@code value} (missing when the variable has none). {@link #NOT_AN_OBJECT} when the body is not one JSON
   * object with each name once.
   */
  record Submission(Set<String> bodyFields, Map<String, JsonNode> variables) {
    static final Submission NOT_AN_OBJECT = new Submission(null, null);

    /** An empty body is an empty object. */
    static Submission parse(byte[] body) {
      JsonNode parsed;
      try {
        parsed = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
      } catch (IOException e) {
        return NOT_AN_OBJECT;
      }
      if (parsed == null || parsed.isMissingNode() || !parsed.isObject()) {
        return NOT_AN_OBJECT;
      }
      Set<String> fields = new TreeSet<>();
      parsed.fieldNames().forEachRemaining(fields::add);
      Map<String, JsonNode> variables = new LinkedHashMap<>();
      JsonNode vars = parsed.get("variables");
      if (vars != null && vars.isObject()) {
        vars.fields().forEachRemaining(e -> variables.put(e.getKey(), e.getValue().path("value")));
      }
      return new Submission(fields, variables);
    }

    boolean isObject() {
      return bodyFields != null;
    }

    /** The variables sent with a value: not null and, for text, not blank (form-js's test of a required field). */
    Set<String> answered() {
      Set<String> names = new TreeSet<>();
      variables.forEach((name, value) -> {
        if (!value.isMissingNode() && !value.isNull() && !(value.isTextual() && value.asText().isBlank())) {
          names.add(name);
        }
      });
      return names;
    }

    JsonNode value(String variable) {
      JsonNode value = variables.get(variable);
      return value == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : value;
    }
  }

  private final Lookups lookups;

  DeclaredInputsPolicy(Lookups lookups) {
    this.lookups = lookups;
  }

  /** The verdict before the body is read: the kinds the rule does not cover pass, the closed doors are refused. */
  Verdict beforeBody(Kind kind, boolean admin) {
    if (kind instanceof Other || admin && !(kind instanceof Start)) {
      return PASS;
    }
    if (kind instanceof Closed) {
      return new Refused(FORBIDDEN, "AuthorizationException",
          "Only administrators may write variables, correlate messages or signals, or move, retry or delete process "
              + "instances and jobs here. Complete your task with its form instead.", Set.of());
    }
    return READ_BODY;
  }

  /** The verdict on a task completion or a start, given what it submits. */
  Verdict decide(Kind kind, boolean admin, Submission submission) {
    Verdict first = beforeBody(kind, admin);
    if (!(first instanceof ReadBody)) {
      return first;
    }
    if (!submission.isObject()) {
      return invalid("The body must be a JSON object.", Set.of());
    }
    if (kind instanceof Start start) {
      Refused codes = checkCodes(submission);
      if (codes != null) {
        return codes;
      }
      Refused second = secondPathway(start, submission);
      if (second != null) {
        return second;
      }
      if (admin) {
        return PASS;
      }
      return orPass(checkStart(start, submission));
    }
    return orPass(checkTask((TaskCompletion) kind, submission));
  }

  private static Verdict orPass(Refused refused) {
    return refused == null ? PASS : refused;
  }

  private static Refused invalid(String message, Set<String> fields) {
    return new Refused(BAD_REQUEST, "InvalidRequestException", message, fields);
  }

  /**
   * The code lists of an enrolment started here (the engine's start answers 500 for any failure while
   * starting; the same check in the model's first step holds for every other way in).
   */
  private static Refused checkCodes(Submission submission) {
    for (String field : List.of(Vars.RED_FLAGS, Vars.IMAGING_FINDINGS, Vars.IMAGING_LEVEL, Vars.IMAGING_SIDE)) {
      JsonNode value = submission.value(field);
      if (value.isMissingNode() || value.isNull()) {
        continue;
      }
      try {
        EnrolmentCodes.check(field, value.isTextual() ? value.asText() : value.toString());
      } catch (IllegalArgumentException notACode) {
        return invalid(notACode.getMessage(), Set.of(field));
      }
    }
    return null;
  }

  /** A start of the pathway for a patient whose pathway is active (see enrolment.OnePathwayPerPatient). */
  private Refused secondPathway(Start start, Submission submission) {
    String key = start.key() != null ? start.key() : lookups.processKey(start);
    if (!Processes.PATHWAY.equals(key)) {
      return null;
    }
    JsonNode patient = submission.value(Vars.PATIENT_REF);
    JsonNode flags = submission.value(Vars.RED_FLAGS);
    String redFlags = EnrolmentCodes.normalise(Vars.RED_FLAGS,
        flags.isTextual() ? flags.asText() : flags.isArray() ? flags.toString() : null, RedFlag.class);
    return lookups.refuseSecondPathway(patient.isTextual() ? patient.asText() : null, redFlags)
        .map(message -> new Refused(CONFLICT, "InvalidRequestException", message, Set.of(Vars.PATIENT_REF)))
        .orElse(null);
  }

  private Refused checkTask(TaskCompletion task, Submission submission) {
    Set<String> unexpected = unexpected(submission, TASK_BODY);
    if (!unexpected.isEmpty()) {
      return invalid("Not allowed in a task completion: " + String.join(", ", unexpected) + ".", unexpected);
    }
    FormInputs form = lookups.taskForm(task.taskId());
    if (form == null) {
      return null; // no such task: the engine answers for it, nothing can change
    }
    Set<String> undeclared = form.undeclared(new ArrayList<>(submission.variables().keySet()));
    if (!undeclared.isEmpty()) {
      return invalid("Not an input of this task's form" + named(form) + ": " + String.join(", ", undeclared)
          + ". A task completion may set only the fields its form declares editable.", undeclared);
    }
    // Tasklist fills a field from the variable it already has and submits it: a held value is an answer
    Set<String> held = form.required().isEmpty() ? Set.of() : lookups.held(task.taskId(), form.required());
    return missingAnswers(form, submission, held, "task completion");
  }

  private Refused checkStart(Start start, Submission submission) {
    Set<String> unexpected = unexpected(submission, start.submitForm() ? START_FORM_BODY : START_BODY);
    if (!unexpected.isEmpty()) {
      return invalid("Not allowed in a process start: " + String.join(", ", unexpected)
          + ". A start begins at the start event with the start form's fields only.", unexpected);
    }
    FormInputs form = lookups.startForm(start);
    if (form == null) {
      return null; // no such process definition: the engine answers 404
    }
    Set<String> undeclared = form.undeclared(new ArrayList<>(submission.variables().keySet()));
    if (!undeclared.isEmpty()) {
      return invalid("Not an input of the start form" + named(form) + ": " + String.join(", ", undeclared)
          + ". A start may set only the fields its form declares editable.", undeclared);
    }
    return missingAnswers(form, submission, Set.of(), "start");
  }

  /** The form's required answers must come with the request, as Tasklist would insist before it submits. */
  private static Refused missingAnswers(FormInputs form, Submission submission, Set<String> held, String what) {
    Set<String> answered = submission.answered();
    answered.addAll(held);
    Set<String> missing = form.missing(answered);
    if (missing.isEmpty()) {
      return null;
    }
    return invalid("Required by the form" + named(form) + " and missing or empty: " + String.join(", ", missing)
        + ". A " + what + " must answer every required field.", missing);
  }

  private static String named(FormInputs form) {
    return form.formId() == null ? "" : " (" + form.formId() + ")";
  }

  private static Set<String> unexpected(Submission submission, Set<String> allowed) {
    Set<String> out = new TreeSet<>(submission.bodyFields());
    out.removeAll(allowed);
    return out;
  }
}
