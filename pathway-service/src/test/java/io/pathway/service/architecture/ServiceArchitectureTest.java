package io.pathway.service.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Engine-specific code stays at the edges, so that a compatible engine (Operaton) could replace
 * Camunda; the packages form no cycle; only pathway-messaging sends to Kafka.
 */
class ServiceArchitectureTest {

  static JavaClasses classes;

  @BeforeAll
  static void load() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.pathway.service");
  }

  @Test
  void shouldKeepTheEngineOutOfTransportStorageAndTheInbox() {
    assertThat(classes.stream().filter(c -> c.getPackageName().matches("io\\.pathway\\.service\\.(inbound|registry|journal|event)")))
        .as("the inbox lives in inbound").anyMatch(c -> c.getSimpleName().equals("InboxMatcher"))
        .hasSizeGreaterThan(8);
    noClasses().that().resideInAnyPackage("..service.inbound..", "..service.registry..", "..service.journal..", "..service.event..")
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
        .because("delegates write to the outbox (pathway-messaging's OutboxWriter, through journal.JournaledOutbox); "
            + "only the module's relay and dead-letter producer send")
        .check(classes);
  }

  @Test
  void shouldJournalEveryEventThatGoesToTheOutbox() {
    noClasses().that().resideOutsideOfPackage("..service.journal..")
        .should().dependOnClassesThat().haveFullyQualifiedName("io.pathway.messaging.outbox.OutboxWriter")
        .because("the timeline shows every event the service published: JournaledOutbox writes both")
        .check(classes);
  }
}
