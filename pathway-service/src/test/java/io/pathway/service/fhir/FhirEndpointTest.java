package io.pathway.service.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.gclient.TokenClientParam;
import io.pathway.bpmn.PathwayModel.Tasks;
import io.pathway.model.Topics;
import io.pathway.model.codes.ImagingFinding;
import io.pathway.model.codes.PainPattern;
import io.pathway.model.codes.RedFlag;
import io.pathway.model.codes.SteroidKind;
import io.pathway.model.events.EnrolmentRequested;
import io.pathway.model.events.FollowUpRecorded;
import io.pathway.model.events.SteroidTreatment;
import io.pathway.service.PathwayServiceTest;
import io.pathway.service.support.Hospital;
import io.pathway.service.support.JourneyTest;
import io.pathway.service.support.Tasklist;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/** /fhir as a hospital's system reads it: access, the CapabilityStatement, searches, paging, versions and conditional reads. */
@PathwayServiceTest
class FhirEndpointTest extends JourneyTest {

  IGenericClient clinician;
  @org.springframework.beans.factory.annotation.Autowired
  org.camunda.bpm.engine.IdentityService identity;

  @BeforeEach
  void client() {
    clinician = FhirReader.client(rest.getRootUri() + "/fhir", Tasklist.CLINICIAN);
  }

  EnrolmentRequested enrolment(String patientRef, List<RedFlag> flags) {
    LocalDate date = LocalDate.now().minusDays(28);
    return new EnrolmentRequested("REF-" + patientRef, patientRef, new SteroidTreatment(SteroidKind.EPIDURAL_STEROID_INJECTION, date, true, true),
        PainPattern.RADICULAR, 7, false, List.of(ImagingFinding.DISC_DEGENERATION), 2, flags, date.minusMonths(3));
  }

  CarePlan carePlan(String patientRef, java.util.function.Predicate<CarePlan> condition) {
    return FhirReader.awaitAll(clinician, CarePlan.class, patientRef, l -> l.size() == 1 && condition.test(l.get(0))).get(0);
  }

  @Test
  void shouldRefuseAnonymousCallsAndDescribeWhatIsServed() {
    assertThat(rest.getForEntity("/fhir/metadata", String.class).getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(rest.getForEntity("/fhir/CarePlan?patient:identifier=x", String.class).getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    // (an unknown user: a wrong password would lock the clinician's account for a while, Camunda's login throttling)
    assertThat(rest.withBasicAuth("nobody", "nobody").getForEntity("/fhir/metadata", String.class).getStatusCode())
        .isEqualTo(HttpStatus.UNAUTHORIZED);

    // an account that may not read pathways (an operator: metrics and the inbox only) is refused
    if (identity.createUserQuery().userId("fhir-operator").count() == 0) {
      org.camunda.bpm.engine.identity.User operator = identity.newUser("fhir-operator");
      operator.setPassword("fhir-operator-password");
      identity.saveUser(operator);
      identity.createMembership("fhir-operator", "pathway-operators");
    }
    assertThat(rest.withBasicAuth("fhir-operator", "fhir-operator-password").getForEntity("/fhir/metadata", String.class)
        .getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);

    CapabilityStatement capabilities = clinician.capabilities().ofType(CapabilityStatement.class).execute();

    List<CapabilityStatement.CapabilityStatementRestResourceComponent> resources = capabilities.getRestFirstRep().getResource();
    assertThat(resources).extracting(CapabilityStatement.CapabilityStatementRestResourceComponent::getType)
        .contains("CarePlan", "ServiceRequest", "Task", "Flag", "Communication", "Provenance").doesNotContain("Patient");
    assertThat(resources).filteredOn(r -> !r.getType().equals("OperationDefinition")).allSatisfy(r -> {
      assertThat(r.getInteraction()).extracting(i -> i.getCode().toCode()).containsExactlyInAnyOrder("read", "search-type");
      assertThat(r.getSearchParam()).extracting(CapabilityStatement.CapabilityStatementRestResourceSearchParamComponent::getName)
          .contains("patient", "_id", "_lastUpdated");
    });
    assertThat(resources.stream().filter(r -> r.getType().equals("CarePlan")).findFirst().orElseThrow().getSearchInclude())
        .extracting(s -> s.getValue()).contains("CarePlan:activity-reference");
  }

  @Test
  void shouldGiveANewVersionWhenThePathwayChangesAndOnlyThen() {
    Hospital.send(Topics.PATHWAY_ENROLMENTS, enrolment(patient, List.of()));
    carePlan(patient, c -> c.getDescription().contains("RESPONSE_ASSESSMENT"));
    // the enrolment's own work done (its continuations run, their changes projected): from here nothing changes it
    String pathwayId = jdbc.queryForObject("select pathway_id from pathway.pathway_ref where patient_ref = ?", String.class, patient);
    await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
        "select (select count(*) from act_ru_job where root_proc_inst_id_ = ? and (duedate_ is null or duedate_ <= now())) "
            + "+ (select count(*) from pathway.fhir_stale where pathway_id = ?)", Integer.class, pathwayId, pathwayId) == 0);
    CarePlan enrolled = carePlan(patient, c -> c.getDescription().contains("RESPONSE_ASSESSMENT"));
    String version = enrolled.getMeta().getVersionId();
    Instant updated = enrolled.getMeta().getLastUpdated().toInstant();

    // read again, nothing changed: same version, same time; a conditional read answers 304
    CarePlan again = clinician.read().resource(CarePlan.class).withId(enrolled.getIdElement().getIdPart()).execute();
    assertThat(again.getMeta().getVersionId()).isEqualTo(version);
    assertThat(again.getMeta().getLastUpdated().toInstant()).isEqualTo(updated);
    assertThat(clinician.read().resource(CarePlan.class).withId(enrolled.getIdElement().getIdPart()).ifVersionMatches(version)
        .returnNull().execute()).isNull();
    ResponseEntity<String> plain = rest.withBasicAuth("clinician", "clinician").getForEntity("/fhir/CarePlan/{id}", String.class,
        enrolled.getIdElement().getIdPart());
    assertThat(plain.getHeaders().getETag()).isEqualTo("W/\"" + version + "\"");
    HttpHeaders since = new HttpHeaders();
    since.set(HttpHeaders.IF_MODIFIED_SINCE, plain.getHeaders().getFirst(HttpHeaders.LAST_MODIFIED));
    assertThat(rest.withBasicAuth("clinician", "clinician").exchange("/fhir/CarePlan/{id}", HttpMethod.GET, new HttpEntity<>(since),
        String.class, enrolled.getIdElement().getIdPart()).getStatusCode()).isEqualTo(HttpStatus.NOT_MODIFIED);

    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new FollowUpRecorded(patient, "EPIDURAL_STEROID_INJECTION", 60, true, Instant.now()));

