package io.pathway.service.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Engine-specific code stays at the edges, so that a compatible engine (Operaton) could replace Camunda. */
class ServiceArchitectureTest {

  static JavaClasses classes;

  @BeforeAll
  static void load() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.pathway.service");
  }

  @Test
  void shouldKeepTheEngineOutOfTransportStorageAndTheInbox() {
    assertThat(classes.stream().filter(c -> c.getPackageName().matches("io\\.pathway\\.service\\.(inbound|outbox|registry|journal)")))
        .hasSizeGreaterThan(8);
    noClasses().that().resideInAnyPackage("..service.inbound..", "..service.outbox..", "..service.registry..", "..service.journal..")
        .should().dependOnClassesThat().resideInAnyPackage("org.camunda..")
        .because("only the engine edge, the delegates and the configuration know the engine")
        .check(classes);
  }

  @Test
  void shouldLetOnlyTheEngineEdgeTalkToTheRuntimeService() {
    noClasses().that().resideOutsideOfPackage("..service.engine..")
        .should().dependOnClassesThat().haveFullyQualifiedName("org.camunda.bpm.engine.RuntimeService")
        .check(classes);
  }

  @Test
  void shouldNeverSendToKafkaFromTheEngineTransaction() {
    noClasses().that().resideOutsideOfPackages("..service.outbox..", "..service.config..")
        .should().dependOnClassesThat().haveFullyQualifiedName("org.springframework.kafka.core.KafkaTemplate")
        .because("delegates write to the outbox; only the relay (and the DLT recoverer) sends")
        .check(classes);
  }
}
