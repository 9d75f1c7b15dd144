package io.pathway.bpmn.conventions;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathway.bpmn.PathwayModel;
import io.pathway.bpmn.support.TestEngine;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.Activity;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.camunda.bpm.model.dmn.Dmn;
import org.camunda.bpm.model.dmn.instance.Decision;
import org.junit.jupiter.api.Test;

/**
 * Every name of {@link PathwayModel} exists in the models: a constant the service uses cannot drift from
 * the BPMN, DMN and forms it names, and a new constant must name something a model has.
 */
class PathwayModelTest {

  /**
   * Process variables that the service writes for its own later steps, for the record, or on the order
   * instance without a model reading them. They are constants so that the service spells them once; they
   * must appear in no model (a model that starts to read one moves it out of this list).
   */
  private static final Set<String> WRITTEN_FOR_THE_SERVICE_ONLY = Set.of(
      PathwayModel.Vars.FOLLOW_UP_DELAY, // read by the initialiser to compute followUpDueAt
      PathwayModel.Vars.ELECTIVE_MIN_FAILED_CARE_DAYS, // the hard rules read the copy in the service's table
      PathwayModel.Vars.NEUROMODULATION_MIN_FAILED_MEASURES,
      PathwayModel.Vars.SUSTAINED_RELIEF_MIN_DAYS,
      PathwayModel.Vars.CURRENT_STAGE, // written by the stage publisher for Cockpit and the timeline
      PathwayModel.Vars.WITHDRAWAL_REASON, // delivered with the withdrawal, kept in the history
      PathwayModel.Vars.WITHDRAWN_BY,
      PathwayModel.Vars.RESULT_TEST, // delivered with a result to the order instance, kept in the history
      PathwayModel.Vars.BLOCK_SIDE,
      PathwayModel.Vars.RESULT_PERFORMED_AT,
      PathwayModel.Vars.OUTCOME_ASSESSED_AT,
      PathwayModel.Vars.ESCALATION_ID, // set by the escalation registrar, read by the service's escalation steps
      PathwayModel.Vars.PREVIOUS_PATHWAY_ID);

  private static final String MODELS = models();

  @Test
  void shouldNameTheProcessesOfTheModelsAndNoOther() {
    Set<String> processes = bpmnModels().flatMap(m -> m.getModelElementsByType(Process.class).stream())
        .map(Process::getId).collect(Collectors.toCollection(TreeSet::new));

    assertThat(new TreeSet<>(constants(PathwayModel.Processes.class))).isEqualTo(processes);
  }

  @Test
  void shouldNameOnlyDecisionsOfTheModels() {
    Set<String> decisions = TestEngine.resources(PathwayModel.DMN_FOLDER).stream()
        .flatMap(r -> Dmn.readModelFromStream(open(r)).getModelElementsByType(Decision.class).stream())
        .map(Decision::getId).collect(Collectors.toSet());

    assertThat(decisions).containsAll(constants(PathwayModel.Decisions.class));
  }

  @Test
  void shouldNameOnlyUserTasksAndStepsOfTheModels() {
    Set<String> userTasks = bpmnModels().flatMap(m -> m.getModelElementsByType(UserTask.class).stream())
        .map(UserTask::getId).collect(Collectors.toSet());
    Set<String> activities = bpmnModels().flatMap(m -> m.getModelElementsByType(Activity.class).stream())
        .map(Activity::getId).collect(Collectors.toSet());

    assertThat(userTasks).containsAll(constants(PathwayModel.Tasks.class));
    assertThat(activities).containsAll(constants(PathwayModel.Steps.class));
  }

  @Test
  void shouldNameTheCandidateGroupsOfTheModelsAndNoOther() {
    Set<String> groups = bpmnModels().flatMap(m -> m.getModelElementsByType(UserTask.class).stream())
        .flatMap(t -> t.getCamundaCandidateGroupsList().stream()).collect(Collectors.toCollection(TreeSet::new));

    assertThat(new TreeSet<>(constants(PathwayModel.Groups.class))).isEqualTo(groups);
  }

  @Test
  void shouldNameOnlyVariablesAModelReadsOrWritesOrThatAreListedAsTheServicesOwn() {
    List<String> vars = constants(PathwayModel.Vars.class);

    assertThat(vars).doesNotHaveDuplicates().containsAll(WRITTEN_FOR_THE_SERVICE_ONLY);
    assertThat(vars.stream().filter(v -> !WRITTEN_FOR_THE_SERVICE_ONLY.contains(v)).filter(v -> !inModels(v)))
        .as("variables that no BPMN, DMN or form names").isEmpty();
    assertThat(WRITTEN_FOR_THE_SERVICE_ONLY.stream().filter(PathwayModelTest::inModels))
        .as("listed as the service's own, yet a model names them").isEmpty();
  }

  /** The values of the public String constants of one nested class of {@link PathwayModel}. */
  static List<String> constants(Class<?> holder) {
    return Arrays.stream(holder.getDeclaredFields())
        .filter(f -> Modifier.isPublic(f.getModifiers()) && Modifier.isStatic(f.getModifiers()) && f.getType() == String.class)
        .map(PathwayModelTest::value).toList();
  }

  private static String value(Field f) {
    try {
      return (String) f.get(null);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean inModels(String name) {
    // a form naming "<name>Label" shows the variable in words (pathway-service labels its codes)
    return Pattern.compile("(?<![A-Za-z0-9_])" + Pattern.quote(name) + "(Label)?(?![A-Za-z0-9_])").matcher(MODELS).find();
  }

  private static Stream<BpmnModelInstance> bpmnModels() {
    return TestEngine.resources(PathwayModel.BPMN_FOLDER).stream().map(r -> Bpmn.readModelFromStream(open(r)));
  }

  private static String models() {
    return Stream.of(PathwayModel.BPMN_FOLDER, PathwayModel.DMN_FOLDER, PathwayModel.FORMS_FOLDER)
        .flatMap(folder -> TestEngine.resources(folder).stream()).map(PathwayModelTest::text).collect(Collectors.joining("\n"));
  }

  private static String text(String resource) {
    try (InputStream in = open(resource)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream open(String resource) {
    InputStream in = PathwayModelTest.class.getClassLoader().getResourceAsStream(resource);
    assertThat(in).as(resource).isNotNull();
    return in;
  }
}
