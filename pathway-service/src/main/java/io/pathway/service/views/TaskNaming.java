package io.pathway.service.views;

import io.pathway.bpmn.PathwayModel.Vars;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.bpmn.behavior.UserTaskActivityBehavior;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.springframework.stereotype.Component;

/**
 * Every user task says whose it is and what it asks: the name gets the patient's pseudonymous reference
 * ("Confirm treatment · PSN-1234"), the description what the user must decide (one line per task definition key
 * in {@code tasks/task-descriptions.properties}). One create listener added to every user task at parse time,
 * so no model repeats it.
 */
@Component
class TaskNaming extends AbstractProcessEnginePlugin {

  static final String SEPARATOR = " · ";
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)}");

  private final Map<String, String> descriptions = load();
  private final TaskListener listener = this::name;

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    if (configuration.getCustomPreBPMNParseListeners() == null) {
      configuration.setCustomPreBPMNParseListeners(new java.util.ArrayList<>());
    }
    configuration.getCustomPreBPMNParseListeners().add(new AbstractBpmnParseListener() {
      @Override
      public void parseUserTask(Element userTaskElement, ScopeImpl scope, ActivityImpl activity) {
        ((UserTaskActivityBehavior) activity.getActivityBehavior()).getTaskDefinition()
            .addTaskListener(TaskListener.EVENTNAME_CREATE, listener);
      }
    });
  }

  /** Task definition key to description template. */
  Map<String, String> descriptions() {
    return descriptions;
  }

  private void name(DelegateTask task) {
    Object patientRef = task.getVariable(Vars.PATIENT_REF);
    if (patientRef != null && task.getName() != null && !task.getName().endsWith(SEPARATOR + patientRef)) {
      task.setName(task.getName() + SEPARATOR + patientRef);
    }
    String template = descriptions.get(task.getTaskDefinitionKey());
    if (template != null) {
      task.setDescription(fill(template, task));
    }
  }

  private static String fill(String template, DelegateTask task) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      Object value = task.getVariable(m.group(1));
      String text = value == null || value.toString().isBlank() ? "not recorded" : value.toString();
      m.appendReplacement(out, Matcher.quoteReplacement(text));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static Map<String, String> load() {
    return io.pathway.service.platform.ClasspathProperties.load("/tasks/task-descriptions.properties");
  }

}
