package io.pathway.service.platform;

import static org.springframework.security.config.Customizer.withDefaults;

import io.pathway.bpmn.PathwayModel.Groups;
import java.util.List;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.rest.security.auth.ProcessEngineAuthenticationFilter;
import org.camunda.bpm.engine.rest.security.auth.impl.HttpBasicAuthenticationProvider;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Every endpoint needs a login (S1). One user directory for all of them: Camunda's identity
 * service, so a coordinator uses the same account in Tasklist, the engine REST API and ours.
 * The webapps keep their own session login and CSRF protection; the engine REST API gets
 * Camunda's HTTP Basic filter (it answers anonymous calls by default); our API uses HTTP Basic.
 */
@Configuration
class SecurityConfig {

  static final String ADMINS = "GROUP_camunda-admin";
  static final String COORDINATORS = "GROUP_" + Groups.CARE_COORDINATORS;
  static final String CLINICIANS = "GROUP_" + Groups.SPINE_CLINICIANS;
  static final String OPERATORS = "GROUP_pathway-operators";
  static final String LEADS = "GROUP_" + CamundaAccess.LEADS;

  @Bean
  @Order(1)
  SecurityFilterChain apiChain(HttpSecurity http) throws Exception {
    // the FHIR read interface (/fhir, docs/fhir.md) is read like the pathways of /api: same login, same roles
    return http.securityMatcher(new OrRequestMatcher(path("/api/**"), path("/fhir/**")))
        .authorizeHttpRequests(a -> a
            .requestMatchers("/api/inbox/**").hasAnyAuthority(ADMINS, COORDINATORS, OPERATORS)
            // moving running pathways to a new version of the models (issue 22)
            .requestMatchers("/api/upgrades/**").hasAnyAuthority(ADMINS, OPERATORS)
            // the variance ledger: clinical leads and administrators only
            .requestMatchers("/api/ledger", "/api/ledger/**").hasAnyAuthority(ADMINS, LEADS)
            .anyRequest().hasAnyAuthority(ADMINS, COORDINATORS, CLINICIANS))
        // the Journey tab and the ledger page read with the user's Tasklist session (GET only)
        .addFilterBefore(new WebappSessionAuthentication(), BasicAuthenticationFilter.class)
        .httpBasic(withDefaults())
        .csrf(c -> c.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .build();
  }

  @Bean
  @Order(2)
  SecurityFilterChain actuatorChain(HttpSecurity http) throws Exception {
    return http.securityMatcher(EndpointRequest.toAnyEndpoint())
        .authorizeHttpRequests(a -> a
            .requestMatchers(EndpointRequest.to(HealthEndpoint.class)).permitAll()
            .anyRequest().hasAnyAuthority(ADMINS, OPERATORS))
        .httpBasic(withDefaults())
        .csrf(c -> c.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .build();
  }

  /** The Camunda webapps and engine REST API authenticate themselves (session login; the Basic filter below). */
  @Bean
  @Order(3)
  SecurityFilterChain camundaChain(HttpSecurity http) throws Exception {
    // path matchers, not MVC ones: the webapps and the engine REST API are served by servlets of their own
    return http.securityMatcher(new OrRequestMatcher(path("/camunda/**"), path("/camunda-welcome/**"), path("/engine-rest/**"),
            path("/"), path("/error")))
        .authorizeHttpRequests(a -> a.anyRequest().permitAll())
        .csrf(c -> c.disable())
        .headers(h -> h.disable())
        .build();
  }

  @Bean
  @Order(4)
  SecurityFilterChain everythingElse(HttpSecurity http) throws Exception {
    // 401 without a Basic challenge: a browser on the webapps must never get a login pop-up from here
    return http.authorizeHttpRequests(a -> a.anyRequest().authenticated())
        .httpBasic(b -> b.authenticationEntryPoint(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED)))
        .exceptionHandling(e -> e.authenticationEntryPoint(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED)))
        .csrf(c -> c.disable())
        .build();
  }

  private static RequestMatcher path(String pattern) {
    return PathPatternRequestMatcher.withDefaults().matcher(pattern);
  }

  @Bean
  FilterRegistrationBean<ProcessEngineAuthenticationFilter> engineRestAuthentication() {
    FilterRegistrationBean<ProcessEngineAuthenticationFilter> registration =
        new FilterRegistrationBean<>(new ProcessEngineAuthenticationFilter());
    registration.setName("camunda-rest-auth");
    registration.addInitParameter("authentication-provider", HttpBasicAuthenticationProvider.class.getName());
    registration.addUrlPatterns("/engine-rest/*");
    registration.setOrder(200);
    return registration;
  }

  /** Checks passwords against Camunda's identity service; the user's groups become authorities. */
  @Bean
  AuthenticationProvider camundaIdentityAuthentication(IdentityService identity) {
    return new AuthenticationProvider() {
      @Override
      public Authentication authenticate(Authentication authentication) {
        String user = authentication.getName();
        Object password = authentication.getCredentials();
        if (user == null || password == null || !identity.checkPassword(user, password.toString())) {
          throw new BadCredentialsException("Bad credentials");
        }
        List<SimpleGrantedAuthority> authorities = identity.createGroupQuery().groupMember(user).list().stream()
            .map(g -> new SimpleGrantedAuthority("GROUP_" + g.getId()))
            .toList();
        return UsernamePasswordAuthenticationToken.authenticated(user, null, authorities);
      }

      @Override
      public boolean supports(Class<?> type) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(type);
      }
    };
  }
}
