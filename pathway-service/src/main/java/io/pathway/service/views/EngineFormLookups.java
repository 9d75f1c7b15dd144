package io.pathway.service.views;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pathway.service.enrolment.OnePathwayPerPatient;
import io.pathway.service.views.EngineRequests.Start;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.camunda.bpm.engine.FormService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.exception.NotFoundException;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.engine.repository.ProcessDefinitionQuery;

/**
 * What the declared-inputs policy needs of the engine, looked up as the engine itself (the caller may not read a
 * deployment resource, and may not correlate the red flags a refused second start raises).
 */
final class EngineFormLookups implements DeclaredInputsPolicy.Lookups {

  private final IdentityService identity;
  private final FormService forms;
  private final RepositoryService repository;
  private final TaskService tasks;
  private final OnePathwayPerPatient onePathwayPerPatient;
  private final ObjectMapper json = new ObjectMapper();

  EngineFormLookups(IdentityService identity, FormService forms, RepositoryService repository, TaskService tasks,
      OnePathwayPerPatient onePathwayPerPatient) {
    this.identity = identity;
    this.forms = forms;
    this.repository = repository;
    this.tasks = tasks;
    this.onePathwayPerPatient = onePathwayPerPatient;
  }

  /** The form of the task as Tasklist resolves it (formRef and binding); no form: nothing is editable. */
  @Override
  public FormInputs taskForm(String taskId) {
    return asSystem(() -> {
      try (InputStream in = forms.getDeployedTaskForm(taskId)) {
        return FormInputs.of(json.readTree(in));
      } catch (NotFoundException e) {
        return null;
      } catch (RuntimeException | IOException e) {
        return FormInputs.NONE;
      }
    });
  }

  @Override
  public FormInputs startForm(Start s) {
    return asSystem(() -> {
      String definitionId = s.definitionId();
      if (definitionId == null) {
        ProcessDefinitionQuery query = repository.createProcessDefinitionQuery().processDefinitionKey(s.key()).latestVersion();
        ProcessDefinition definition = (s.tenantId() == null ? query.withoutTenantId() : query.tenantIdIn(s.tenantId())).singleResult();
        if (definition == null) {
          return null;
        }
        definitionId = definition.getId();
      } else if (repository.createProcessDefinitionQuery().processDefinitionId(definitionId).count() == 0) {
        return null;
      }
      try (InputStream in = forms.getDeployedStartForm(definitionId)) {
        return FormInputs.of(json.readTree(in));
      } catch (RuntimeException | IOException e) {
        return FormInputs.NONE;
      }
    });
  }

  @Override
  public String processKey(Start s) {
    if (s.key() != null) {
      return s.key();
    }
    return asSystem(() -> {
      ProcessDefinition d = repository.createProcessDefinitionQuery().processDefinitionId(s.definitionId()).singleResult();
      return d == null ? null : d.getKey();
    });
  }

  @Override
  public Set<String> held(String taskId, Set<String> fields) {
    Set<String> held = new TreeSet<>();
    asSystem(() -> tasks.getVariables(taskId, fields)).forEach((name, value) -> {
      if (value != null && !(value instanceof String text && text.isBlank())) {
        held.add(name);
      }
    });
    return held;
  }

  /** The red flags are raised by the service, not as the caller (who may not correlate messages to a pathway). */
  @Override
  public Optional<String> refuseSecondPathway(String patientRef, String redFlagCodes) {
    return asSystem(() -> onePathwayPerPatient.refuseStart(patientRef, redFlagCodes));
  }

  private <T> T asSystem(Supplier<T> work) {
    Authentication saved = identity.getCurrentAuthentication();
    identity.clearAuthentication();
    try {
      return work.get();
    } finally {
      if (saved != null) {
        identity.setAuthentication(saved);
      }
    }
  }
}
