package io.pathway.service.views;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * The variables a Camunda Form (form-js JSON) lets its user set: the top-level variable of every component
 * with a {@code key} that is neither disabled nor read-only, inside groups too; a group or dynamic list with a
 * {@code path} sets the variable its path starts with. Display-only fields are disabled, and form-js does
 * not submit disabled fields, so a Tasklist submission never carries more than this.
 * <p>
 * {@code required} holds the editable top-level fields the form marks {@code validate.required} and shows
 * unconditionally: Tasklist never submits the form without them, so a completion through the REST API must
 * carry them too, unless the task already holds a value for the field (Tasklist shows that value and submits
 * it back; the declared-inputs filter looks it up). A field under a {@code conditional} may be hidden, and form-js neither validates nor submits
 * a hidden field, so it is not required here.
 */
record FormInputs(String formId, Set<String> editable, Set<String> required) {

  static final FormInputs NONE = new FormInputs(null, Set.of(), Set.of());

  static FormInputs of(JsonNode form) {
    Set<String> editable = new TreeSet<>();
    Set<String> required = new TreeSet<>();
    collect(form.get("components"), editable, required, false);
    return new FormInputs(form.path("id").asText(null), Collections.unmodifiableSet(editable),
        Collections.unmodifiableSet(required));
  }

  /** The required fields the submission leaves out or sends without a value, sorted. */
  Set<String> missing(Set<String> answered) {
    Set<String> missing = new TreeSet<>(required);
    missing.removeAll(answered);
    return missing;
  }

  /** The submitted names the form does not declare editable, sorted. */
  Set<String> undeclared(Iterable<String> submitted) {
    Set<String> refused = new TreeSet<>();
    submitted.forEach(name -> {
      if (!editable.contains(name)) {
        refused.add(name);
      }
    });
    return refused;
  }

  private static void collect(JsonNode components, Set<String> out, Set<String> required, boolean conditional) {
    if (components == null || !components.isArray()) {
      return;
    }
    for (JsonNode c : components) {
      if (locked(c)) {
        continue;
      }
      boolean mayBeHidden = conditional || c.has("conditional");
      String path = c.path("path").asText("");
      if (c.has("components")) {
        if (path.isBlank()) {
          collect(c.get("components"), out, required, mayBeHidden);
        } else {
          Set<String> inner = new TreeSet<>();
          collect(c.get("components"), inner, new TreeSet<>(), true);
          if (!inner.isEmpty()) {
            out.add(topLevel(path));
          }
        }
        continue;
      }
      String key = c.path("key").asText("");
      if (!key.isBlank() && !"button".equals(c.path("type").asText())) {
        out.add(topLevel(key));
        if (!mayBeHidden && key.indexOf('.') < 0 && c.path("validate").path("required").asBoolean(false)) {
          required.add(key);
        }
      }
    }
  }

  /** Disabled or read-only for good; a condition ({@code "=..."}) may enable it, so it counts as editable. */
  private static boolean locked(JsonNode c) {
    return c.path("disabled").asBoolean(false) && c.path("disabled").isBoolean()
        || c.path("readonly").asBoolean(false) && c.path("readonly").isBoolean();
  }

  private static String topLevel(String keyOrPath) {
    int dot = keyOrPath.indexOf('.');
    return dot < 0 ? keyOrPath : keyOrPath.substring(0, dot);
  }
}
