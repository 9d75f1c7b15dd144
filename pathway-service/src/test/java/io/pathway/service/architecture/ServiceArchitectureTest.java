package io.pathway.service.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The service's feature packages and which may use which; engine-specific code stays at the edges, so that a
 * compatible engine (Operaton) could replace Camunda; the packages form no cycle; only pathway-messaging sends to Kafka.
 */
class ServiceArchitectureTest {

  static JavaClasses classes;

  @BeforeAll
  static void load() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.pathway.service");
  }

  /** The inbox, the registry, the journal and the hospital's clock: transport and storage, no engine. */
  private static final String ENGINE_FREE =
      ".*\\.(InboundBatchConfig|InboundDispatcher|InboundListeners|Inbox|InboxController|InboxMatcher|PatientIdentities"
          + "|PathwayRegistry|Journal|JournaledOutbox|Applied|HospitalClock)(\\$.*)?";

  /**
   * The feature packages and what each may use, bottom up: a package uses only those below it, so the layout reads as
   * the architecture. {@code engine} is the edge to Camunda; {@code platform} settings, security, labels and the
   * hospital's clock; {@code records} what the service records and publishes (registry, journal, alerts, status); then
   * the clinical features; {@code intake}, {@code upgrade}, {@code views} and {@code fhir} sit on top and nothing uses
   * them.
   */
  static final Map<String, Set<String>> MAY_USE = Map.ofEntries(
      Map.entry("engine", Set.of()),
      Map.entry("platform", Set.of("engine")),
      Map.entry("records", Set.of("engine")),
      Map.entry("treatment", Set.of("engine", "platform", "records")),
      Map.entry("diagnostics", Set.of("engine", "platform", "records", "treatment")),
      Map.entry("redflag", Set.of("engine", "platform", "records")),
      Map.entry("enrolment", Set.of("engine", "platform", "records", "treatment", "redflag")),
      Map.entry("intake", Set.of("engine", "platform", "records", "treatment", "diagnostics", "redflag", "enrolment")),
      Map.entry("upgrade", Set.of("engine", "platform", "records", "redflag")),
      Map.entry("views", Set.of("engine", "platform", "records", "treatment", "redflag", "enrolment")),
      Map.entry("fhir", Set.of("engine", "platform", "records")));

  @Test
  void shouldHaveOnlyTheFeaturePackagesAndEachWithMoreThanOneClass() {
    Map<String, Long> sizes = classes.stream().filter(c -> !c.getPackageName().equals("io.pathway.service"))
        .filter(c -> c.getEnclosingClass().isEmpty())
        .collect(Collectors.groupingBy(c -> c.getPackageName().substring("io.pathway.service.".length()).split("\\.")[0],
            Collectors.counting()));

    assertThat(sizes.keySet()).isEqualTo(MAY_USE.keySet());
    assertThat(sizes).allSatisfy((feature, size) -> assertThat(size).as(feature).isGreaterThan(1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("features")
  void shouldUseOnlyThePackagesBelowIt(String feature) {
    List<String> forbidden = MAY_USE.keySet().stream().filter(other -> !other.equals(feature) && !MAY_USE.get(feature).contains(other))
        .map(other -> "io.pathway.service." + other + "..").toList();

    noClasses().that().resideInAPackage("io.pathway.service." + feature + "..")
        .should().dependOnClassesThat().resideInAnyPackage(forbidden.toArray(String[]::new))
        .because(feature + " may use only " + new TreeSet<>(MAY_USE.get(feature)))
        .check(classes);
  }

  static Stream<String> features() {
    return MAY_USE.keySet().stream().sorted();
  }

  @Test
  void shouldKeepTheEngineOutOfTransportStorageAndTheInbox() {
    assertThat(classes.stream().filter(c -> c.getName().matches(ENGINE_FREE))).as("the inbox, registry and journal classes")
        .anyMatch(c -> c.getSimpleName().equals("InboxMatcher")).hasSizeGreaterThan(8);
    noClasses().that().haveNameMatching(ENGINE_FREE)
        .should().dependOnClassesThat().resideInAnyPackage("org.camunda..")
        .because("only the engine edge, the delegates and the configuration know the engine")
        .check(classes);
  }

  @Test
  void shouldHaveNoPackageCycles() {
    slices().matching("io.pathway.service.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void shouldLetOnlyTheEngineEdgeTalkToTheRuntimeService() {
    noClasses().that().resideOutsideOfPackage("..service.engine..")
        .should().dependOnClassesThat().haveFullyQualifiedName("org.camunda.bpm.engine.RuntimeService")
        .check(classes);
  }

  @Test
  void shouldNeverSendToKafkaFromTheEngineTransaction() {
    noClasses().should().dependOnClassesThat().haveFullyQualifiedName("org.springframework.kafka.core.KafkaTemplate")
        .because("delegates write to the outbox (pathway-messaging's OutboxWriter, through records.JournaledOutbox); "
            + "only the module's relay and dead-letter producer send")
        .check(classes);
  }

  @Test
  void shouldJournalEveryEventThatGoesToTheOutbox() {
    noClasses().that().doNotHaveSimpleName("JournaledOutbox")
        .should().dependOnClassesThat().haveFullyQualifiedName("io.pathway.messaging.outbox.OutboxWriter")
        .because("the timeline shows every event the service published: JournaledOutbox writes both")
        .check(classes);
  }
}
