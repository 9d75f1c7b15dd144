package io.pathway.service.platform;

import io.pathway.bpmn.PathwayModel;
import io.pathway.service.engine.PathwayEngine;
import io.pathway.service.platform.PathwayProperties;
import java.util.Map;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Groups, authorizations and shared Tasklist filters the pathway needs (S2: a coordinator sees and
 * completes only the tasks of their groups; task access itself comes from the candidate groups in
 * the models). With {@code pathway.demo-users=true} (local profile only) it also creates demo users.
 * Idempotent: every replica runs it at start.
 */
@Component
class CamundaAccess implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(CamundaAccess.class);
  static final String COORDINATORS = PathwayModel.Groups.CARE_COORDINATORS;
  static final String CLINICIANS = PathwayModel.Groups.SPINE_CLINICIANS;
  static final String OPERATORS = "pathway-operators";
  /** Clinical leads: the variance ledger (a Tasklist page), no tasks. */
  static final String LEADS = "pathway-leads";

  private final IdentityService identity;
  private final AuthorizationService authorizations;
  private final FilterService filters;
  private final TaskService tasks;
  private final PathwayProperties properties;

  CamundaAccess(IdentityService identity, AuthorizationService authorizations, FilterService filters, TaskService tasks,
      PathwayProperties properties) {
    this.identity = identity;
    this.authorizations = authorizations;
    this.filters = filters;
    this.tasks = tasks;
    this.properties = properties;
  }

  @Override
  public void run(ApplicationArguments args) {
    try {
      group(COORDINATORS, "Care coordinators");
      group(CLINICIANS, "Spine clinicians");
      group(OPERATORS, "Pathway operators");
      group(LEADS, "Clinical leads");
      grant(LEADS, Resources.APPLICATION, "tasklist", Permissions.ACCESS);
      if (!properties.apiUser().isBlank() && !properties.apiPassword().isBlank()) {
        user(properties.apiUser(), "Pathway", "Operator", OPERATORS, properties.apiPassword());
      }
      for (String g : new String[] {COORDINATORS, CLINICIANS}) {
        grant(g, Resources.APPLICATION, "tasklist", Permissions.ACCESS);
        grant(g, Resources.PROCESS_DEFINITION, PathwayEngine.PATHWAY_PROCESS, Permissions.READ);
        // a task's comments and Tasklist's History tab are read from the history of the process the task is in
        for (String process : new String[] {PathwayEngine.PATHWAY_PROCESS, PathwayEngine.ESCALATION_PROCESS,
            io.pathway.bpmn.PathwayModel.Processes.ORDER_AND_AWAIT_RESULT}) {
          grant(g, Resources.PROCESS_DEFINITION, process, Permissions.READ_HISTORY);
        }
      }
      grant(COORDINATORS, Resources.PROCESS_DEFINITION, PathwayEngine.PATHWAY_PROCESS, Permissions.CREATE_INSTANCE);
      grant(COORDINATORS, Resources.PROCESS_INSTANCE, "*", Permissions.CREATE);
      filter("1 Red-flag work first", 90, "Emergency transfers and urgent referrals: priority 90 and above.");
      filter("2 My worklist by urgency", null, "Every task you may work, most urgent first, then by due date.");
      if (properties.demoUsers()) {
        user("coordinator", "Casey", "Coordinator", COORDINATORS, "coordinator");
        user("clinician", "Sam", "Clinician", CLINICIANS, "clinician");
        user("lead", "Lee", "Lead", LEADS, "lead");
        addToGroup("demo", COORDINATORS);
        addToGroup("demo", CLINICIANS);
      }
    } catch (RuntimeException e) {
      // another replica may be doing the same at the same moment; the next start completes it
      log.warn("Access setup incomplete: {}", e.getClass().getSimpleName());
    }
  }

  private void group(String id, String name) {
    if (identity.createGroupQuery().groupId(id).count() == 0) {
      Group group = identity.newGroup(id);
      group.setName(name);
      group.setType(Groups.GROUP_TYPE_WORKFLOW);
      identity.saveGroup(group);
    }
  }

  private void grant(String groupId, Resource resource, String resourceId, Permission permission) {
    Authorization existing = authorizations.createAuthorizationQuery().groupIdIn(groupId).resourceType(resource)
        .resourceId(resourceId).singleResult();
    if (existing != null && existing.isPermissionGranted(permission)) {
      return;
    }
    Authorization a = existing != null ? existing : authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
    if (existing == null) {
      a.setGroupId(groupId);
      a.setResource(resource);
      a.setResourceId(resourceId);
    }
    a.addPermission(permission);
    authorizations.saveAuthorization(a);
  }

  private void filter(String name, Integer minPriority, String description) {
    if (filters.createFilterQuery().filterName(name).count() > 0) {
      return;
    }
    var query = tasks.createTaskQuery();
    if (minPriority != null) {
      query.taskMinPriority(minPriority);
    }
    query.orderByTaskPriority().desc().orderByDueDate().asc();
    Filter filter = filters.newTaskFilter(name).setQuery(query)
        .setProperties(Map.of("description", description, "priority", minPriority == null ? 20 : 10, "refresh", true));
    filters.saveFilter(filter);
    for (String g : new String[] {COORDINATORS, CLINICIANS}) {
      grant(g, Resources.FILTER, filter.getId(), Permissions.READ);
    }
  }

  private void user(String id, String first, String last, String groupId, String password) {
    if (identity.createUserQuery().userId(id).count() == 0) {
      User user = identity.newUser(id);
      user.setFirstName(first);
      user.setLastName(last);
      user.setPassword(password);
      identity.saveUser(user);
    }
    addToGroup(id, groupId);
  }

  private void addToGroup(String userId, String groupId) {
    if (identity.createUserQuery().userId(userId).count() > 0
        && identity.createUserQuery().userId(userId).memberOfGroup(groupId).count() == 0) {
      identity.createMembership(userId, groupId);
    }
  }
}
