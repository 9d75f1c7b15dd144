package io.pathway.service.platform;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.List;
import org.camunda.bpm.webapp.impl.security.auth.AuthenticationUtil;
import org.camunda.bpm.webapp.impl.security.auth.Authentications;
import org.camunda.bpm.webapp.impl.security.auth.UserAuthentication;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The pages Pathway adds to Tasklist (the Journey tab, the variance ledger) read our API with the user's
 * Tasklist login: a GET under {@code /api/journey} or {@code /api/ledger} from a session the webapps
 * authenticated counts as that user with that user's groups. Only reads: a session never writes through our API
 * (it has no CSRF protection of its own), and every other path still needs HTTP Basic.
 */
class WebappSessionAuthentication extends OncePerRequestFilter {

  static final String ENGINE = "default";

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    return !"GET".equals(request.getMethod()) || !(path.startsWith("/api/journey/") || path.startsWith("/api/ledger"));
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    HttpSession session = request.getSession(false);
    if (session != null && SecurityContextHolder.getContext().getAuthentication() == null) {
      Authentications all = AuthenticationUtil.getAuthsFromSession(session);
      if (all != null && all.getAuthenticationForProcessEngine(ENGINE) instanceof UserAuthentication user
          && user.getIdentityId() != null) {
        List<SimpleGrantedAuthority> groups = user.getGroupIds() == null ? List.of()
            : user.getGroupIds().stream().map(g -> new SimpleGrantedAuthority("GROUP_" + g)).toList();
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(user.getIdentityId(), null, groups));
        SecurityContextHolder.setContext(context);
      }
    }
    chain.doFilter(request, response);
  }
}
