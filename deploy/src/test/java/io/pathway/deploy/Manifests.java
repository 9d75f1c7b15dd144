package io.pathway.deploy;

import io.pathway.model.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads the deploy manifests and checks them against the event contract. Every check returns
 * the problems it found (empty when all is well), so that a test can show each check failing on
 * a deliberately broken manifest as well as passing on the real ones.
 */
final class Manifests {

  /** Names whose values are credentials: they must come from a Secret or the environment. */
  static final Pattern SENSITIVE_NAME =
      Pattern.compile("(?i).*(password|passwd|jaas|secret_key|webhook_secret|token|private_key).*");

  /** A credential inside a longer string, e.g. a JDBC URL or a JAAS line. */
  private static final Pattern INLINE_PASSWORD =
      Pattern.compile("(?i)password\\s*=\\s*\"?([^\\s\";&]+)");

  /** Compose interpolation that fails when the variable is unset: no default value. */
  private static final Pattern REQUIRED_INTERPOLATION =
      Pattern.compile("^\\$\\{[A-Za-z_][A-Za-z0-9_]*(:?\\?[^}]*)?}$");

  private static final Pattern TOPIC_ARG = Pattern.compile("--topic[\\s=]+(\\S+)");
  private static final Pattern PARTITIONS_ARG = Pattern.compile("--partitions[\\s=]+(\\d+)");

  private Manifests() {}

  /** The deploy module's directory: Maven's basedir, else the working directory. */
  static Path moduleDir() {
    Path dir = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    if (!Files.isDirectory(dir.resolve("k8s")) && Files.isDirectory(dir.resolve("deploy/k8s"))) {
      dir = dir.resolve("deploy");
    }
    return dir.toAbsolutePath();
  }

  // ---------------------------------------------------------------- reading

