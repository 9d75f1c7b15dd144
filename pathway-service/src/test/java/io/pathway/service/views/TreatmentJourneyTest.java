package io.pathway.service.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pathway.bpmn.PathwayModel.Tasks;
import io.pathway.model.Topics;
import io.pathway.model.codes.ImagingFinding;
import io.pathway.model.codes.OrderKind;
import io.pathway.model.codes.PainPattern;
import io.pathway.model.codes.PathwayOutcome;
import io.pathway.model.codes.SteroidKind;
import io.pathway.model.codes.TestOutcome;
import io.pathway.model.events.DiagnosticResult;
import io.pathway.model.events.EnrolmentRequested;
import io.pathway.model.events.FollowUpRecorded;
import io.pathway.model.events.OrderPlaced;
import io.pathway.model.events.PathwayCompleted;
import io.pathway.model.events.SteroidTreatment;
import io.pathway.model.events.TreatmentOutcome;
import io.pathway.service.PathwayServiceTest;
import io.pathway.service.support.Hospital;
import io.pathway.service.support.Outbound;
import io.pathway.service.support.Tasklist;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;

/** Each non-surgical treatment reached and delivered through the topics and the task API. */
@PathwayServiceTest
class TreatmentJourneyTest {

  @Autowired
  TestRestTemplate rest;

  @BeforeAll
  static void listen() {
    Outbound.start();
  }

  /** Drives one patient from enrolment to a confirmed treatment; returns the procedure ordered. */
  OrderPlaced toTreatment(Tasklist tasklist, String patient, PainPattern pattern, String imaging, int dn4, TestOutcome results, int procedures) {
    LocalDate date = LocalDate.now().minusDays(40);
    List<ImagingFinding> findings = Arrays.stream(imaging.split(";")).map(ImagingFinding::valueOf).toList();
    if (procedures == 0) {
      Hospital.send(Topics.PATHWAY_ENROLMENTS, new EnrolmentRequested("REF-" + patient, patient,
          new SteroidTreatment(SteroidKind.EPIDURAL_STEROID_INJECTION, date, true, true), pattern, 7, false, findings, dn4, List.of(),
          date.minusMonths(2)));
      Hospital.send(Topics.CLINICAL_OBSERVATIONS, new FollowUpRecorded(patient, "EPIDURAL_STEROID_INJECTION", 15, true, Instant.now()));
    }
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_FAILURE_HYPOTHESES, patient, Map.of());
    int answered = Outbound.events(Topics.ORDERS, OrderPlaced.class, patient).size();
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_DIAGNOSTIC_WORKUP, patient, Map.of());
    // answer every diagnostic order of this round (there may be none, e.g. stenosis on imaging)
    await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(30)).until(() ->
        !tasklist.tasks(Tasklist.CLINICIAN, Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS, patient).isEmpty()
            || Outbound.events(Topics.ORDERS, OrderPlaced.class, patient).size() > answered);
    Outbound.events(Topics.ORDERS, OrderPlaced.class, patient).stream().skip(answered)
        .filter(o -> o.kind() == OrderKind.DIAGNOSTIC)
        .forEach(o -> Hospital.send(Topics.DIAGNOSTIC_RESULTS, result(o, results)));
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS, patient, Map.of());
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.CONFIRM_TREATMENT, patient, Map.of());
    return await().atMost(Duration.ofSeconds(30)).until(() -> Outbound.events(Topics.ORDERS, OrderPlaced.class, patient).stream()
        .filter(o -> o.kind() == OrderKind.PROCEDURE).toList(), l -> l.size() > procedures).get(procedures);
  }

  static DiagnosticResult result(OrderPlaced order, TestOutcome outcome) {
    DiagnosticResult positive = PathwayJourneyTest.positive(order);
    return outcome == TestOutcome.POSITIVE ? positive
        : new DiagnosticResult(order.orderId(), order.patientRef(), positive.test(), outcome, positive.findings(), Instant.now());
  }

  void deliver(Tasklist tasklist, String patient, OrderPlaced procedure, int relief) {
    // done 60 days ago, so that today's assessment is past every treatment's minimum interval; relief reported as lasting
    tasklist.completeWhenReady(Tasklist.COORDINATOR, Tasks.SCHEDULE_PROCEDURE, patient,
        Map.of("scheduledFor", LocalDate.now().minusDays(60).toString()));
    Hospital.send(Topics.TREATMENT_OUTCOMES, new TreatmentOutcome(patient, procedure.orderId(), procedure.code(), relief, Instant.now(),
        relief >= 50));
  }

  PathwayCompleted completion(String patient) {
    return await().atMost(Duration.ofSeconds(30)).until(() -> Outbound.events(Topics.STATUS, PathwayCompleted.class, patient),
        l -> !l.isEmpty()).get(0);
  }

  @ParameterizedTest(name = "{0} with {1} leads to {2}")
  @CsvSource({
      "MIXED, DISC_DEGENERATION, TARGETED_PHYSICAL_THERAPY",
      "NEUROGENIC_CLAUDICATION, SEVERE_STENOSIS;LIGAMENTUM_FLAVUM_HYPERTROPHY, MINIMALLY_INVASIVE_LUMBAR_DECOMPRESSION"})
  void shouldDeliverTheTreatmentTheDiagnosisCallsFor(PainPattern pattern, String imaging, String expectedProcedure) {
    Tasklist tasklist = new Tasklist(rest);
    String patient = "PT-" + UUID.randomUUID().toString().substring(0, 8);

    OrderPlaced procedure = toTreatment(tasklist, patient, pattern, imaging, 2, TestOutcome.POSITIVE, 0);
    assertThat(procedure.code()).isEqualTo(expectedProcedure);
    deliver(tasklist, patient, procedure, 65);

    assertThat(completion(patient).outcome()).isEqualTo(PathwayOutcome.RESOLVED_AFTER_INTERVENTION);
  }

  @Test
  void shouldOfferNeuromodulationOnlyAfterTheSteroidAndAnotherMeasureFailedWithoutAFutileInjection() {
    Tasklist tasklist = new Tasklist(rest);
    String patient = "PT-" + UUID.randomUUID().toString().substring(0, 8);
    OrderPlaced first = toTreatment(tasklist, patient, PainPattern.RADICULAR, "DISC_DEGENERATION", 7, TestOutcome.NEGATIVE, 0);
    assertThat(first.code()).isEqualTo("TARGETED_PHYSICAL_THERAPY");

    // the documented steroid failure and the therapy are two failed measures; no steroid injection in between (F18)
    deliver(tasklist, patient, first, 10);
    OrderPlaced second = toTreatment(tasklist, patient, PainPattern.RADICULAR, "DISC_DEGENERATION", 7, TestOutcome.NEGATIVE, 1);

    assertThat(second.code()).isEqualTo("NEUROMODULATION_TRIAL");
    deliver(tasklist, patient, second, 60);
    assertThat(completion(patient).outcome()).isEqualTo(PathwayOutcome.RESOLVED_AFTER_INTERVENTION);
  }
}
