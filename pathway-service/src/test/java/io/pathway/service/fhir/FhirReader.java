package io.pathway.service.fhir;

import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BasicAuthInterceptor;
import ca.uhn.fhir.validation.FhirValidator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * A hospital's system reading /fhir: HAPI's generic client with a user's login, and the one HAPI
 * validator the tests share (its first use loads the R4 specification, tens of seconds).
 */
final class FhirReader {

  static final String PATIENT_SYSTEM = "https://pathway.io/fhir/sid/patient-ref";
  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static FhirValidator validator;

  private FhirReader() {}

  static FhirContext fhir() {
    return FHIR;
  }

  /** A client of {@code base} (…/fhir) as {@code user} (password = user id, the test profile's role users). */
  static IGenericClient client(String base, String user) {
    FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    IGenericClient client = FHIR.newRestfulGenericClient(base);
    client.registerInterceptor(new BasicAuthInterceptor(user, user));
    return client;
  }

  /** The base R4 specification's validator (structure, cardinality, invariants, required bindings). */
  static synchronized FhirValidator validator() {
    if (validator == null) {
      ValidationSupportChain chain = new ValidationSupportChain(new DefaultProfileValidationSupport(FHIR),
          new SnapshotGeneratingValidationSupport(FHIR), new InMemoryTerminologyServerValidationSupport(FHIR),
          new CommonCodeSystemsTerminologyService(FHIR));
      validator = FHIR.newValidator().registerValidatorModule(new FhirInstanceValidator(chain));
    }
    return validator;
  }

  /** Every resource of a search for the patient, all pages followed. */
  static <T extends Resource> List<T> all(IGenericClient client, Class<T> type, String patientRef) {
    Bundle page = client.search().forResource(type).where(new ca.uhn.fhir.rest.gclient.TokenClientParam("patient:identifier")
        .exactly().systemAndCode(PATIENT_SYSTEM, patientRef)).returnBundle(Bundle.class).execute();
    List<T> out = new ArrayList<>();
    while (true) {
      page.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).filter(type::isInstance).map(type::cast).forEach(out::add);
      if (page.getLink(Bundle.LINK_NEXT) == null) {
        return out;
      }
      page = client.loadPage().next(page).execute();
    }
  }

  /** Waits until the patient's resources of a type satisfy {@code condition}; returns them. */
  static <T extends Resource> List<T> awaitAll(IGenericClient client, Class<T> type, String patientRef, Predicate<List<T>> condition) {
    return await().atMost(Duration.ofSeconds(30)).until(() -> all(client, type, patientRef), condition);
  }
}
