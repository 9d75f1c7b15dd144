package io.pathway.service.views;

import org.camunda.bpm.engine.FormService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.TaskService;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The declared-inputs filter on both copies of the engine REST API, after the engine REST API's login (order 200). */
@Configuration
class DeclaredInputsConfig {

  static final int ORDER = 300;

  @Bean
  FilterRegistrationBean<DeclaredInputsFilter> declaredInputs(IdentityService identity, FormService forms,
      RepositoryService repository, TaskService tasks, io.pathway.service.enrolment.OnePathwayPerPatient onePathwayPerPatient) {
    FilterRegistrationBean<DeclaredInputsFilter> registration =
        new FilterRegistrationBean<>(new DeclaredInputsFilter(
            new DeclaredInputsPolicy(new EngineFormLookups(identity, forms, repository, tasks, onePathwayPerPatient)),
            new EngineCallers(identity)));
    registration.setName("pathway-declared-inputs");
    registration.addUrlPatterns("/engine-rest/*", "/camunda/api/engine/*");
    registration.setOrder(ORDER);
    return registration;
  }
}
