package io.pathway.service.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import io.pathway.bpmn.PathwayModel.Tasks;
import io.pathway.model.Topics;
import io.pathway.model.codes.Channel;
import io.pathway.model.codes.DiagnosticTest;
import io.pathway.model.codes.ImagingFinding;
import io.pathway.model.codes.MriFinding;
import io.pathway.model.codes.OrderKind;
import io.pathway.model.codes.PainPattern;
import io.pathway.model.codes.RedFlag;
import io.pathway.model.codes.SteroidKind;
import io.pathway.model.codes.TestOutcome;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.model.events.DiagnosticResult;
import io.pathway.model.events.EnrolmentRequested;
import io.pathway.model.events.Findings;
import io.pathway.model.events.FollowUpRecorded;
import io.pathway.model.events.NotificationDelivered;
import io.pathway.model.events.OrderPlaced;
import io.pathway.model.events.PathwayCompleted;
import io.pathway.model.events.RedFlagRaised;
import io.pathway.model.events.SteroidTreatment;
import io.pathway.model.events.TreatmentOutcome;
import io.pathway.service.PathwayServiceTest;
import io.pathway.service.support.Hospital;
import io.pathway.service.support.JourneyTest;
import io.pathway.service.support.Outbound;
import io.pathway.service.support.Tasklist;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

/**
 * Whole journeys (routine, red flag with its cancelled orders, an order overdue, chased and cancelled, withdrawal) read back through /fhir as
 * a hospital's system reads them, and every resource of every kind served judged by HAPI's validator
 * against the base R4 specification.
 */
@PathwayServiceTest
class FhirJourneysTest extends JourneyTest {

  /** Every resource kind the endpoint serves, as the journeys met them. */
  static final Set<String> KINDS_SEEN = Collections.synchronizedSet(new TreeSet<>());
  /** The validator's warnings (our own code systems, which it cannot resolve), printed once at the end. */
  static final Set<String> WARNINGS = Collections.synchronizedSet(new TreeSet<>());

  IGenericClient hospital;

  @BeforeEach
  void client() {
    hospital = FhirReader.client(rest.getRootUri() + "/fhir", Tasklist.CLINICIAN);
  }

  @AfterAll
  static void everyKindWasValidated() {
    assertThat(KINDS_SEEN).containsExactlyInAnyOrder("CarePlan", "ServiceRequest", "Task", "Flag", "Communication", "Provenance");
    System.out.println("FHIR validator warnings (distinct): " + WARNINGS.size());
    WARNINGS.forEach(w -> System.out.println("  " + w));
  }

  @Test
  void shouldHaveAJudgeThatFindsWhatIsWrong() {
    // the control: a Task without its required status and intent, a Flag without its code, a Communication
    // with a category outside its binding's code system but claiming an HL7 one (unknown code)
    Task broken = new Task();
    broken.setFor(FhirNames.patient("PT-x"));
    Flag flag = new Flag().setStatus(Flag.FlagStatus.ACTIVE).setSubject(FhirNames.patient("PT-x"));
    Communication c = new Communication().setStatus(Communication.CommunicationStatus.COMPLETED);
    c.addCategory(FhirProjector.concept("http://terminology.hl7.org/CodeSystem/communication-category", "gossip", "Gossip"));

    assertThat(errors(broken)).anySatisfy(m -> assertThat(m).contains("Task.status"));
    assertThat(errors(flag)).anySatisfy(m -> assertThat(m).contains("Flag.code"));
    assertThat(errors(c)).anySatisfy(m -> assertThat(m).contains("gossip"));
  }

  static List<String> errors(Resource r) {
    return FhirReader.validator().validateWithResult(r).getMessages().stream()
        .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
        .map(m -> m.getLocationString() + ": " + m.getMessage()).toList();
  }

  EnrolmentRequested enrolment(PainPattern pattern, ImagingFinding imaging, int daysAgo) {
    LocalDate date = LocalDate.now().minusDays(daysAgo);
    return new EnrolmentRequested("REF-" + patient, patient, new SteroidTreatment(SteroidKind.EPIDURAL_STEROID_INJECTION, date, true, true),
        pattern, 7, false, List.of(imaging), 2, List.of(), date.minusMonths(3));
  }

