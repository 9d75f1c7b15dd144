package io.pathway.service.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.pathway.service.views.EngineRequests.Start;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The declared-inputs filter as a servlet filter, with the web layer alone: a stand-in for the engine REST API
 * behind it, the policy on a fake engine (one task, t1, whose form declares {@code hypothesis}). What it checks is
 * the plumbing: who is calling, the body read once and handed on intact, the refusals rendered as the engine's
 * JSON errors, and nothing reaching the engine when refused. The rules themselves: DeclaredInputsPolicyTest; the
 * real engine and Tasklist: DeclaredInputsTest.
 */
@WebMvcTest(controllers = DeclaredInputsFilterWebTest.EngineStandIn.class)
@Import({DeclaredInputsFilterWebTest.Wiring.class, DeclaredInputsFilterWebTest.EngineStandIn.class})
class DeclaredInputsFilterWebTest {

  /** The stand-in for the engine's login: who calls. */
  static final String CALLER = "X-Test-Caller";
  /** What reached the engine stand-in, in order. */
  static final List<String> REACHED = new ArrayList<>();

  /** The engine REST servlet's stand-in (mapped under its servlet path, /engine-rest). */
  @RestController
  static class EngineStandIn {
    @RequestMapping("/**")
    String anything(@RequestBody(required = false) String body) {
      REACHED.add(body == null ? "" : body);
      return "{\"engine\":\"reached\"}";
    }
  }

  @TestConfiguration
  static class Wiring {
    /** As in production, Spring Security lets the engine REST API's requests through: the engine logs its callers in. */
    @Bean
    SecurityFilterChain engineRest(HttpSecurity http) throws Exception {
      return http.securityMatcher("/engine-rest/**").authorizeHttpRequests(a -> a.anyRequest().permitAll())
          .csrf(c -> c.disable()).build();
    }

    @Bean
    FilterRegistrationBean<DeclaredInputsFilter> declaredInputs() {
      DeclaredInputsPolicy.Lookups engine = new DeclaredInputsPolicy.Lookups() {
        @Override
        public FormInputs taskForm(String taskId) {
          return taskId.equals("t1") ? new FormInputs("review", Set.of("hypothesis"), Set.of()) : null;
        }

        @Override
        public FormInputs startForm(Start start) {
          return FormInputs.NONE;
        }

        @Override
        public String processKey(Start start) {
          return "another-process";
        }

        @Override
        public Set<String> held(String taskId, Set<String> fields) {
          return Set.of();
        }

        @Override
        public Optional<String> refuseSecondPathway(String patientRef, String redFlagCodes) {
          return Optional.empty();
        }
      };
      // the caller as the engine's login would find it (a stand-in): a header naming the user and whether an administrator
      DeclaredInputsFilter.Callers callers = (request, engineName) -> {
        String who = request.getHeader(CALLER);
        return who == null ? null : who.startsWith("admin");
      };
      FilterRegistrationBean<DeclaredInputsFilter> registration =
          new FilterRegistrationBean<>(new DeclaredInputsFilter(new DeclaredInputsPolicy(engine), callers));
      registration.addUrlPatterns("/engine-rest/*");
      registration.setOrder(DeclaredInputsConfig.ORDER);
      return registration;
    }
  }

  @Autowired MockMvc mvc;

  @BeforeEach
  void clear() {
    REACHED.clear();
  }

  /** A POST as the engine REST servlet sees it: servlet path /engine-rest, the rest as path info. */
  private static MockHttpServletRequestBuilder engine(String path, String body) {
    return post("/engine-rest" + path).servletPath("/engine-rest")
        .contentType(MediaType.APPLICATION_JSON).content(body);
  }

  @Test
  void shouldPassADeclaredCompletionWithItsBodyIntact() throws Exception {
    String body = "{\"variables\":{\"hypothesis\":{\"value\":true}}}";

    mvc.perform(engine("/task/t1/complete", body).header(CALLER, "clinician"))
        .andExpect(status().isOk()).andExpect(jsonPath("$.engine").value("reached"));

    assertThat(REACHED).containsExactly(body);
  }

  @Test
  void shouldRenderARefusalAsTheEnginesJsonErrorAndKeepItFromTheEngine() throws Exception {
    mvc.perform(engine("/task/t1/complete", "{\"variables\":{\"hypothesis\":{\"value\":true},\"facetBlockPositive\":{\"value\":true}}}")
            .header(CALLER, "clinician"))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentType("application/json;charset=UTF-8"))
        .andExpect(jsonPath("$.type").value("InvalidRequestException"))
        .andExpect(jsonPath("$.fields[0]").value("facetBlockPositive"))
        .andExpect(jsonPath("$.fields.length()").value(1));

    mvc.perform(engine("/message", "{\"messageName\":\"x\"}").header(CALLER, "clinician"))
        .andExpect(status().isForbidden())
        .andExpect(jsonPath("$.type").value("AuthorizationException"))
        .andExpect(jsonPath("$.fields").doesNotExist());

    assertThat(REACHED).isEmpty();
  }

  @Test
  void shouldAnswer401WhenNobodyIsLoggedInAnd413ForABodyOverOneMebibyte() throws Exception {
    mvc.perform(engine("/task/t1/complete", "{\"variables\":{\"hypothesis\":{\"value\":true}}}"))
        .andExpect(status().isUnauthorized())
        .andExpect(jsonPath("$.type").value("AuthenticationException"));

    String big = "{\"variables\":{\"hypothesis\":{\"value\":\"" + "x".repeat(DeclaredInputsFilter.MAX_BODY) + "\"}}}";
    mvc.perform(engine("/task/t1/complete", big).header(CALLER, "clinician"))
        .andExpect(status().isPayloadTooLarge())
        .andExpect(jsonPath("$.message").value("Request body too large."));

    assertThat(REACHED).isEmpty();
  }

  @Test
  void shouldLeaveAdministratorsAndReadsToTheEngine() throws Exception {
    mvc.perform(engine("/message", "{\"messageName\":\"x\"}").header(CALLER, "admin")).andExpect(status().isOk());
    mvc.perform(get("/engine-rest/task/t1/form-variables").servletPath("/engine-rest").header(CALLER, "clinician"))
        .andExpect(status().isOk());

    assertThat(REACHED).hasSize(2);
  }
}
