package io.pathway.messaging.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The module serves both services: no engine, no service code, no package cycles. */
class MessagingArchitectureTest {

  static final JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.pathway.messaging");

  @Test
  void shouldKnowNeitherTheEngineNorTheServices() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("org.camunda..", "io.pathway.service..", "io.pathway.notification..")
        .check(classes);
  }

  @Test
  void shouldHaveNoPackageCycles() {
    slices().matching("io.pathway.messaging.(*)..").should().beFreeOfCycles().check(classes);
  }
}
