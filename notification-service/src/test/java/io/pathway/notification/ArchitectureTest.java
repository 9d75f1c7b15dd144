package io.pathway.notification;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.mail.javamail.JavaMailSender;

/** The module's boundaries, as rules over its classes (each rule matches classes; an empty rule fails). */
@AnalyzeClasses(packages = "io.pathway.notification", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule featurePackagesHaveNoCycles =
      slices().matching("io.pathway.notification.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule listenersLiveInIntakeAndStayThin = methods().that().areAnnotatedWith(KafkaListener.class)
      .should().beDeclaredInClassesThat().resideInAPackage("..intake..")
      .andShould().beDeclaredInClassesThat().haveSimpleNameEndingWith("Listeners");

  @ArchTest
  static final ArchRule listenersNeitherTouchTheDatabaseNorSend = noClasses().that().haveSimpleNameEndingWith("Listeners")
      .should().dependOnClassesThat().areAssignableTo(JdbcClient.class)
      .orShould().dependOnClassesThat().areAssignableTo(KafkaTemplate.class)
      .orShould().dependOnClassesThat().areAssignableTo(JavaMailSender.class);

  @ArchTest
  static final ArchRule nothingHereSendsToKafka = noClasses()
      .should().dependOnClassesThat().areAssignableTo(KafkaTemplate.class)
      .because("events go to the outbox; pathway-messaging's relay and dead-letter producer send");

  @ArchTest
  static final ArchRule onlyTheEmailSenderSendsMail = noClasses().that().doNotHaveSimpleName("EmailSender")
      .should().dependOnClassesThat().areAssignableTo(JavaMailSender.class);

  @ArchTest
  static final ArchRule channelsAreReachedOnlyThroughTheDeliveryWorker = classes().that().implement(
          "io.pathway.notification.delivery.ChannelSender")
      .should().onlyHaveDependentClassesThat().resideInAPackage("..delivery..");

  @ArchTest
  static final ArchRule noStandardStreams = GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS;

  @ArchTest
  static final ArchRule noJavaUtilLogging = GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;
}
