package io.pathway.service.views;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a request to the engine REST API (under {@code /engine-rest} or the webapps' {@code /camunda/api/engine})
 * would do, as far as the declared-inputs rule cares: complete a task, start a process, write variables or move
 * tokens by another door (closed to all but administrators), or anything else.
 */
final class EngineRequests {

  sealed interface Kind permits TaskCompletion, Start, Closed, Other {}

  /** {@code /task/{id}/complete}, {@code /submit-form} or {@code /resolve}. */
  record TaskCompletion(String engine, String taskId) implements Kind {}

  /** {@code /process-definition/{id}/start|submit-form} or {@code /process-definition/key/{key}[/tenant-id/{t}]/...}. */
  record Start(String engine, String definitionId, String key, String tenantId, boolean submitForm) implements Kind {}

  record Closed(String what) implements Kind {}

  record Other() implements Kind {}

  private static final Pattern PREFIX = Pattern.compile(
      "^(?:/engine-rest(?:/engine/([^/]+))?|/camunda/api/engine/engine/([^/]+))(/.*)?$");
  private static final Pattern TASK_COMPLETION = Pattern.compile("^/task/([^/]+)/(complete|submit-form|resolve)/?$");
  private static final Pattern START_BY_KEY = Pattern.compile(
      "^/process-definition/key/([^/]+)(?:/tenant-id/([^/]+))?/(start|submit-form)/?$");
  private static final Pattern START_BY_ID = Pattern.compile("^/process-definition/([^/]+)/(start|submit-form)/?$");

  /** Doors that write variables, move tokens or change what runs; every method but GET/HEAD/OPTIONS. */
  private static final List<Pattern> CLOSED = List.of(
      // variables of tasks, instances and executions, one by one or in batches
      Pattern.compile("^/(task|process-instance|execution|case-instance|case-execution)/[^/]+/(variables|localVariables)(/.*)?$"),
      Pattern.compile("^/process-instance/variables-async/?$"),
      // what a task is (name, priority, due date, candidate groups and users): the model gives it, and only an
      // administrator may change it (PUT /task/{id}, identity links; DELETE /task/{id} is below)
      Pattern.compile("^/task/(?!count/?$)[^/]+/?$"),
      Pattern.compile("^/task/[^/]+/identity-links(/.*)?$"),
      // events that move tokens
      Pattern.compile("^/(message|signal|condition)(/.*)?$"),
      Pattern.compile("^/execution/[^/]+/(messageSubscriptions/.*|signal/?)$"),
      Pattern.compile("^/task/[^/]+/(bpmnError|bpmnEscalation)/?$"),
      // moving, migrating, restarting, suspending, deleting instances
      Pattern.compile("^/process-instance/[^/]+/(modification|modification-async|suspended)/?$"),
      Pattern.compile("^/process-instance/.+$"),
      Pattern.compile("^/(modification|migration|batch|job|job-definition|external-task|incident|deployment)/.+$"),
      Pattern.compile("^/process-definition/.+/(restart|restart-async|suspended|history-time-to-live)/?$"),
      Pattern.compile("^/(case-definition|case-instance|case-execution)/.+$"),
      Pattern.compile("^/history/.*(cleanup|delete|removal-time).*$"));

  private EngineRequests() {}

  static Kind classify(String method, String path) {
    Matcher prefix = PREFIX.matcher(path);
    if (!prefix.matches()) {
      return new Other();
    }
    String engine = prefix.group(1) != null ? prefix.group(1) : prefix.group(2) != null ? prefix.group(2) : "default";
    String rest = prefix.group(3) == null ? "/" : prefix.group(3);
    String m = method.toUpperCase(Locale.ROOT);
    if (m.equals("GET") || m.equals("HEAD") || m.equals("OPTIONS")) {
      return new Other();
    }
    Matcher task = TASK_COMPLETION.matcher(rest);
    if (task.matches()) {
      return new TaskCompletion(engine, task.group(1));
    }
    Matcher byKey = START_BY_KEY.matcher(rest);
    if (byKey.matches()) {
      return new Start(engine, null, byKey.group(1), byKey.group(2), byKey.group(3).equals("submit-form"));
    }
    Matcher byId = START_BY_ID.matcher(rest);
    if (byId.matches() && !byId.group(1).equals("key")) {
      return new Start(engine, byId.group(1), null, null, byId.group(2).equals("submit-form"));
    }
    if (m.equals("POST") && isQuery(rest)) {
      return new Other();
    }
    if (m.equals("DELETE") && rest.matches("^/(process-definition|decision-definition|decision-requirements-definition)/.+$")) {
      return new Closed(m + " " + rest);
    }
    for (Pattern closed : CLOSED) {
      if (closed.matcher(rest).matches()) {
        return new Closed(m + " " + rest);
      }
    }
    return new Other();
  }

  /** POST queries the Tasklist and Cockpit use on the closed roots (they change nothing). */
  private static boolean isQuery(String rest) {
    return rest.matches("^/(process-instance|job|external-task|incident|batch|deployment|case-instance|case-execution)(/count)?/?$");
  }
}
