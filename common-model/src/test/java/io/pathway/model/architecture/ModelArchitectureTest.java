package io.pathway.model.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.GeneralCodingRules;
import io.pathway.model.EventTypes;
import io.pathway.model.envelope.EventCodec;
import io.pathway.model.events.EnrolmentRequested;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract module stays free of Spring and Camunda, so every service can use it. */
class ModelArchitectureTest {

  private static JavaClasses modelClasses;

  @BeforeAll
  static void importProductionClasses() {
    modelClasses = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.pathway.model");
  }

  @Test
  void shouldImportTheModelClasses() {
    assertThat(modelClasses).hasSizeGreaterThan(30);
    assertThat(modelClasses.contain(EventCodec.class)).isTrue();
    assertThat(modelClasses.contain(EnrolmentRequested.class)).isTrue();
    assertThat(modelClasses.contain(EventTypes.class)).isTrue();
  }

  @Test
  void shouldNotDependOnSpringOrCamunda() {
    noClasses().that().resideInAPackage("io.pathway.model..")
        .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "org.camunda..")
        .allowEmptyShould(false)
        .check(modelClasses);
  }

  @Test
  void shouldDetectAForbiddenDependencyWithTheSameRule() {
    // the rule's pattern really matches: the model does depend on Jackson, so the same rule over Jackson fails
    assertThatThrownBy(() -> noClasses().that().resideInAPackage("io.pathway.model..")
        .should().dependOnClassesThat().resideInAnyPackage("com.fasterxml.jackson..")
        .check(modelClasses))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void shouldNotWriteToStandardStreams() {
    GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS.allowEmptyShould(false).check(modelClasses);
  }
}
