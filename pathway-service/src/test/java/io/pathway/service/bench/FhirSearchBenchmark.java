package io.pathway.service.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BasicAuthInterceptor;
import ca.uhn.fhir.rest.gclient.TokenClientParam;
import io.pathway.bpmn.PathwayModel.Tasks;
import io.pathway.model.Topics;
import io.pathway.model.events.FollowUpRecorded;
import io.pathway.service.PathwayServiceTest;
import io.pathway.service.support.Hospital;
import io.pathway.service.support.JourneyTest;
import io.pathway.service.support.Tasklist;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * P6: a FHIR search by patient with 100,000 pathways in the database, p99 under 50 ms.
 *
 * <p>One real pathway is driven through the topics and Tasklist's API to where a clinician reviews the
 * failure hypotheses (a CarePlan in progress, its open Task), and its projection is read through
 * /fhir. The database then gets {@code bench.p6.pathways} (default 100,000) more pathways: rows of
 * {@code pathway.pathway_ref}, and the template's projected resources copied once per pathway with
 * their ids, references and patient renamed (SQL, in batches), because projecting 100,000 engine
 * pathways one by one would take most of an hour here (P4 makes real engine pathways for the
 * engine's own bar). After ANALYZE, {@code bench.p6.probes} (default 2,000) searches for random
 * patients, each through HAPI's generic client over HTTP with a clinician's Basic login, as a
 * hospital polls: {@code CarePlan?patient:identifier=}, {@code Task?patient:identifier=} and
 * {@code CarePlan?patient:identifier=&_include=CarePlan:activity-reference}, 500 warm-up searches
 * first. Every answer is checked (one CarePlan of that patient).
 */
@PathwayServiceTest
class FhirSearchBenchmark extends JourneyTest {

  static final String PATIENT_SYSTEM = "https://pathway.io/fhir/sid/patient-ref";
  static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  @Autowired
  TransactionTemplate tx;

  @Test
  void p6FhirSearchByPatientWith100kPathways() {
    int pathways = Bench.intProperty("bench.p6.pathways", 100_000);
    int probes = Bench.intProperty("bench.p6.probes", 2000);
    FhirContext fhir = FhirContext.forR4Cached();
    fhir.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    IGenericClient client = fhir.newRestfulGenericClient(rest.getRootUri() + "/fhir");
    client.registerInterceptor(new BasicAuthInterceptor(Tasklist.CLINICIAN, Tasklist.CLINICIAN));

    // the template: a real pathway, enrolled, steroid failed, the clinician's review open
    Hospital.send(Topics.PATHWAY_ENROLMENTS, Bench.enrolment(patient));
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new FollowUpRecorded(patient, "EPIDURAL_STEROID_INJECTION", 20, true, Instant.now()));
    tasklist.await(Tasklist.CLINICIAN, Tasks.REVIEW_FAILURE_HYPOTHESES, patient);
    assertThat(Bench.waitFor(Duration.ofSeconds(30), () -> search(client, Task.class, patient).getTotal() == 1)).isTrue();
    String template = jdbc.queryForObject("select pathway_id from pathway.pathway_ref where patient_ref = ?", String.class, patient);
    List<Map<String, Object>> rows = jdbc.queryForList("select resource_type, resource_id, content from pathway.fhir_resource "
        + "where pathway_id = ?", template);

    // the copies: every UUID of the template (pathway, tasks, references) gets the copy's number
    Set<String> uuids = new LinkedHashSet<>();
    for (Map<String, Object> r : rows) {
      Matcher m = UUID.matcher(r.get("resource_id") + " " + r.get("content"));
      while (m.find()) {
        uuids.add(m.group());
      }
    }
    uuids.add(template);
    String content = "r.content";
    String id = "r.resource_id";
    for (String u : uuids) {
      content = "replace(" + content + ", '" + u + "', '" + u + "-' || g)";
      id = "replace(" + id + ", '" + u + "', '" + u + "-' || g)";
    }
    content = "replace(" + content + ", '" + patient + "', 'P6-' || g)";
    String copy = "insert into pathway.fhir_resource (resource_type, resource_id, pathway_id, patient_ref, status, version_id, "
        + "last_updated, content_hash, content) select r.resource_type, " + id + ", '" + template + "-' || g, 'P6-' || g, r.status, "
        + "r.version_id, r.last_updated, r.content_hash, " + content + " from pathway.fhir_resource r, generate_series(?, ?) g "
        + "where r.pathway_id = '" + template + "'";
    long t0 = System.nanoTime();
    for (int from = 1; from <= pathways; from += 10_000) {
      int first = from;
      int to = Math.min(pathways, from + 9_999);
      tx.executeWithoutResult(s -> {
        jdbc.update("insert into pathway.pathway_ref (pathway_id, referral_id, patient_ref, started_at, stage) "
            + "select ? || '-' || g, 'REF-P6-' || g, 'P6-' || g, now(), 'FAILURE_ANALYSIS' from generate_series(?, ?) g", template, first, to);
        jdbc.update(copy, first, to);
        // the copies are projections already: nothing for the projection worker to redo
        jdbc.update("delete from pathway.fhir_stale where pathway_id like ?", template + "-%");
      });
    }
    double created = (System.nanoTime() - t0) / 1e9;
    for (String table : List.of("pathway.fhir_resource", "pathway.pathway_ref", "pathway.fhir_stale")) {
      jdbc.execute("analyze " + table);
    }
    int total = jdbc.queryForObject("select count(*) from pathway.pathway_ref", Integer.class);
    int resources = jdbc.queryForObject("select count(*) from pathway.fhir_resource", Integer.class);

    Random random = new Random(6);
    for (int i = 0; i < 500; i++) {
      probe(client, "P6-" + (1 + random.nextInt(pathways)), null, null, null);
    }
    Histogram carePlans = new Histogram(60_000_000L, 3);
    Histogram tasks = new Histogram(60_000_000L, 3);
    Histogram included = new Histogram(60_000_000L, 3);
    for (int i = 0; i < probes; i++) {
      probe(client, "P6-" + (1 + random.nextInt(pathways)), carePlans, tasks, included);
    }

    StringBuilder out = new StringBuilder();
    out.append(String.format("%d pathways in pathway.pathway_ref (%d copies of the template added in %.0f s), %d FHIR resources stored%n",
        total, pathways, created, resources));
    out.append(String.format("template: %d resources (%s)%n", rows.size(),
        rows.stream().map(r -> (String) r.get("resource_type")).sorted().toList()));
    out.append("CarePlan?patient:identifier=...                                   ").append(Bench.percentiles(carePlans)).append('\n');
    out.append("Task?patient:identifier=...                                       ").append(Bench.percentiles(tasks)).append('\n');
    out.append("CarePlan?patient:identifier=...&_include=CarePlan:activity-reference ").append(Bench.percentiles(included)).append('\n');
    out.append("bar: p99 under 50 ms (search by patient)\n");
    Long dbSize = jdbc.queryForObject("select pg_database_size(current_database()) / 1048576", Long.class);
    out.append(String.format("database size at the end: %d MiB%n", dbSize));
    Bench.report("P6-fhir-search", out.toString());
  }

  private static void probe(IGenericClient client, String patientRef, Histogram carePlans, Histogram tasks, Histogram included) {
    long t0 = System.nanoTime();
    Bundle plans = search(client, CarePlan.class, patientRef);
    long t1 = System.nanoTime();
    Bundle open = search(client, Task.class, patientRef);
    long t2 = System.nanoTime();
    Bundle withIncludes = client.search().forResource(CarePlan.class).where(byPatient(patientRef))
        .include(CarePlan.INCLUDE_ACTIVITY_REFERENCE).returnBundle(Bundle.class).execute();
    long t3 = System.nanoTime();
    assertThat(plans.getEntry()).singleElement().satisfies(e -> assertThat(((CarePlan) e.getResource()).getSubject().getIdentifier()
        .getValue()).isEqualTo(patientRef));
    assertThat(open.getTotal()).isEqualTo(1);
    assertThat(withIncludes.getEntry()).hasSizeGreaterThan(1);
    if (carePlans != null) {
      carePlans.recordValue((t1 - t0) / 1000);
      tasks.recordValue((t2 - t1) / 1000);
      included.recordValue((t3 - t2) / 1000);
    }
  }

  private static Bundle search(IGenericClient client, Class<? extends org.hl7.fhir.r4.model.Resource> type, String patientRef) {
    return client.search().forResource(type).where(byPatient(patientRef)).returnBundle(Bundle.class).execute();
  }

  private static ca.uhn.fhir.rest.gclient.ICriterion<?> byPatient(String patientRef) {
    return new TokenClientParam("patient:identifier").exactly().systemAndCode(PATIENT_SYSTEM, patientRef);
  }
}
