package io.pathway.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathway.deploy.Manifests.TopicSpec;
import io.pathway.model.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each check of {@link Manifests} fails on a deliberately broken in-memory manifest, so that
 * DeployManifestsTest passing means something.
 */
class ManifestChecksTest {

  /** KafkaTopic documents for the whole contract, 12 partitions, 3 replicas. */
  private static String kafkaTopicsYaml() {
    return Manifests.contractTopics().stream().map(ManifestChecksTest::kafkaTopic).collect(Collectors.joining());
  }

  private static String kafkaTopic(String topic) {
    return kafkaTopic(topic, 12, 3);
  }

  private static String kafkaTopic(String topic, int partitions, int replicas) {
    return """
        ---
        apiVersion: kafka.strimzi.io/v1beta2
        kind: KafkaTopic
        metadata:
          name: %s
        spec:
          topicName: %s
          partitions: %d
          replicas: %d
        """.formatted(topic.toLowerCase(), topic, partitions, replicas);
  }

  private static List<String> k8sTopicProblems(String yaml) {
    List<String> problems = new ArrayList<>();
    Map<String, TopicSpec> topics = Manifests.kafkaTopics(Manifests.parseAll(yaml), problems);
    problems.addAll(Manifests.topicProblems("k8s", topics, 3));
    return problems;
  }

  @Test
  void shouldAcceptTopicsThatMatchTheContract() {
    assertThat(k8sTopicProblems(kafkaTopicsYaml())).isEmpty();
  }

  @Test
  void shouldReportAMissingTopic() {
    String yaml = kafkaTopicsYaml().replace("topicName: " + Topics.STATUS + "\n", "topicName: pathway.stat\n");

    assertThat(k8sTopicProblems(yaml))
        .anySatisfy(p -> assertThat(p).contains(Topics.STATUS, "missing"))
        .anySatisfy(p -> assertThat(p).contains("pathway.stat", "outside the contract"));
  }

  @Test
  void shouldReportAMissingDeadLetterTopic() {
    String dlt = Topics.dlt(Topics.ALERTS);
    String yaml = kafkaTopicsYaml().replace(kafkaTopic(dlt), "");

    assertThat(k8sTopicProblems(yaml)).singleElement().asString().contains(dlt, "missing");
  }

  @Test
  void shouldReportATopicOutsideTheContract() {
    String yaml = kafkaTopicsYaml() + kafkaTopic("pathway.patients");

    assertThat(k8sTopicProblems(yaml)).singleElement().asString().contains("pathway.patients", "outside the contract");
  }

  @Test
  void shouldReportADeadLetterTopicWithFewerPartitionsThanItsSource() {
    String dlt = Topics.dlt(Topics.DIAGNOSTIC_RESULTS);
    String yaml = kafkaTopicsYaml().replace(kafkaTopic(dlt), kafkaTopic(dlt, 6, 3));

    assertThat(k8sTopicProblems(yaml)).singleElement().asString().contains(dlt, "fewer than the 12");
  }

  @Test
  void shouldReportTheWrongReplicationFactor() {
    String yaml = kafkaTopicsYaml().replace(kafkaTopic(Topics.ORDERS), kafkaTopic(Topics.ORDERS, 12, 1));

    assertThat(k8sTopicProblems(yaml)).singleElement().asString().contains(Topics.ORDERS, "replicas 1");
  }

  @Test
  void shouldReportATopicDeclaredTwiceOrWithoutPartitions() {
    String yaml = kafkaTopicsYaml() + kafkaTopic(Topics.ORDERS)
        + kafkaTopic(Topics.REFERRALS).replace("  partitions: 12\n", "");

    assertThat(k8sTopicProblems(yaml))
        .anySatisfy(p -> assertThat(p).contains(Topics.ORDERS, "twice"))
        .anySatisfy(p -> assertThat(p).contains(Topics.REFERRALS, "no partitions"));
  }

  @Test
  void shouldReadComposeTopicsAndReportOneMissingOrWithoutPartitions() {
    StringBuilder command = new StringBuilder();
    for (String topic : Manifests.contractTopics()) {
      if (!topic.equals(Topics.ORDERS)) {
        command.append("kafka-topics.sh --create --topic ").append(topic).append(" --partitions 12\n");
      }
    }
    command.append("kafka-topics.sh --create --topic ").append(Topics.STATUS + "x").append('\n');
    Map<String, Object> compose = Map.of("services", Map.of("init", Map.of("command", List.of(command.toString()))));

    List<String> problems = new ArrayList<>();
    Map<String, TopicSpec> topics = Manifests.composeTopics(compose, problems);
    problems.addAll(Manifests.topicProblems("compose", topics, null));

    assertThat(topics).hasSize(Manifests.contractTopics().size() - 1);
    assertThat(problems)
        .anySatisfy(p -> assertThat(p).contains(Topics.ORDERS, "missing"))
        .anySatisfy(p -> assertThat(p).contains(Topics.STATUS + "x", "without --partitions"))
        .hasSize(2);
  }

