package io.pathway.deploy;

import static io.pathway.deploy.Manifests.asMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.pathway.deploy.Manifests.TopicSpec;
import io.pathway.model.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The manifests under deploy/ against the event contract (common-model {@link Topics}) and the
 * operational rules: Kafka topics in Kubernetes and in compose never drift from the contract,
 * workloads have probes and limits, and no credential is written into a manifest.
 */
class DeployManifestsTest {

  private static final Path DEPLOY = Manifests.moduleDir();
  private static final Path K8S = DEPLOY.resolve("k8s");
  private static final Path COMPOSE = DEPLOY.resolve("compose/compose.yaml");

  static Stream<Path> yamlFiles() {
    return Manifests.yamlFiles(DEPLOY).stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("yamlFiles")
  @DisplayName("every YAML file under deploy/ parses, every document of it")
  void shouldParseEveryYamlFile(Path file) {
    assertThatCode(() -> Manifests.parseAll(file)).doesNotThrowAnyException();
    assertThat(Manifests.parseAll(file)).as(file + " has documents").isNotEmpty();
  }

  @Test
  void shouldFindTheManifests() {
    assertThat(Manifests.yamlFiles(DEPLOY))
        .extracting(p -> DEPLOY.relativize(p).toString().replace('\\', '/'))
        .contains("compose/compose.yaml", "k8s/kustomization.yaml", "k8s/kafka/kafka-topics.yaml",
            "k8s/secrets.example.yaml");
  }

  @Test
  void shouldDeclareAKafkaTopicForEveryTopicAndDeadLetterTopicOfTheContract() {
    List<String> problems = new ArrayList<>();
    Map<String, TopicSpec> topics = Manifests.kafkaTopics(Manifests.kustomizedDocuments(K8S), problems);

    problems.addAll(Manifests.topicProblems("k8s", topics, 3));

    assertThat(problems).isEmpty();
    assertThat(topics).hasSize(Topics.all().size() + Topics.withDeadLetter().size());
    assertThat(topics.values()).allSatisfy(t -> assertThat(t.partitions()).isEqualTo(12));
  }

  @Test
  void shouldCreateEveryTopicAndDeadLetterTopicOfTheContractInCompose() {
    List<String> problems = new ArrayList<>();
    Map<String, TopicSpec> topics = Manifests.composeTopics(Manifests.parseAll(COMPOSE).get(0), problems);

    problems.addAll(Manifests.topicProblems("compose", topics, null));

    assertThat(problems).isEmpty();
    assertThat(topics.keySet()).containsExactlyInAnyOrderElementsOf(Manifests.contractTopics());
  }

  @Test
  void shouldGivePartitionsAlikeInComposeAndKubernetes() {
    List<String> problems = new ArrayList<>();
    Map<String, TopicSpec> k8s = Manifests.kafkaTopics(Manifests.kustomizedDocuments(K8S), problems);
    Map<String, TopicSpec> compose = Manifests.composeTopics(Manifests.parseAll(COMPOSE).get(0), problems);

    assertThat(problems).isEmpty();
    k8s.forEach((name, spec) ->
        assertThat(compose.get(name)).as(name).extracting(TopicSpec::partitions).isEqualTo(spec.partitions()));
  }

  @Test
  void shouldNameOnlyContractTopicsInKafkaUserAcls() {
    assertThat(Manifests.aclTopicProblems(Manifests.kustomizedDocuments(K8S))).isEmpty();
    assertThat(Manifests.ofKind(Manifests.kustomizedDocuments(K8S), "KafkaUser")).hasSize(2);
  }

  @Test
  void shouldGiveEveryDeploymentProbesAndResourceLimits() {
    List<Map<String, Object>> docs = Manifests.kustomizedDocuments(K8S);

    assertThat(Manifests.deploymentProblems(docs)).isEmpty();
    assertThat(Manifests.ofKind(docs, "Deployment"))
        .extracting(d -> asMap(d.get("metadata")).get("name") + "=" + asMap(d.get("spec")).get("replicas"))
        .containsExactlyInAnyOrder("pathway-service=3", "notification-service=2");
  }

  @Test
  void shouldGiveEveryComposeServiceAHealthCheckAndWaitForHealthyDependencies() {
    assertThat(Manifests.composeHealthProblems(Manifests.parseAll(COMPOSE).get(0))).isEmpty();
  }

  @Test
  void shouldWriteNoCredentialIntoAnyManifest() throws IOException {
    List<String> problems = new ArrayList<>();
    for (Path file : Manifests.yamlFiles(DEPLOY)) {
      String where = DEPLOY.relativize(file).toString().replace('\\', '/');
      boolean template = file.getFileName().toString().equals("secrets.example.yaml");
      for (Map<String, Object> doc : Manifests.parseAll(file)) {
        problems.addAll(Manifests.literalSecretProblems(where, doc, template));
      }
    }
    problems.addAll(Manifests.envTemplateProblems(".env.example",
        Files.readAllLines(DEPLOY.resolve("compose/.env.example"))));

    assertThat(problems).isEmpty();
  }

  @Test
  void shouldKeepTheRealComposeSecretsOutOfGit() throws IOException {
    assertThat(Files.readAllLines(DEPLOY.resolve("compose/.gitignore"))).contains(".env");
  }

  @Test
  void shouldListOnlyExistingFilesAndEveryManifestInTheKustomization() {
    assertThat(Manifests.kustomizationProblems(K8S)).isEmpty();
  }

  @Test
  void shouldChartEveryPathwayMetricOnTheDashboard() throws IOException {
    String json = Files.readString(K8S.resolve("monitoring/pathway-dashboard.json"));

    assertThat(Manifests.dashboardProblems(json, List.of(
            "pathway_events_in_total", "pathway_dlt_records_total", "pathway_inbox_pending",
            "pathway_inbox_oldest_age_seconds", "pathway_outbox_pending", "pathway_outbox_lag_seconds",
            "pathway_correlation_seconds", "pathway_alerts_open", "notification_deliveries_total")))
        .isEmpty();
  }
}
