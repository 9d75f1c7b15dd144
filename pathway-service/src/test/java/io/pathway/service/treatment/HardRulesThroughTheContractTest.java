package io.pathway.service.treatment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pathway.bpmn.PathwayModel.Tasks;
import io.pathway.model.Topics;
import io.pathway.model.codes.AlertType;
import io.pathway.model.codes.DiagnosticTest;
import io.pathway.model.codes.ImagingFinding;
import io.pathway.model.codes.OrderKind;
import io.pathway.model.codes.PainPattern;
import io.pathway.model.codes.SteroidKind;
import io.pathway.model.codes.TestOutcome;
import io.pathway.model.envelope.DeadLetterHeaders;
import io.pathway.model.events.AlertRaised;
import io.pathway.model.events.DiagnosticResult;
import io.pathway.model.events.EnrolmentRequested;
import io.pathway.model.events.Findings;
import io.pathway.model.events.FollowUpRecorded;
import io.pathway.model.events.OrderPlaced;
import io.pathway.model.events.SteroidTreatment;
import io.pathway.model.events.WithdrawalRequested;
import io.pathway.service.PathwayServiceTest;
import io.pathway.service.support.Hospital;
import io.pathway.service.support.JourneyTest;
import io.pathway.service.support.Outbound;
import io.pathway.service.support.Tasklist;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The hard rules and the follow-up rules as the hospital and the clinicians reach them: through the
 * Kafka contract and {@code /engine-rest}, with the forged inputs of the clinical review. Each test
 * holds whether or not the declared-inputs filter (a separate change) answers 400 first.
 */
@PathwayServiceTest
class HardRulesThroughTheContractTest extends JourneyTest {


  private EnrolmentRequested enrolment(String referral, PainPattern pattern, List<ImagingFinding> imaging, int steroidDaysAgo) {
    LocalDate date = LocalDate.now().minusDays(steroidDaysAgo);
    return new EnrolmentRequested(referral, patient, new SteroidTreatment(SteroidKind.EPIDURAL_STEROID_INJECTION, date, true, true),
        pattern, 7, false, imaging, 2, List.of(), date.minusDays(20));
  }

  private void enrol(PainPattern pattern, List<ImagingFinding> imaging, int steroidDaysAgo) {
    Hospital.send(Topics.PATHWAY_ENROLMENTS, enrolment("REF-" + patient, pattern, imaging, steroidDaysAgo));
  }

