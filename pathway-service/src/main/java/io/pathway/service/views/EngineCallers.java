package io.pathway.service.views;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.util.List;
import java.util.Set;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.webapp.impl.security.auth.AuthenticationUtil;
import org.camunda.bpm.webapp.impl.security.auth.Authentications;
import org.camunda.bpm.webapp.impl.security.auth.UserAuthentication;

/**
 * The logged-in caller of the engine REST API: set by the engine REST API's Basic filter, or the webapps' session
 * login. Camunda's administrators and the pathway's operators (see security.CamundaAccess) keep every door.
 */
final class EngineCallers implements DeclaredInputsFilter.Callers {

  static final Set<String> ADMIN_GROUPS = Set.of(Groups.CAMUNDA_ADMIN, "pathway-operators");

  private final IdentityService identity;

  EngineCallers(IdentityService identity) {
    this.identity = identity;
  }

  @Override
  public Boolean isAdmin(HttpServletRequest request, String engine) {
    List<String> groups = groups(request, engine);
    return groups == null ? null : groups.stream().anyMatch(ADMIN_GROUPS::contains);
  }

  /** The caller's groups; null when nobody is logged in. */
  private List<String> groups(HttpServletRequest request, String engine) {
    Authentication current = identity.getCurrentAuthentication();
    if (current != null && current.getUserId() != null) {
      return current.getGroupIds() == null ? List.of() : current.getGroupIds();
    }
    HttpSession session = request.getSession(false);
    if (session == null) {
      return null;
    }
    Authentications authentications = AuthenticationUtil.getAuthsFromSession(session);
    if (authentications == null) {
      return null;
    }
    org.camunda.bpm.webapp.impl.security.auth.Authentication a = authentications.getAuthenticationForProcessEngine(engine);
    if (a instanceof UserAuthentication user && user.getIdentityId() != null) {
      return user.getGroupIds() == null ? List.of() : user.getGroupIds();
    }
    return null;
  }
}
