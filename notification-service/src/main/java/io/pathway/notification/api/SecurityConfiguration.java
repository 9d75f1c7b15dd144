package io.pathway.notification.api;

import io.pathway.notification.NotificationProperties;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * HTTP Basic on everything but health and readiness; anonymous calls get 401. The API is
 * stateless (no session, so no session cookie to ride on) and its only state-changing call is
 * made with a JSON body, so CSRF tokens are not used. The user comes from
 * {@code NOTIFICATION_API_USER} / {@code NOTIFICATION_API_PASSWORD}; without them the service does
 * not start (the local profile has a demo user).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

  @Bean
  SecurityFilterChain api(HttpSecurity http) throws Exception {
    return http
        .authorizeHttpRequests(auth -> auth
            .requestMatchers(EndpointRequest.to(HealthEndpoint.class)).permitAll()
            .anyRequest().authenticated())
        .httpBasic(basic -> basic.realmName("pathway-notification"))
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .csrf(csrf -> csrf.disable())
        .headers(h -> h.contentSecurityPolicy(csp -> csp.policyDirectives(
            "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'")))
        .build();
  }

  @Bean
  PasswordEncoder passwordEncoder() {
    return PasswordEncoderFactories.createDelegatingPasswordEncoder();
  }

  @Bean
  UserDetailsService users(NotificationProperties properties, PasswordEncoder encoder) {
    NotificationProperties.Api api = properties.api(); // both checked when the properties are bound
    return new InMemoryUserDetailsManager(
        User.withUsername(api.user()).password(encoder.encode(api.password())).roles("NOTIFICATIONS").build());
  }
}