  private void followUp(int percent, Boolean sustained, Instant assessedAt) {
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new FollowUpRecorded(patient, "EPIDURAL_STEROID_INJECTION", percent, sustained,
        assessedAt));
  }

  private String stage() {
    return jdbc.query("select stage from pathway.pathway_ref where patient_ref = ? order by started_at desc limit 1",
        (rs, i) -> rs.getString(1), patient).stream().findFirst().orElse(null);
  }

  // ------------------------------------------------------------------ results tied to their orders (A8)

  @Test
  void shouldRefuseAResultWhoseTestIsNotTheCodeOfItsOrder() {
    // given: a medial branch block ordered
    enrol(PainPattern.AXIAL, List.of(ImagingFinding.FACET_ARTHROPATHY), 40);
    followUp(20, true, Instant.now());
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_FAILURE_HYPOTHESES, patient, Map.of());
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_DIAGNOSTIC_WORKUP, patient, Map.of());
    OrderPlaced mbb = await().atMost(Duration.ofSeconds(30)).until(() -> Outbound.events(Topics.ORDERS, OrderPlaced.class, patient)
        .stream().filter(o -> o.code().equals("MEDIAL_BRANCH_BLOCK")).toList(), l -> !l.isEmpty()).get(0);

    // when: a positive SI joint block is sent on the medial branch block's order
    Hospital.send(Topics.DIAGNOSTIC_RESULTS, new DiagnosticResult(mbb.orderId(), patient, DiagnosticTest.SI_JOINT_BLOCK,
        TestOutcome.POSITIVE, new Findings(null, null, 90, null, null, "LEFT"), Instant.now()));

    // then: refused with a reason of the contract, nothing recorded, the order still waits
    var dead = await().atMost(Duration.ofSeconds(30)).until(() -> Outbound.deadLetters(Topics.DIAGNOSTIC_RESULTS, patient),
        l -> !l.isEmpty()).get(0);
    assertThat(dead.header(DeadLetterHeaders.REASON)).isEqualTo("ORDER_MISMATCH");
    assertThat(jdbc.queryForObject("select count(*) from pathway.result_fact where order_id = ?", Integer.class, mbb.orderId()))
        .isZero();
    assertThat(tasklist.tasks(Tasklist.CLINICIAN, Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS, patient)).isEmpty();
  }

  @Test
  void shouldRefuseAnOutcomeForAnotherTreatmentThanItsOrder() {
    // given: physical therapy ordered (claudication, nothing on imaging: the fallback)
    enrol(PainPattern.NEUROGENIC_CLAUDICATION, List.of(), 40);
    followUp(20, true, Instant.now());
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_FAILURE_HYPOTHESES, patient, Map.of());
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_DIAGNOSTIC_WORKUP, patient, Map.of());
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS, patient, Map.of());
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.CONFIRM_TREATMENT, patient, Map.of());
    OrderPlaced therapy = await().atMost(Duration.ofSeconds(30)).until(() -> Outbound.events(Topics.ORDERS, OrderPlaced.class, patient)
        .stream().filter(o -> o.kind() == OrderKind.PROCEDURE).toList(), l -> !l.isEmpty()).get(0);
    assertThat(therapy.code()).isEqualTo("TARGETED_PHYSICAL_THERAPY");

    // when: a failed ablation is reported on the therapy's order
    Hospital.send(Topics.TREATMENT_OUTCOMES, new io.pathway.model.events.TreatmentOutcome(patient, therapy.orderId(),
        "RADIOFREQUENCY_ABLATION", 10, Instant.now()));

    // then
    var dead = await().atMost(Duration.ofSeconds(30)).until(() -> Outbound.deadLetters(Topics.TREATMENT_OUTCOMES, patient),
        l -> !l.isEmpty()).get(0);
    assertThat(dead.header(DeadLetterHeaders.REASON)).isEqualTo("ORDER_MISMATCH");
    assertThat(jdbc.queryForObject("select count(*) from pathway.treatment_fact where order_id = ?", Integer.class,
        therapy.orderId())).isZero();
  }

  // ------------------------------------------------------------------ forged inputs (A1)

  @Test
  void shouldRefuseAblationOnForgedBlockVariablesThroughTheEngineRestApi() {
    // given: no test ordered (claudication, nothing on imaging); the clinician calls it facet pain
    enrol(PainPattern.NEUROGENIC_CLAUDICATION, List.of(), 40);
    followUp(20, true, Instant.now());
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_FAILURE_HYPOTHESES, patient, Map.of());
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.REVIEW_DIAGNOSTIC_WORKUP, patient, Map.of());
    tasklist.completeWhenReady(Tasklist.CLINICIAN, Tasks.CONFIRM_DEFINITIVE_DIAGNOSIS, patient,
        Map.of("definitiveDiagnosis", "FACET_JOINT_PAIN", "diagnosisOverrideReason", "Typical facet loading pain"));
    Tasklist.Task choice = tasklist.await(Tasklist.CLINICIAN, Tasks.CONFIRM_TREATMENT, patient);

    // when: the review's forgery, completed through /engine-rest
    int status = tasklist.complete(Tasklist.CLINICIAN, choice, Map.of("selectedTreatment", "RADIOFREQUENCY_ABLATION",
        "treatmentOverrideReason", "Clinically convinced", "facetBlockPositive", true, "medialBranchBlockOutcome", "POSITIVE",
        "treatmentRule", "ALLOWED", "proposedTreatment", "RADIOFREQUENCY_ABLATION", "electiveMinFailedCareDays", 0,
        "treatmentsTried", "RADIOFREQUENCY_ABLATION"));

    // then: the clinician's forgery is refused by the inputs filter (400), nothing changes
    assertThat(status).isEqualTo(400);
    assertThat(jdbc.queryForObject("select count(*) from pathway.rule_check c join pathway.pathway_ref p on p.pathway_id = c.pathway_id "
        + "where p.patient_ref = ? and c.rule = 'ABLATION'", Integer.class, patient)).isZero();

    // and when an administrator, whom the filter lets through, completes it with the same forged variables,
    // the hard rule reads the recorded facts (no block was ever done) and refuses the ablation
    assertThat(tasklist.complete("demo", choice, Map.of("selectedTreatment", "RADIOFREQUENCY_ABLATION",
        "treatmentOverrideReason", "Clinically convinced", "facetBlockPositive", true, "medialBranchBlockOutcome", "POSITIVE",
        "treatmentRule", "ALLOWED", "proposedTreatment", "RADIOFREQUENCY_ABLATION", "electiveMinFailedCareDays", 0,
        "treatmentsTried", "RADIOFREQUENCY_ABLATION"))).isEqualTo(204);
    await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
        "select count(*) from pathway.rule_check c join pathway.pathway_ref p on p.pathway_id = c.pathway_id "
            + "where p.patient_ref = ? and c.rule = 'ABLATION'", Integer.class, patient) == 1);
    Tasklist.Task again = tasklist.await(Tasklist.CLINICIAN, Tasks.CONFIRM_TREATMENT, patient);
    assertThat(again).isNotNull();
    assertThat(Outbound.events(Topics.ORDERS, OrderPlaced.class, patient)).noneMatch(o -> o.kind() == OrderKind.PROCEDURE);
  }

  @Test
  void shouldTakeTheConfigurationFromTheServiceNeverFromTheStart() {
    // when: a coordinator starts a pathway through /engine-rest with forged settings and history
    String body = startBody("""
        "imagingFindings":{"value":""},
        "electiveMinFailedCareDays":{"value":0},"reliefThresholdPercent":{"value":0},
        "treatmentsTried":{"value":"RADIOFREQUENCY_ABLATION,TARGETED_PHYSICAL_THERAPY"}""");
    HttpHeaders headers = json();
    ResponseEntity<Map> refused = rest.withBasicAuth(Tasklist.COORDINATOR, Tasklist.COORDINATOR).exchange(
        "/engine-rest/process-definition/key/steroid-failure-escalation/start", HttpMethod.POST, new HttpEntity<>(body, headers),
        Map.class);

    // then: refused by the inputs filter, nothing started
    assertThat(refused.getStatusCode().value()).isEqualTo(400);
    assertThat(jdbc.queryForObject("select count(*) from pathway.pathway_ref where patient_ref = ?", Integer.class, patient)).isZero();

    // and when an administrator, whom the filter lets through, starts it with the same forged settings, the
    // pathway runs with the service's own settings and an empty history
    ResponseEntity<Map> started = rest.withBasicAuth("demo", "demo").exchange(
        "/engine-rest/process-definition/key/steroid-failure-escalation/start", HttpMethod.POST, new HttpEntity<>(body, headers),
        Map.class);
    assertThat(started.getStatusCode().value()).isEqualTo(200);
    String id = (String) started.getBody().get("id");
    assertThat(jdbc.queryForMap("select * from pathway.rule_settings where pathway_id = ?", id))
        .containsEntry("elective_min_failed_care_days", 90).containsEntry("relief_threshold_percent", 50);
    assertThat(jdbc.queryForObject("select text_ from act_ru_variable where proc_inst_id_ = ? and name_ = 'treatmentsTried'",
        String.class, id)).isNullOrEmpty();
    assertThat(jdbc.queryForObject("select long_ from act_ru_variable where proc_inst_id_ = ? and name_ = "
        + "'electiveMinFailedCareDays'", Long.class, id)).isEqualTo(90L);
  }

  /** A start of the pathway for this test's patient as /engine-rest takes it, with the given variables added. */
  private String startBody(String variables) {
    return """
        {"businessKey":"REF-%1$s","variables":{
          "referralId":{"value":"REF-%1$s"},"patientRef":{"value":"%1$s"},
          "steroidKind":{"value":"EPIDURAL_STEROID_INJECTION"},"steroidDate":{"value":"%2$s"},
          "imageGuided":{"value":true},"contrastSpreadConfirmed":{"value":true},"painPattern":{"value":"RADICULAR"},
          "baselinePainScore":{"value":7},"neuropathicScore":{"value":2},"priorSpineSurgery":{"value":false},
          "redFlags":{"value":""},"symptomOnsetDate":{"value":"%2$s"},%3$s}}
        """.formatted(patient, LocalDate.now().minusDays(30), variables);
  }

  private static HttpHeaders json() {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_JSON);
    return headers;
  }

  /** F16: the imaged lesion's level and side on a start are checked; a bad one is refused and nothing starts. */
  @Test
  void shouldRefuseAStartWhoseImagedLesionIsNotALevelOrASide() {
    String lesion = """
        "imagingFindings":{"value":"LARGE_DISC_HERNIATION"},"imagingLevel":{"value":"%s"},"imagingSide":{"value":"%s"}""";
    HttpHeaders headers = json();
    for (String[] bad : new String[][] {{"L4/5", "LEFT"}, {"L4-L5", "UPPER"}}) {
      ResponseEntity<Map> refused = rest.withBasicAuth(Tasklist.COORDINATOR, Tasklist.COORDINATOR).exchange(
          "/engine-rest/process-definition/key/steroid-failure-escalation/submit-form", HttpMethod.POST,
          new HttpEntity<>(startBody(lesion.formatted(bad[0], bad[1])), headers), Map.class);

      assertThat(refused.getStatusCode().value()).as(String.join(" ", bad)).isEqualTo(400);
      assertThat(String.valueOf(refused.getBody().get("message"))).contains(bad[0].equals("L4/5") ? "imagingLevel" : "imagingSide");
    }
    assertThat(jdbc.queryForObject("select count(*) from pathway.pathway_ref where patient_ref = ?", Integer.class, patient)).isZero();

    // a valid one starts, unverified until a clinician confirms it with the findings
    ResponseEntity<Map> started = rest.withBasicAuth(Tasklist.COORDINATOR, Tasklist.COORDINATOR).exchange(
        "/engine-rest/process-definition/key/steroid-failure-escalation/submit-form", HttpMethod.POST,
        new HttpEntity<>(startBody(lesion.formatted("L4-L5", "LEFT")), headers), Map.class);
    assertThat(started.getStatusCode().value()).isEqualTo(200);
    assertThat(jdbc.queryForMap("select imaging_level, imaging_side, findings_verified from pathway.enrolment_fact where patient_ref = ?",
        patient)).containsEntry("imaging_level", "L4-L5").containsEntry("imaging_side", "LEFT").containsEntry("findings_verified", false);
  }

  // ------------------------------------------------------------------ follow-ups (A12)

  @Test
  void shouldNotApplyAFollowUpAssessedBeforeThisEpisodesSteroid() {
    enrol(PainPattern.RADICULAR, List.of(), 30);
    await().atMost(Duration.ofSeconds(30)).until(() -> "RESPONSE_ASSESSMENT".equals(stage()));

    followUp(70, true, Instant.now().minus(Duration.ofDays(40)));

    AlertRaised alert = await().atMost(Duration.ofSeconds(30)).until(() -> Outbound.events(Topics.ALERTS, AlertRaised.class, patient),
        l -> !l.isEmpty()).get(0);
    assertThat(alert.type()).isEqualTo(AlertType.UNMATCHED_EVENT);
    assertThat(stage()).isEqualTo("RESPONSE_ASSESSMENT");
    assertThat(jdbc.queryForObject("select status from pathway.follow_up_fact f join pathway.pathway_ref p "
        + "on p.pathway_id = f.pathway_id where p.patient_ref = ?", String.class, patient)).isEqualTo("UNMATCHED");

    // the episode's own follow-up still counts
    followUp(20, true, Instant.now());
    tasklist.await(Tasklist.CLINICIAN, Tasks.REVIEW_FAILURE_HYPOTHESES, patient);
  }

  @Test
  void shouldKeepAnEarlyReportOnTheTimelineAndWaitForTheDueFollowUp() {
    enrol(PainPattern.RADICULAR, List.of(), 2);
    await().atMost(Duration.ofSeconds(30)).until(() -> "RESPONSE_ASSESSMENT".equals(stage()));

    followUp(70, true, Instant.now());

    await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject("select count(*) from pathway.follow_up_fact f "
        + "join pathway.pathway_ref p on p.pathway_id = f.pathway_id where p.patient_ref = ? and f.status = 'EARLY'",
        Integer.class, patient) == 1);
    assertThat(jdbc.queryForObject("select count(*) from pathway.journal where patient_ref = ? and ce_type = ?", Integer.class,
        patient, "pathway.followup.recorded.v1")).isEqualTo(1);
    assertThat(stage()).isEqualTo("RESPONSE_ASSESSMENT");
  }

  @Test
  void shouldNotReadAnAbsentSustainedAsSustainedRelief() {
    enrol(PainPattern.NEUROGENIC_CLAUDICATION, List.of(), 30);

    followUp(80, null, Instant.now());

    tasklist.await(Tasklist.CLINICIAN, Tasks.REVIEW_FAILURE_HYPOTHESES, patient);
  }

  @Test
  void shouldExpireAKeptFollowUpWithItsPathwaySoThatItNeverMatchesTheNextEpisode() {
    // given: a follow-up kept while the first episode is past its response assessment
    enrol(PainPattern.NEUROGENIC_CLAUDICATION, List.of(), 30);
    followUp(20, true, Instant.now());
    tasklist.await(Tasklist.CLINICIAN, Tasks.REVIEW_FAILURE_HYPOTHESES, patient);
    followUp(70, true, Instant.now());
    Long kept = await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForList(
        "select id from pathway.inbox where record_key = ? and status = 'PENDING' and pathway_id is not null", Long.class,
        patient), l -> l.size() == 1).get(0);

    // when: the episode is withdrawn and a new one starts
    Hospital.send(Topics.PATHWAY_ENROLMENTS, new WithdrawalRequested("REF-" + patient, patient, "transferred out"));
    await().atMost(Duration.ofSeconds(30)).until(() -> "EXPIRED".equals(jdbc.queryForObject(
        "select status from pathway.inbox where id = ?", String.class, kept)));
    Hospital.send(Topics.PATHWAY_ENROLMENTS, enrolment("REF2-" + patient, PainPattern.NEUROGENIC_CLAUDICATION, List.of(), 1));

    // then: the new episode waits for its own follow-up
    await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
        "select count(*) from pathway.pathway_ref where patient_ref = ? and ended_at is null and stage = 'RESPONSE_ASSESSMENT'",
        Integer.class, patient) == 1);
    assertThat(jdbc.queryForObject("select status from pathway.inbox where id = ?", String.class, kept)).isEqualTo("EXPIRED");
    assertThat(jdbc.queryForObject("select count(*) from pathway.follow_up_fact f join pathway.pathway_ref p on p.pathway_id = "
        + "f.pathway_id where p.patient_ref = ? and p.ended_at is null", Integer.class, patient)).isZero();
  }
}