  @Test
  void shouldReportAnAclOnATopicOutsideTheContract() {
    List<Map<String, Object>> docs = Manifests.parseAll("""
        kind: KafkaUser
        metadata: {name: pathway-service}
        spec:
          authorization:
            acls:
              - resource: {type: topic, name: pathway.orders, patternType: literal}
              - resource: {type: topic, name: hospital., patternType: prefix}
              - resource: {type: group, name: anything}
              - resource: {type: topic, name: hospital.patients, patternType: literal}
              - resource: {type: topic, name: billing., patternType: prefix}
        """);

    assertThat(Manifests.aclTopicProblems(docs))
        .containsExactly("KafkaUser pathway-service names topic hospital.patients outside the contract",
            "KafkaUser pathway-service names topic billing. outside the contract");
  }

  private static final String GOOD_DEPLOYMENT = """
      kind: Deployment
      metadata: {name: svc}
      spec:
        template:
          spec:
            containers:
              - name: app
                livenessProbe: {httpGet: {path: /actuator/health/liveness, port: management}}
                readinessProbe: {httpGet: {path: /actuator/health/readiness, port: management}}
                resources:
                  requests: {memory: 512Mi, cpu: 500m}
                  limits: {memory: 1Gi, cpu: "2"}
      """;

  @Test
  void shouldAcceptADeploymentWithProbesAndLimits() {
    assertThat(Manifests.deploymentProblems(Manifests.parseAll(GOOD_DEPLOYMENT))).isEmpty();
  }

  @Test
  void shouldReportADeploymentWithoutReadinessProbe() {
    String yaml = GOOD_DEPLOYMENT.replaceAll("(?m)^ *readinessProbe:.*\n", "");

    assertThat(Manifests.deploymentProblems(Manifests.parseAll(yaml)))
        .containsExactly("Deployment svc container app has no readinessProbe");
  }

  @Test
  void shouldReportADeploymentWithoutLivenessProbeOnTheManagementPort() {
    String yaml = GOOD_DEPLOYMENT.replace("liveness, port: management", "liveness, port: http");

    assertThat(Manifests.deploymentProblems(Manifests.parseAll(yaml)))
        .containsExactly("Deployment svc container app livenessProbe is not an HTTP check on the management port");
  }

  @Test
  void shouldReportADeploymentWithoutLimits() {
    String yaml = GOOD_DEPLOYMENT.replaceAll("(?m)^ *limits:.*\n", "");

    assertThat(Manifests.deploymentProblems(Manifests.parseAll(yaml)))
        .containsExactly("Deployment svc container app has no memory limits", "Deployment svc container app has no cpu limits");
  }

  @Test
  void shouldAcceptSecretReferencesAndRequiredInterpolation() {
    Map<String, Object> deployment = Manifests.parseAll("""
        kind: Deployment
        spec:
          env:
            - name: SPRING_DATASOURCE_PASSWORD
              valueFrom: {secretKeyRef: {name: db, key: password}}
            - name: SPRING_DATASOURCE_URL
              value: jdbc:postgresql://db:5432/pathway?sslmode=require
        basicAuth:
          password: {name: api, key: api-password}
        """).get(0);
    Map<String, Object> compose = Manifests.parseAll("""
        services:
          app:
            environment:
              PATHWAY_ADMIN_PASSWORD: ${PATHWAY_ADMIN_PASSWORD:?set it in .env}
              SPRING_DATASOURCE_PASSWORD: ${DB_PASSWORD}
        """).get(0);

    assertThat(Manifests.literalSecretProblems("k8s", deployment, false)).isEmpty();
    assertThat(Manifests.literalSecretProblems("compose", compose, false)).isEmpty();
  }

  @Test
  void shouldReportLiteralPasswords() {
    Map<String, Object> deployment = Manifests.parseAll("""
        kind: Deployment
        spec:
          env:
            - name: PATHWAY_ADMIN_PASSWORD
              value: admin
            - name: SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG
              value: org.apache.kafka.common.security.scram.ScramLoginModule required username="u";
            - name: SPRING_DATASOURCE_URL
              value: jdbc:postgresql://db:5432/pathway?user=pathway&password=s3cret
        """).get(0);
    Map<String, Object> compose = Manifests.parseAll("""
        services:
          app:
            environment:
              SPRING_DATASOURCE_PASSWORD: ${DB_PASSWORD:-pathway}
          db:
            environment:
              - POSTGRES_PASSWORD=postgres
        """).get(0);

    assertThat(Manifests.literalSecretProblems("k8s", deployment, false))
        .anySatisfy(p -> assertThat(p).contains("PATHWAY_ADMIN_PASSWORD has a literal value"))
        .anySatisfy(p -> assertThat(p).contains("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG has a literal value"))
        .anySatisfy(p -> assertThat(p).contains("a password written into a string"))
        .hasSize(3);
    assertThat(Manifests.literalSecretProblems("compose", compose, false))
        .anySatisfy(p -> assertThat(p).contains("SPRING_DATASOURCE_PASSWORD has a literal value"))
        .anySatisfy(p -> assertThat(p).contains("POSTGRES_PASSWORD has a literal value"))
        .hasSize(2);
  }

