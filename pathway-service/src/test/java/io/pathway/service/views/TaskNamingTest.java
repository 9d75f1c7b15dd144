package io.pathway.service.views;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pathway.bpmn.PathwayModel.Tasks;
import io.pathway.model.Topics;
import io.pathway.model.codes.ImagingFinding;
import io.pathway.model.codes.PainPattern;
import io.pathway.model.codes.SteroidKind;
import io.pathway.model.events.EnrolmentRequested;
import io.pathway.model.events.FollowUpRecorded;
import io.pathway.model.events.SteroidTreatment;
import io.pathway.service.PathwayServiceTest;
import io.pathway.service.support.Hospital;
import io.pathway.service.support.Tasklist;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;

/** Task names carry the patient reference and descriptions say what is asked, for every user task of the models. */
@PathwayServiceTest
class TaskNamingTest {

  @Autowired
  TestRestTemplate rest;
  @Autowired
  RepositoryService repository;
  @Autowired
  TaskNaming naming;

  @Test
  void shouldNameATaskAfterItsPatientAndSayWhatIsAsked() {
    // given: a patient whose steroid failed
    String patient = "PT-" + UUID.randomUUID().toString().substring(0, 8);
    LocalDate date = LocalDate.now().minusDays(40);
    Hospital.send(Topics.PATHWAY_ENROLMENTS, new EnrolmentRequested("REF-" + patient, patient,
        new SteroidTreatment(SteroidKind.EPIDURAL_STEROID_INJECTION, date, true, true), PainPattern.AXIAL, 7, false,
        List.of(ImagingFinding.FACET_ARTHROPATHY), 2, List.of(), date.minusMonths(3)));
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new FollowUpRecorded(patient, "EPIDURAL_STEROID_INJECTION", 20, true, Instant.now()));

    // when: the clinician opens the worklist
    new Tasklist(rest).await(Tasklist.CLINICIAN, Tasks.REVIEW_FAILURE_HYPOTHESES, patient);
    JsonNode task = rest.withBasicAuth(Tasklist.CLINICIAN, Tasklist.CLINICIAN).getForObject(
        "/engine-rest/task?taskDefinitionKey={key}&processVariables=patientRef_eq_{patient}&maxResults=1", JsonNode.class,
        Tasks.REVIEW_FAILURE_HYPOTHESES, patient).get(0);

    // then
    assertThat(task.get("name").asText()).isEqualTo("Review failure hypotheses · " + patient);
    assertThat(task.get("description").asText()).startsWith("The steroid did not relieve the pain. Decide why")
        .contains("POSSIBLE_MISDIAGNOSIS").doesNotContain("{", "not recorded");
  }

  @Test
  void shouldDescribeEveryUserTaskOfTheDeployedModels() {
    List<String> userTasks = repository.createProcessDefinitionQuery().latestVersion().list().stream()
        .flatMap(d -> repository.getBpmnModelInstance(d.getId()).getModelElementsByType(UserTask.class).stream())
        .map(UserTask::getId).distinct().toList();

    assertThat(userTasks).hasSizeGreaterThanOrEqualTo(11);
    assertThat(naming.descriptions()).containsKeys(userTasks.toArray(String[]::new));
    assertThat(naming.descriptions().values()).allSatisfy(d -> assertThat(d).isNotBlank().doesNotContainIgnoringCase("name"));
  }
}