  void failSteroid() {
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new FollowUpRecorded(patient, "EPIDURAL_STEROID_INJECTION", 20, true, Instant.now()));
  }

  List<OrderPlaced> orders(OrderKind kind, int atLeast) {
    return await().atMost(Duration.ofSeconds(30)).until(
        () -> Outbound.events(Topics.ORDERS, OrderPlaced.class, patient).stream().filter(o -> o.kind() == kind).toList(),
        l -> l.size() >= atLeast);
  }

  void awaitCompletion() {
    await().atMost(Duration.ofSeconds(30)).until(() -> Outbound.events(Topics.STATUS, PathwayCompleted.class, patient), l -> !l.isEmpty());
  }

  static DiagnosticResult positive(OrderPlaced order) {
    DiagnosticTest test = DiagnosticTest.valueOf(order.code());
    Findings findings = switch (test) {
      case CONTRAST_MRI -> new Findings(MriFinding.RECURRENT_HERNIATION, null, null, null, null, null);
      case SELECTIVE_NERVE_ROOT_BLOCK -> new Findings(null, "L5", 90, null, null, null);
      case DISCOGRAPHY -> new Findings(null, "L4-L5", null, true, true, null);
      case MEDIAL_BRANCH_BLOCK, SI_JOINT_BLOCK -> new Findings(null, "L4-L5", 90, null, null, "BILATERAL");
    };
    return new DiagnosticResult(order.orderId(), order.patientRef(), test, TestOutcome.POSITIVE, findings, Instant.now());
  }

  <T extends Resource> List<T> read(Class<T> type) {
    return FhirReader.all(hospital, type, patient);
  }

  <T extends Resource> List<T> awaitFhir(Class<T> type, java.util.function.Predicate<List<T>> condition) {
    return FhirReader.awaitAll(hospital, type, patient, condition);
  }

  /** Reads every resource of the patient of every kind and validates each; no error may be found. */
  List<Resource> validateEverything() {
    List<Resource> all = new ArrayList<>();
    for (Class<? extends Resource> type : List.of(CarePlan.class, ServiceRequest.class, Task.class, Flag.class, Communication.class,
        Provenance.class)) {
      all.addAll(read(type));
    }
    List<String> errors = new ArrayList<>();
    for (Resource r : all) {
      KINDS_SEEN.add(r.fhirType());
      example(r);
      ValidationResult result = FhirReader.validator().validateWithResult(r);
      for (SingleValidationMessage m : result.getMessages()) {
        if (m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal()) {
          errors.add(r.fhirType() + "/" + r.getIdElement().getIdPart() + " " + m.getLocationString() + ": " + m.getMessage());
        } else if (m.getSeverity() == ResultSeverityEnum.WARNING) {
          WARNINGS.add(r.fhirType() + " " + m.getLocationString().replaceAll("\\[\\d+\\]", "[n]") + ": " + m.getMessage());
        }
      }
    }
    assertThat(errors).as("validation errors").isEmpty();
    return all;
  }

  @Test
  void shouldServeARoutineJourneyFromEnrolmentToResolutionAfterAblation() {
    Hospital.send(Topics.PATHWAY_ENROLMENTS, enrolment(PainPattern.AXIAL, ImagingFinding.FACET_ARTHROPATHY, 40));
    failSteroid();
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_FAILURE_HYPOTHESES, patient, Map.of());
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_DIAGNOSTIC_WORKUP, patient, Map.of());
    List<OrderPlaced> tests = orders(OrderKind.DIAGNOSTIC, 1);
    // ordered, not yet answered
    List<Task> ordered = awaitFhir(Task.class, l -> l.stream().filter(t -> t.getIdElement().getIdPart().startsWith("fulfilment-")).count()
        >= tests.size());
    assertThat(ordered).filteredOn(t -> t.getIdElement().getIdPart().startsWith("fulfilment-"))
        .allSatisfy(t -> assertThat(t.getBusinessStatus().getCodingFirstRep().getCode()).isEqualTo("ordered"));
    tests.forEach(o -> Hospital.send(Topics.DIAGNOSTIC_RESULTS, positive(o)));
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS, patient, Map.of());
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.CONFIRM_TREATMENT, patient, Map.of());
    OrderPlaced procedure = orders(OrderKind.PROCEDURE, 1).get(0);
    // booked for (and done on) a date the ablation's minimum interval (4 weeks) before the assessment
    tasklist.completeWhenReady(Tasklist.COORDINATOR, Tasks.SCHEDULE_PROCEDURE, patient,
        Map.of("scheduledFor", LocalDate.now().minusDays(30).toString()));
    Task scheduled = awaitFhir(Task.class, l -> l.stream().anyMatch(t -> t.getIdElement().getIdPart().equals("fulfilment-" + procedure.orderId())
        && t.getBusinessStatus().getCodingFirstRep().getCode().equals("scheduled"))).stream()
        .filter(t -> t.getIdElement().getIdPart().equals("fulfilment-" + procedure.orderId())).findFirst().orElseThrow();
    assertThat(scheduled.getStatus()).isEqualTo(Task.TaskStatus.ACCEPTED);
    Hospital.send(Topics.TREATMENT_OUTCOMES, new TreatmentOutcome(patient, procedure.orderId(), procedure.code(), 70, Instant.now(), true));
    awaitCompletion();

    List<Resource> all = validateEverything();

    CarePlan plan = single(all, CarePlan.class);
    assertThat(plan.getStatus()).isEqualTo(CarePlan.CarePlanStatus.COMPLETED);
    assertThat(plan.getActivity()).anySatisfy(a -> assertThat(a.getOutcomeCodeableConceptFirstRep().getCodingFirstRep().getCode())
        .isEqualTo("RESOLVED_AFTER_INTERVENTION"));
    assertThat(of(all, ServiceRequest.class)).hasSize(tests.size() + 1)
        .allSatisfy(sr -> assertThat(sr.getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.COMPLETED));
    assertThat(of(all, Task.class)).filteredOn(t -> t.getIdElement().getIdPart().startsWith("fulfilment-")).hasSize(tests.size() + 1)
        .allSatisfy(t -> {
          assertThat(t.getStatus()).isEqualTo(Task.TaskStatus.COMPLETED);
          assertThat(t.getBusinessStatus().getCodingFirstRep().getCode()).isEqualTo("result-received");
        });
    assertThat(of(all, Task.class)).filteredOn(t -> !t.getIdElement().getIdPart().startsWith("fulfilment-"))
        .extracting(t -> t.getCode().getCodingFirstRep().getCode())
        .contains(Tasks.REVIEW_FAILURE_HYPOTHESES, Tasks.CONFIRM_TREATMENT, Tasks.SCHEDULE_PROCEDURE);
    assertThat(of(all, Provenance.class)).hasSize(4).allSatisfy(p -> {
      assertThat(p.getTargetFirstRep().getReference()).isEqualTo("CarePlan/" + plan.getIdElement().getIdPart());
      assertThat(p.getAgentFirstRep().getWho().getIdentifier().getValue()).isEqualTo(Tasklist.CLINICIAN);
    });
    assertThat(of(all, Provenance.class)).anySatisfy(p -> {
      assertThat(p.getActivity().getCodingFirstRep().getCode()).isEqualTo(Tasks.CONFIRM_TREATMENT);
      assertThat(p.getEntityFirstRep().getWhat().getDisplay()).contains("RADIOFREQUENCY_ABLATION");
      assertThat(p.getActivity().getText()).contains("chose RADIOFREQUENCY_ABLATION");
    });
    // no direct identifier, and no Patient: the subject is the pseudonymous reference
    assertThat(plan.getSubject().getIdentifier().getValue()).isEqualTo(patient);
    assertThat(plan.getSubject().getReference()).isNull();
  }

  @Test
  void shouldServeARedFlagWithItsReferralAlertAndCancelledOrders() {
    Hospital.send(Topics.PATHWAY_ENROLMENTS, enrolment(PainPattern.RADICULAR, ImagingFinding.LARGE_DISC_HERNIATION, 40));
    failSteroid();
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_FAILURE_HYPOTHESES, patient, Map.of());
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_DIAGNOSTIC_WORKUP, patient, Map.of());
    OrderPlaced pending = orders(OrderKind.DIAGNOSTIC, 1).get(0);

    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised(patient, RedFlag.SADDLE_ANESTHESIA, Instant.now()));
    tasklist.await(Tasklist.COORDINATOR, Tasks.CONFIRM_EMERGENCY_TRANSFER, patient);

    Flag flag = awaitFhir(Flag.class, l -> l.size() == 1).get(0);
    assertThat(flag.getStatus()).isEqualTo(Flag.FlagStatus.ACTIVE);
    ServiceRequest referral = awaitFhir(ServiceRequest.class, l -> l.stream().anyMatch(sr -> sr.getPriority() != null
        && sr.getPriority() == ServiceRequest.ServiceRequestPriority.STAT)).stream()
        .filter(sr -> sr.getPriority() == ServiceRequest.ServiceRequestPriority.STAT).findFirst().orElseThrow();
    assertThat(referral.getSupportingInfo()).extracting(r -> r.getReference()).contains("Flag/" + flag.getIdElement().getIdPart());
    assertThat(referral.getReasonCodeFirstRep().getCodingFirstRep().getCode()).isEqualTo("CAUDA_EQUINA_SYNDROME");
    Task cancelled = awaitFhir(Task.class, l -> l.stream().anyMatch(t -> t.getIdElement().getIdPart().equals("fulfilment-" + pending.orderId())
        && t.getStatus() == Task.TaskStatus.CANCELLED)).stream()
        .filter(t -> t.getIdElement().getIdPart().equals("fulfilment-" + pending.orderId())).findFirst().orElseThrow();
    assertThat(cancelled.getBusinessStatus().getCodingFirstRep().getCode()).isEqualTo("cancelled");
    assertThat(cancelled.getStatusReason().getCodingFirstRep().getCode()).isEqualTo("RED_FLAG");
    assertThat(hospital.read().resource(ServiceRequest.class).withId(pending.orderId()).execute().getStatus())
        .isEqualTo(ServiceRequest.ServiceRequestStatus.REVOKED);

    // the critical alert, in progress until the notification service reports its delivery
    EventEnvelope alert = await().atMost(Duration.ofSeconds(30)).until(() -> Outbound.envelopes(Topics.ALERTS, patient), l -> !l.isEmpty())
        .get(0);
    Communication sent = awaitFhir(Communication.class, l -> !l.isEmpty()).stream()
        .filter(c -> c.getIdentifierFirstRep().getValue().equals(((io.pathway.model.events.AlertRaised) alert.data()).alertId()))
        .findFirst().orElseThrow();
    assertThat(sent.getStatus()).isEqualTo(Communication.CommunicationStatus.INPROGRESS);
    Hospital.send(Topics.NOTIFICATION_DELIVERIES, new NotificationDelivered("N-" + patient, alert.id(), alert.type(), patient,
        Channel.EMAIL, "on-call-spine-surgeon", 1, Instant.now()));
    Communication delivered = awaitFhir(Communication.class, l -> l.stream().anyMatch(c -> c.getStatus() == Communication.CommunicationStatus.COMPLETED))
        .stream().filter(c -> c.getStatus() == Communication.CommunicationStatus.COMPLETED).findFirst().orElseThrow();
    assertThat(delivered.getRecipientFirstRep().getIdentifier().getValue()).isEqualTo("on-call-spine-surgeon");
    assertThat(Integer.parseInt(delivered.getMeta().getVersionId())).isGreaterThan(Integer.parseInt(sent.getMeta().getVersionId()));

    tasklist.completeWhenReady(Tasklist.COORDINATOR, Tasks.CONFIRM_EMERGENCY_TRANSFER, patient,
        Map.of("emergencyTransferConfirmed", true, "transferNote", "Accepted by on-call neurosurgery"));
    awaitCompletion();

    List<Resource> all = validateEverything();
    assertThat(single(all, Flag.class).getStatus()).isEqualTo(Flag.FlagStatus.INACTIVE);
    assertThat(single(all, CarePlan.class).getStatus()).isEqualTo(CarePlan.CarePlanStatus.COMPLETED);
    assertThat(of(all, ServiceRequest.class)).filteredOn(sr -> sr.getIdElement().getIdPart().equals(referral.getIdElement().getIdPart()))
        .singleElement().satisfies(sr -> assertThat(sr.getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.COMPLETED));
    assertThat(of(all, Task.class)).filteredOn(t -> t.getCode().getCodingFirstRep().getCode().equals(Tasks.CONFIRM_EMERGENCY_TRANSFER))
        .singleElement().satisfies(t -> {
          assertThat(t.getStatus()).isEqualTo(Task.TaskStatus.COMPLETED);
          assertThat(t.getPriority()).isEqualTo(Task.TaskPriority.STAT);
          assertThat(t.getFocus().getReference()).isEqualTo("ServiceRequest/" + referral.getIdElement().getIdPart());
        });
  }

  @Test
  void shouldServeAWithdrawalWithItsOrdersCancelledAndItsTasksEnded() {
    Hospital.send(Topics.PATHWAY_ENROLMENTS, enrolment(PainPattern.RADICULAR, ImagingFinding.LARGE_DISC_HERNIATION, 40));
    failSteroid();
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_FAILURE_HYPOTHESES, patient, Map.of());
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_DIAGNOSTIC_WORKUP, patient, Map.of());
    List<OrderPlaced> open = orders(OrderKind.DIAGNOSTIC, 1);
    CarePlan active = awaitFhir(CarePlan.class, l -> l.size() == 1).get(0);

    assertThat(rest.withBasicAuth("coordinator", "coordinator").postForEntity("/api/pathways/{id}/withdrawal",
        Map.of("reason", "transferred to another hospital"), Map.class, active.getIdElement().getIdPart()).getStatusCode())
        .isEqualTo(HttpStatus.OK);
    awaitCompletion();

    List<Resource> all = validateEverything();
    CarePlan withdrawn = single(all, CarePlan.class);
    assertThat(withdrawn.getStatus()).isEqualTo(CarePlan.CarePlanStatus.REVOKED);
    assertThat(Integer.parseInt(withdrawn.getMeta().getVersionId())).isGreaterThan(Integer.parseInt(active.getMeta().getVersionId()));
    assertThat(of(all, ServiceRequest.class)).extracting(sr -> sr.getIdElement().getIdPart())
        .containsAll(open.stream().map(OrderPlaced::orderId).toList());
    assertThat(of(all, ServiceRequest.class)).allSatisfy(sr -> assertThat(sr.getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.REVOKED));
    assertThat(of(all, Task.class)).filteredOn(t -> t.getIdElement().getIdPart().startsWith("fulfilment-")).allSatisfy(t -> {
      assertThat(t.getStatus()).isEqualTo(Task.TaskStatus.CANCELLED);
      assertThat(t.getStatusReason().getCodingFirstRep().getCode()).isEqualTo("WITHDRAWN");
    });
    assertThat(of(all, Task.class)).noneMatch(t -> t.getStatus() == Task.TaskStatus.READY || t.getStatus() == Task.TaskStatus.INPROGRESS);
  }

  /** The resources as served, one file each under target/fhir-examples (the examples of docs/fhir.md come from there). */
  static void example(Resource r) {
    try {
      java.nio.file.Path dir = java.nio.file.Path.of("target", "fhir-examples");
      java.nio.file.Files.createDirectories(dir);
      java.nio.file.Files.writeString(dir.resolve(r.fhirType() + "-" + r.getIdElement().getIdPart() + ".json"),
          FhirReader.fhir().newJsonParser().setPrettyPrint(true).encodeResourceToString(r));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @org.springframework.beans.factory.annotation.Autowired
  org.camunda.bpm.engine.RuntimeService runtime;
  @org.springframework.beans.factory.annotation.Autowired
  org.camunda.bpm.engine.ManagementService management;

  /** The order's overdue timer brought forward (the clock, not the hospital). */
  void fireTimer(String orderId) {
    String instance = runtime.createProcessInstanceQuery().variableValueEquals("orderId", orderId).singleResult().getId();
    org.camunda.bpm.engine.runtime.Job timer = await().atMost(Duration.ofSeconds(30)).until(
        () -> management.createJobQuery().processInstanceId(instance).timers().list(), l -> l.size() == 1).get(0);
    management.setJobDuedate(timer.getId(), new java.util.Date());
  }

  String businessStatus(String orderId) {
    return hospital.read().resource(Task.class).withId("fulfilment-" + orderId).execute().getBusinessStatus().getCodingFirstRep().getCode();
  }

  @Test
  void shouldServeAnOrderOverdueChasedAndCancelledWithItsAlerts() {
    Hospital.send(Topics.PATHWAY_ENROLMENTS, new EnrolmentRequested("REF-" + patient, patient,
        new SteroidTreatment(SteroidKind.EPIDURAL_STEROID_INJECTION, LocalDate.now().minusDays(40), true, true), PainPattern.RADICULAR, 7,
        true, List.of(ImagingFinding.DISC_DEGENERATION), 2, List.of(), LocalDate.now().minusDays(40).minusMonths(3)));
    failSteroid();
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_FAILURE_HYPOTHESES, patient, Map.of());
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_DIAGNOSTIC_WORKUP, patient, Map.of());
    OrderPlaced mri = await().atMost(Duration.ofSeconds(30)).until(() -> Outbound.events(Topics.ORDERS, OrderPlaced.class, patient).stream()
        .filter(o -> o.code().equals("CONTRAST_MRI")).toList(), l -> !l.isEmpty()).get(0);
    assertThat(businessStatus(mri.orderId())).isEqualTo("ordered");

    fireTimer(mri.orderId());
    tasklist.await(Tasklist.COORDINATOR, Tasks.CHASE_OVERDUE_RESULT, patient);
    await().atMost(Duration.ofSeconds(30)).until(() -> businessStatus(mri.orderId()).equals("overdue"));
    tasklist.completeWhenReady(Tasklist.COORDINATOR, Tasks.CHASE_OVERDUE_RESULT, patient,
        Map.of("chaseOutcome", "KEEP_WAITING", "chaseNote", "Radiology: scan next week"));
    await().atMost(Duration.ofSeconds(30)).until(() -> businessStatus(mri.orderId()).equals("chased"));
    fireTimer(mri.orderId());
    tasklist.await(Tasklist.COORDINATOR, Tasks.CHASE_OVERDUE_RESULT, patient);
    await().atMost(Duration.ofSeconds(30)).until(() -> businessStatus(mri.orderId()).equals("overdue"));
    tasklist.completeWhenReady(Tasklist.COORDINATOR, Tasks.CHASE_OVERDUE_RESULT, patient,
        Map.of("chaseOutcome", "CANCELLED", "chaseNote", "Cancelled by radiology"));
    await().atMost(Duration.ofSeconds(30)).until(() -> businessStatus(mri.orderId()).equals("cancelled"));
    // the first overdue alert could not be delivered
    EventEnvelope firstAlert = await().atMost(Duration.ofSeconds(30)).until(() -> Outbound.envelopes(Topics.ALERTS, patient),
        l -> !l.isEmpty()).get(0);
    Hospital.send(Topics.NOTIFICATION_DELIVERIES, new io.pathway.model.events.NotificationFailed("N-" + patient, firstAlert.id(),
        firstAlert.type(), patient, Channel.WEBHOOK, "radiology-desk", 5, "HTTP 503 after 5 attempts", Instant.now()));
    awaitFhir(Communication.class, l -> l.stream().anyMatch(c -> c.getStatus() == Communication.CommunicationStatus.NOTDONE));

    List<Resource> all = validateEverything();
    assertThat(hospital.read().resource(ServiceRequest.class).withId(mri.orderId()).execute().getStatus())
        .isEqualTo(ServiceRequest.ServiceRequestStatus.REVOKED);
    assertThat(of(all, Task.class)).filteredOn(t -> t.getIdElement().getIdPart().equals("fulfilment-" + mri.orderId())).singleElement()
        .satisfies(t -> assertThat(t.getStatus()).isEqualTo(Task.TaskStatus.CANCELLED));
    assertThat(of(all, Task.class)).filteredOn(t -> t.getCode().getCodingFirstRep().getCode().equals(Tasks.CHASE_OVERDUE_RESULT))
        .hasSize(2).allSatisfy(t -> {
          assertThat(t.getStatus()).isEqualTo(Task.TaskStatus.COMPLETED);
          assertThat(t.getFocus().getReference()).isEqualTo("ServiceRequest/" + mri.orderId());
          assertThat(t.getPartOfFirstRep().getReference()).isEqualTo("Task/fulfilment-" + mri.orderId());
        });
    assertThat(of(all, Communication.class)).hasSizeGreaterThanOrEqualTo(2)
        .anySatisfy(c -> assertThat(c.getStatusReason().getText()).contains("HTTP 503"));
  }

  static <T extends Resource> List<T> of(List<Resource> all, Class<T> type) {
    return all.stream().filter(type::isInstance).map(type::cast).toList();
  }

  static <T extends Resource> T single(List<Resource> all, Class<T> type) {
    assertThat(of(all, type)).hasSize(1);
    return of(all, type).get(0);
  }
}