    CarePlan resolved = carePlan(patient, c -> c.getStatus() == CarePlan.CarePlanStatus.COMPLETED);
    assertThat(Integer.parseInt(resolved.getMeta().getVersionId())).isGreaterThan(Integer.parseInt(version));
    assertThat(resolved.getMeta().getLastUpdated().toInstant()).isAfter(updated);
    assertThat(resolved.getActivity()).anySatisfy(a -> assertThat(a.getOutcomeCodeableConceptFirstRep().getCodingFirstRep().getCode())
        .isEqualTo("RESOLVED_AFTER_STEROID"));
    // the changed plan no longer matches the old version, nor the old time
    assertThat(clinician.read().resource(CarePlan.class).withId(resolved.getIdElement().getIdPart()).ifVersionMatches(version)
        .returnNull().execute()).isNotNull();
    assertThat(rest.withBasicAuth("clinician", "clinician").exchange("/fhir/CarePlan/{id}", HttpMethod.GET, new HttpEntity<>(since),
        String.class, enrolled.getIdElement().getIdPart()).getStatusCode()).isEqualTo(HttpStatus.OK);
    // polling by _lastUpdated finds the change after the first time, and nothing after the second
    assertThat(ids(clinician.search().forResource(CarePlan.class).where(byPatient(patient))
        .where(new ca.uhn.fhir.rest.gclient.DateClientParam("_lastUpdated").after().millis(java.util.Date.from(updated)))
        .returnBundle(Bundle.class).execute())).containsExactly(resolved.getIdElement().getIdPart());
    assertThat(ids(clinician.search().forResource(CarePlan.class).where(byPatient(patient))
        .where(new ca.uhn.fhir.rest.gclient.DateClientParam("_lastUpdated").after().millis(resolved.getMeta().getLastUpdated()))
        .returnBundle(Bundle.class).execute())).isEmpty();
  }

  @Test
  void shouldSearchByStatusAndIdAndPageWithNextLinks() {
    List<String> patients = List.of(newPatientRef(), newPatientRef(), newPatientRef());
    patients.forEach(p -> Hospital.send(Topics.PATHWAY_ENROLMENTS, enrolment(p, List.of())));
    List<String> plans = patients.stream().map(p -> carePlan(p, c -> c.getDescription().contains("RESPONSE_ASSESSMENT"))
        .getIdElement().getIdPart()).toList();

    Bundle first = clinician.search().forResource(CarePlan.class).where(new TokenClientParam("_id").exactly().codes(plans))
        .count(2).returnBundle(Bundle.class).execute();
    assertThat(first.getTotal()).isEqualTo(3);
    assertThat(first.getEntry()).hasSize(2);
    assertThat(first.getLink(Bundle.LINK_NEXT)).isNotNull();
    Bundle second = clinician.loadPage().next(first).execute();
    assertThat(second.getEntry()).hasSize(1);
    assertThat(second.getLink(Bundle.LINK_NEXT)).isNull();
    assertThat(java.util.stream.Stream.concat(ids(first).stream(), ids(second).stream())).containsExactlyInAnyOrderElementsOf(plans);

    assertThat(ids(clinician.search().forResource(CarePlan.class).where(byPatient(patients.get(0)))
        .where(new TokenClientParam("status").exactly().code("active")).returnBundle(Bundle.class).execute())).containsExactly(plans.get(0));
    assertThat(ids(clinician.search().forResource(CarePlan.class).where(byPatient(patients.get(0)))
        .where(new TokenClientParam("status").exactly().code("completed")).returnBundle(Bundle.class).execute())).isEmpty();
    // the chained form of the patient identifier, and the patient as a bare value
    assertThat(ids(clinician.search().byUrl("CarePlan?patient.identifier=" + patients.get(1)).returnBundle(Bundle.class).execute()))
        .containsExactly(plans.get(1));
  }

  @Test
  void shouldIncludeTheOrdersReferralsAndTasksOfACarePlan() {
    Hospital.send(Topics.PATHWAY_ENROLMENTS, enrolment(patient, List.of(RedFlag.FOOT_DROP)));
    tasklist.await(Tasklist.COORDINATOR, Tasks.CONFIRM_URGENT_SURGICAL_REFERRAL, patient);
    FhirReader.awaitAll(clinician, ServiceRequest.class, patient, l -> !l.isEmpty());

    Bundle all = clinician.search().forResource(CarePlan.class).where(byPatient(patient))
        .include(CarePlan.INCLUDE_ACTIVITY_REFERENCE).returnBundle(Bundle.class).execute();
    Bundle tasksOnly = clinician.search().forResource(CarePlan.class).where(byPatient(patient))
        .include(CarePlan.INCLUDE_ACTIVITY_REFERENCE.withType("Task")).returnBundle(Bundle.class).execute();

    assertThat(all.getEntry()).filteredOn(e -> e.getSearch().getMode() == Bundle.SearchEntryMode.MATCH)
        .extracting(e -> e.getResource().fhirType()).containsExactly("CarePlan");
    assertThat(all.getEntry()).filteredOn(e -> e.getSearch().getMode() == Bundle.SearchEntryMode.INCLUDE)
        .extracting(e -> e.getResource().fhirType()).contains("ServiceRequest", "Task");
    ServiceRequest referral = all.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
        .filter(ServiceRequest.class::isInstance).map(ServiceRequest.class::cast).findFirst().orElseThrow();
    assertThat(referral.getPriority()).isEqualTo(ServiceRequest.ServiceRequestPriority.URGENT);
    assertThat(referral.getSupportingInfo()).anySatisfy(r -> assertThat(r.getReference()).startsWith("Flag/"));
    Task confirmation = all.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
        .filter(Task.class::isInstance).map(Task.class::cast).findFirst().orElseThrow();
    assertThat(confirmation.getFocus().getReference()).isEqualTo("ServiceRequest/" + referral.getIdElement().getIdPart());
    assertThat(confirmation.getRestriction().getPeriod().getEnd()).isNotNull();
    assertThat(confirmation.getOwner().getIdentifier().getValue()).isEqualTo("care-coordinators");
    assertThat(tasksOnly.getEntry()).filteredOn(e -> e.getSearch().getMode() == Bundle.SearchEntryMode.INCLUDE)
        .extracting(e -> e.getResource().fhirType()).containsOnly("Task");
  }

  @Test
  void shouldAnswerUnknownParametersAndPatientReferencesWith400AndAnOperationOutcome() {
    HttpHeaders json = new HttpHeaders();
    json.set(HttpHeaders.ACCEPT, "application/fhir+json");
    for (String query : List.of("/fhir/CarePlan?colour=blue", "/fhir/CarePlan?subject=Patient/123", "/fhir/Task?_count=100000")) {
      ResponseEntity<String> answer = rest.withBasicAuth("clinician", "clinician").exchange(query, HttpMethod.GET, new HttpEntity<>(json),
          String.class);
      assertThat(answer.getStatusCode()).as(query).isEqualTo(HttpStatus.BAD_REQUEST);
      assertThat(FhirReader.fhir().newJsonParser().parseResource(answer.getBody())).as(query)
          .isInstanceOfSatisfying(org.hl7.fhir.r4.model.OperationOutcome.class,
              o -> assertThat(o.getIssueFirstRep().getSeverity()).isEqualTo(org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity.ERROR));
    }
    // no Patient resource is served
    assertThat(rest.withBasicAuth("clinician", "clinician").exchange("/fhir/Patient?identifier=x", HttpMethod.GET, new HttpEntity<>(json),
        String.class).getStatusCode().is4xxClientError()).isTrue();
  }

  static ca.uhn.fhir.rest.gclient.ICriterion<?> byPatient(String patientRef) {
    return new TokenClientParam("subject:identifier").exactly().systemAndCode(FhirReader.PATIENT_SYSTEM, patientRef);
  }

  static List<String> ids(Bundle bundle) {
    return bundle.getEntry().stream().map(e -> e.getResource().getIdElement().getIdPart()).toList();
  }
}