  static Yaml yaml() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    return new Yaml(new SafeConstructor(options));
  }

  /** Every document of a YAML text; empty documents (a leading or trailing `---`) are dropped. */
  static List<Map<String, Object>> parseAll(String text) {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object doc : yaml().loadAll(text)) {
      if (doc == null) {
        continue;
      }
      if (!(doc instanceof Map<?, ?>)) {
        throw new IllegalArgumentException("a document is not a mapping: " + doc);
      }
      docs.add(asMap(doc));
    }
    return docs;
  }

  static List<Map<String, Object>> parseAll(Path file) {
    try {
      return parseAll(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every YAML file under a directory, build output excluded. */
  static List<Path> yamlFiles(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .filter(p -> !dir.relativize(p).startsWith("target"))
          .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The resource files a kustomization lists (resources and generator files), as paths. */
  static List<String> kustomizationFiles(Map<String, Object> kustomization) {
    List<String> files = new ArrayList<>(strings(kustomization.get("resources")));
    for (Object generator : list(kustomization.get("configMapGenerator"))) {
      files.addAll(strings(asMap(generator).get("files")));
    }
    for (Object generator : list(kustomization.get("secretGenerator"))) {
      files.addAll(strings(asMap(generator).get("files")));
    }
    return files.stream().map(f -> f.contains("=") ? f.substring(f.indexOf('=') + 1) : f).toList();
  }

  /** Every document of every YAML resource the kustomization lists. */
  static List<Map<String, Object>> kustomizedDocuments(Path k8sDir) {
    Map<String, Object> kustomization = parseAll(k8sDir.resolve("kustomization.yaml")).get(0);
    List<Map<String, Object>> docs = new ArrayList<>();
    for (String file : strings(kustomization.get("resources"))) {
      docs.addAll(parseAll(k8sDir.resolve(file)));
    }
    return docs;
  }

  static List<Map<String, Object>> ofKind(List<Map<String, Object>> docs, String kind) {
    return docs.stream().filter(d -> kind.equals(d.get("kind"))).toList();
  }

  // ---------------------------------------------------------------- topics

  /** A topic as a manifest declares it; replicas is null where the manifest does not say. */
  record TopicSpec(String name, int partitions, Integer replicas) {}

  /** The topics of Strimzi KafkaTopic resources, by topic name (spec.topicName, else the name). */
  static Map<String, TopicSpec> kafkaTopics(List<Map<String, Object>> docs, List<String> problems) {
    Map<String, TopicSpec> topics = new LinkedHashMap<>();
    for (Map<String, Object> doc : ofKind(docs, "KafkaTopic")) {
      Map<String, Object> spec = asMap(doc.get("spec"));
      Object topicName = spec.get("topicName");
      String name = topicName != null ? topicName.toString() : str(asMap(doc.get("metadata")).get("name"));
      if (!(spec.get("partitions") instanceof Integer partitions)) {
        problems.add("KafkaTopic " + name + " has no partitions");
        continue;
      }
      Integer replicas = spec.get("replicas") instanceof Integer r ? r : null;
      if (topics.put(name, new TopicSpec(name, partitions, replicas)) != null) {
        problems.add("KafkaTopic " + name + " is declared twice");
      }
    }
    return topics;
  }

  /**
   * The topics the compose file creates: each `kafka-topics.sh ... --topic T --partitions N` line
   * in the command of a compose service.
   */
  static Map<String, TopicSpec> composeTopics(Map<String, Object> compose, List<String> problems) {
    Map<String, TopicSpec> topics = new LinkedHashMap<>();
    for (Map.Entry<String, Object> service : asMap(compose.get("services")).entrySet()) {
      Object command = asMap(service.getValue()).get("command");
      String text = command instanceof List<?> parts ? String.join("\n", strings(parts)) : str(command);
      for (String line : text.split("\n")) {
        Matcher topic = TOPIC_ARG.matcher(line);
        if (!topic.find()) {
          continue;
        }
        Matcher partitions = PARTITIONS_ARG.matcher(line);
        if (!partitions.find()) {
          problems.add("compose service " + service.getKey() + " creates " + topic.group(1) + " without --partitions");
          continue;
        }
        String name = topic.group(1);
        if (topics.put(name, new TopicSpec(name, Integer.parseInt(partitions.group(1)), null)) != null) {
          problems.add("compose creates " + name + " twice");
        }
      }
    }
    return topics;
  }

  /** The topics of the event contract: every topic and the DLT of each topic that has one. */
  static Set<String> contractTopics() {
    Set<String> topics = new LinkedHashSet<>(Topics.all());
    Topics.withDeadLetter().forEach(t -> topics.add(Topics.dlt(t)));
    return topics;
  }

  /**
   * Checks declared topics against the contract: every contract topic declared, nothing else,
   * partitions positive, every DLT with at least as many partitions as its source (spec S9),
   * and, when expectedReplicas is given, that replication factor on each.
   */
  static List<String> topicProblems(String where, Map<String, TopicSpec> declared, Integer expectedReplicas) {
    List<String> problems = new ArrayList<>();
    Set<String> contract = contractTopics();
    for (String topic : contract) {
      if (!declared.containsKey(topic)) {
        problems.add(where + ": topic " + topic + " of the contract is missing");
      }
    }
    for (TopicSpec spec : declared.values()) {
      if (!contract.contains(spec.name())) {
        problems.add(where + ": topic " + spec.name() + " is outside the contract");
      }
      if (spec.partitions() < 1) {
        problems.add(where + ": topic " + spec.name() + " has " + spec.partitions() + " partitions");
      }
      if (expectedReplicas != null && !expectedReplicas.equals(spec.replicas())) {
        problems.add(where + ": topic " + spec.name() + " has replicas " + spec.replicas() + ", expected " + expectedReplicas);
      }
    }
    for (String source : Topics.withDeadLetter()) {
      TopicSpec sourceSpec = declared.get(source);
      TopicSpec dltSpec = declared.get(Topics.dlt(source));
      if (sourceSpec != null && dltSpec != null && dltSpec.partitions() < sourceSpec.partitions()) {
        problems.add(where + ": " + dltSpec.name() + " has " + dltSpec.partitions()
            + " partitions, fewer than the " + sourceSpec.partitions() + " of " + source);
      }
    }
    return problems;
  }

  /** Every literal topic a KafkaUser ACL names must be a topic of the contract. */
  static List<String> aclTopicProblems(List<Map<String, Object>> docs) {
    List<String> problems = new ArrayList<>();
    Set<String> contract = contractTopics();
    for (Map<String, Object> user : ofKind(docs, "KafkaUser")) {
      String userName = str(asMap(user.get("metadata")).get("name"));
      Map<String, Object> authorization = asMap(asMap(user.get("spec")).get("authorization"));
      for (Object acl : list(authorization.get("acls"))) {
        Map<String, Object> resource = asMap(asMap(acl).get("resource"));
        if (!"topic".equals(resource.get("type"))) {
          continue;
        }
        String name = str(resource.get("name"));
        boolean prefix = "prefix".equals(resource.get("patternType"));
        boolean known = prefix ? contract.stream().anyMatch(t -> t.startsWith(name)) : contract.contains(name);
        if (!known) {
          problems.add("KafkaUser " + userName + " names topic " + name + " outside the contract");
        }
      }
    }
    return problems;
  }

  // ---------------------------------------------------------------- workloads

  /** Every container of every Deployment has liveness and readiness probes and resource limits. */
  static List<String> deploymentProblems(List<Map<String, Object>> docs) {
    List<String> problems = new ArrayList<>();
    for (Map<String, Object> deployment : ofKind(docs, "Deployment")) {
      String name = str(asMap(deployment.get("metadata")).get("name"));
      Map<String, Object> podSpec = asMap(asMap(asMap(deployment.get("spec")).get("template")).get("spec"));
      List<Object> containers = list(podSpec.get("containers"));
      if (containers.isEmpty()) {
        problems.add("Deployment " + name + " has no containers");
      }
      for (Object c : containers) {
        Map<String, Object> container = asMap(c);
        String where = "Deployment " + name + " container " + container.get("name");
        for (String probe : List.of("livenessProbe", "readinessProbe")) {
          Map<String, Object> spec = asMap(container.get(probe));
          if (spec.isEmpty()) {
            problems.add(where + " has no " + probe);
          } else if (!"management".equals(asMap(spec.get("httpGet")).get("port"))) {
            problems.add(where + " " + probe + " is not an HTTP check on the management port");
          }
        }
        Map<String, Object> resources = asMap(container.get("resources"));
        for (String kind : List.of("limits", "requests")) {
          Map<String, Object> amounts = asMap(resources.get(kind));
          for (String resource : List.of("memory", "cpu")) {
            if (amounts.get(resource) == null) {
              problems.add(where + " has no " + resource + " " + kind);
            }
          }
        }
      }
    }
    return problems;
  }

  /** Every long-running compose service has a health check; dependencies wait for it. */
  static List<String> composeHealthProblems(Map<String, Object> compose) {
    List<String> problems = new ArrayList<>();
    Map<String, Object> services = asMap(compose.get("services"));
    for (Map.Entry<String, Object> entry : services.entrySet()) {
      Map<String, Object> service = asMap(entry.getValue());
      boolean oneShot = "no".equals(str(service.get("restart")));
      if (!oneShot && asMap(service.get("healthcheck")).isEmpty()) {
        problems.add("compose service " + entry.getKey() + " has no healthcheck");
      }
      Object dependsOn = service.get("depends_on");
      if (dependsOn instanceof List<?>) {
        problems.add("compose service " + entry.getKey() + " depends_on without conditions");
        continue;
      }
      for (Map.Entry<String, Object> dependency : asMap(dependsOn).entrySet()) {
        Object condition = asMap(dependency.getValue()).get("condition");
        boolean dependencyIsOneShot = "no".equals(str(asMap(services.get(dependency.getKey())).get("restart")));
        String expected = dependencyIsOneShot ? "service_completed_successfully" : "service_healthy";
        if (!expected.equals(condition)) {
          problems.add("compose service " + entry.getKey() + " should wait for " + dependency.getKey()
              + " with condition " + expected + ", not " + condition);
        }
      }
    }
    return problems;
  }

  // ---------------------------------------------------------------- secrets

  static boolean isPlaceholder(String value) {
    return value.toUpperCase().contains("CHANGE-ME") || value.toUpperCase().contains("CHANGE_ME");
  }

  private static boolean isAllowedSecretValue(String value) {
    return isPlaceholder(value) || REQUIRED_INTERPOLATION.matcher(value.trim()).matches();
  }

  /**
   * Credentials in a manifest: a Kubernetes env var or a map entry named like a credential with
   * a literal value, or `password=` inside a string. Allowed are references (secretKeyRef and
   * the like are maps, not literals), compose interpolation without a default, and CHANGE-ME
   * placeholders. A Secret with data belongs in secrets.example.yaml only, never in a manifest
   * that is applied, so `allowSecrets` is false for those.
   */
  static List<String> literalSecretProblems(String where, Map<String, Object> doc, boolean allowSecrets) {
    List<String> problems = new ArrayList<>();
    if (!allowSecrets && "Secret".equals(doc.get("kind"))) {
      problems.add(where + ": a Secret in an applied manifest; Secrets never come from git");
    }
    walk(where, doc, problems);
    return problems;
  }

  private static void walk(String path, Object node, List<String> problems) {
    if (node instanceof Map<?, ?> map) {
      Object name = map.get("name");
      Object value = map.get("value");
      if (name instanceof String envName && isScalar(value)
          && SENSITIVE_NAME.matcher(envName).matches() && !isAllowedSecretValue(value.toString())) {
        problems.add(path + ": " + envName + " has a literal value");
      }
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        String key = String.valueOf(entry.getKey());
        Object child = entry.getValue();
        if (isScalar(child) && SENSITIVE_NAME.matcher(key).matches() && !isAllowedSecretValue(child.toString())) {
          problems.add(path + "." + key + " has a literal value");
        }
        walk(path + "." + key, child, problems);
      }
    } else if (node instanceof List<?> items) {
      for (int i = 0; i < items.size(); i++) {
        walk(path + "[" + i + "]", items.get(i), problems);
      }
    } else if (node instanceof String text) {
      // environment lists of compose ("KEY=value") and URLs or JAAS lines with a password in them
      int eq = text.indexOf('=');
      if (eq > 0 && !text.contains("\n") && SENSITIVE_NAME.matcher(text.substring(0, eq)).matches()
          && text.substring(0, eq).matches("[A-Za-z_][A-Za-z0-9_.]*")
          && !isAllowedSecretValue(text.substring(eq + 1))) {
        problems.add(path + ": " + text.substring(0, eq) + " has a literal value");
        return;
      }
      Matcher inline = INLINE_PASSWORD.matcher(text);
      while (inline.find()) {
        String value = inline.group(1);
        if (!value.startsWith("${") && !value.startsWith("$$") && !isPlaceholder(value)) {
          problems.add(path + ": a password written into a string");
        }
      }
    }
  }

  /** Lines of a dotenv template: every credential must be a placeholder. */
  static List<String> envTemplateProblems(String where, List<String> lines) {
    List<String> problems = new ArrayList<>();
    for (String line : lines) {
      String trimmed = line.trim();
      int eq = trimmed.indexOf('=');
      if (trimmed.isEmpty() || trimmed.startsWith("#") || eq < 0) {
        continue;
      }
      String key = trimmed.substring(0, eq);
      if (SENSITIVE_NAME.matcher(key).matches() && !isPlaceholder(trimmed.substring(eq + 1))) {
        problems.add(where + ": " + key + " is not a CHANGE-ME placeholder");
      }
    }
    return problems;
  }

  // ---------------------------------------------------------------- kustomize and dashboard

  /**
   * The kustomization lists only files that exist, lists every manifest of the directory (none
   * forgotten), and does not list secrets.example.yaml.
   */
  static List<String> kustomizationProblems(Path k8sDir) {
    List<String> problems = new ArrayList<>();
    Map<String, Object> kustomization = parseAll(k8sDir.resolve("kustomization.yaml")).get(0);
    List<String> listed = kustomizationFiles(kustomization);
    for (String file : listed) {
      if (!Files.isRegularFile(k8sDir.resolve(file))) {
        problems.add("kustomization.yaml lists " + file + ", which does not exist");
      }
      if (file.endsWith("secrets.example.yaml")) {
        problems.add("kustomization.yaml lists the secrets template " + file);
      }
    }
    for (Path file : yamlFiles(k8sDir)) {
      String relative = k8sDir.relativize(file).toString().replace('\\', '/');
      if (!relative.equals("kustomization.yaml") && !relative.equals("secrets.example.yaml")
          && !listed.contains(relative)) {
        problems.add(relative + " is not listed in kustomization.yaml");
      }
    }
    return problems;
  }

  /** The dashboard is a Grafana dashboard with panels that query every given metric. */
  static List<String> dashboardProblems(String json, List<String> metrics) {
    List<String> problems = new ArrayList<>();
    Map<String, Object> dashboard = asMap(yaml().load(json));
    List<String> exprs = new ArrayList<>();
    for (Object panel : list(dashboard.get("panels"))) {
      for (Object target : list(asMap(panel).get("targets"))) {
        exprs.add(str(asMap(target).get("expr")));
      }
    }
    if (exprs.isEmpty()) {
      problems.add("the dashboard has no panel with a query");
    }
    for (String metric : metrics) {
      if (exprs.stream().noneMatch(e -> Pattern.compile("\\b" + metric + "(_bucket|_count|_sum)?\\b").matcher(e).find())) {
        problems.add("no dashboard panel queries " + metric);
      }
    }
    return problems;
  }

  // ---------------------------------------------------------------- helpers

  @SuppressWarnings("unchecked")
  static Map<String, Object> asMap(Object node) {
    return node instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object node) {
    return node instanceof List<?> items ? (List<Object>) items : List.of();
  }

  static List<String> strings(Object node) {
    return list(node).stream().map(Manifests::str).toList();
  }

  static String str(Object node) {
    return node == null ? "" : Objects.toString(node);
  }

  /** A value that could be a credential: strings and numbers, not booleans or structures. */
  private static boolean isScalar(Object node) {
    return node instanceof String || node instanceof Number;
  }
}