  @Test
  void shouldReportASecretInAnAppliedManifestAndAcceptPlaceholdersInTheTemplate() {
    Map<String, Object> secret = Manifests.parseAll("""
        kind: Secret
        metadata: {name: db}
        stringData:
          username: pathway
          password: CHANGE-ME
        """).get(0);
    Map<String, Object> realSecret = Manifests.parseAll("""
        kind: Secret
        stringData:
          password: hunter2
        """).get(0);

    assertThat(Manifests.literalSecretProblems("k8s/db.yaml", secret, false))
        .singleElement().asString().contains("Secrets never come from git");
    assertThat(Manifests.literalSecretProblems("secrets.example.yaml", secret, true)).isEmpty();
    assertThat(Manifests.literalSecretProblems("secrets.example.yaml", realSecret, true))
        .singleElement().asString().contains("password has a literal value");
  }

  @Test
  void shouldReportARealValueInTheEnvTemplate() {
    assertThat(Manifests.envTemplateProblems(".env.example", List.of(
            "# POSTGRES_PASSWORD=commented out", "PATHWAY_ADMIN_USER=admin", "POSTGRES_PASSWORD=CHANGE-ME",
            "PATHWAY_ADMIN_PASSWORD=admin")))
        .containsExactly(".env.example: PATHWAY_ADMIN_PASSWORD is not a CHANGE-ME placeholder");
  }

  @Test
  void shouldReportComposeServicesWithoutHealthChecksOrUnconditionalDependencies() {
    Map<String, Object> compose = Manifests.parseAll("""
        services:
          db:
            image: postgres:16
          init:
            restart: "no"
            depends_on:
              db: {condition: service_started}
          app:
            healthcheck: {test: ["CMD", "true"]}
            depends_on: [db]
          worker:
            healthcheck: {test: ["CMD", "true"]}
            depends_on:
              init: {condition: service_healthy}
        """).get(0);

    assertThat(Manifests.composeHealthProblems(compose)).containsExactly(
        "compose service db has no healthcheck",
        "compose service init should wait for db with condition service_healthy, not service_started",
        "compose service app depends_on without conditions",
        "compose service worker should wait for init with condition service_completed_successfully, not service_healthy");
  }

  @Test
  void shouldReportKustomizationEntriesThatDoNotExistAndManifestsItForgets(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("kustomization.yaml"), """
        resources:
          - namespace.yaml
          - gone.yaml
          - secrets.example.yaml
        configMapGenerator:
          - name: dashboard
            files:
              - monitoring/missing.json
        """);
    Files.writeString(dir.resolve("namespace.yaml"), "kind: Namespace\n");
    Files.writeString(dir.resolve("secrets.example.yaml"), "kind: Secret\n");
    Files.createDirectories(dir.resolve("extra"));
    Files.writeString(dir.resolve("extra/forgotten.yaml"), "kind: Service\n");

    assertThat(Manifests.kustomizationProblems(dir)).containsExactlyInAnyOrder(
        "kustomization.yaml lists gone.yaml, which does not exist",
        "kustomization.yaml lists the secrets template secrets.example.yaml",
        "kustomization.yaml lists monitoring/missing.json, which does not exist",
        "extra/forgotten.yaml is not listed in kustomization.yaml");
  }

  @Test
  void shouldRejectYamlThatDoesNotParseOrRepeatsAKey() {
    assertThatThrownBy(() -> Manifests.parseAll("kind: Service\n---\nspec: [unclosed\n"))
        .isInstanceOf(RuntimeException.class);
    assertThatThrownBy(() -> Manifests.parseAll("kind: Service\nkind: Deployment\n"))
        .isInstanceOf(RuntimeException.class);
    assertThat(Manifests.parseAll("---\nkind: A\n---\nkind: B\n---\n")).hasSize(2);
  }

  @Test
  void shouldReportAMetricWithoutADashboardPanel() {
    String json = """
        {"panels": [{"targets": [{"expr": "sum(rate(pathway_events_in_total[5m]))"}]},
                    {"targets": [{"expr": "histogram_quantile(0.99, rate(pathway_correlation_seconds_bucket[5m]))"}]}]}
        """;

    assertThat(Manifests.dashboardProblems(json,
            List.of("pathway_events_in_total", "pathway_correlation_seconds", "pathway_alerts_open")))
        .containsExactly("no dashboard panel queries pathway_alerts_open");
    assertThat(Manifests.dashboardProblems("{\"panels\": []}", List.of("pathway_alerts_open")))
        .contains("the dashboard has no panel with a query");
  }
}
