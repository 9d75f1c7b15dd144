package io.pathway.service.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.camunda.bpm.engine.TaskService;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The form-labels filter on both copies of the engine REST API, after their login (order 200). */
@Configuration
class LabelsConfig {

  @Bean
  FilterRegistrationBean<FormLabelsFilter> formLabels(TaskService tasks, ObjectMapper json) {
    FilterRegistrationBean<FormLabelsFilter> registration = new FilterRegistrationBean<>(new FormLabelsFilter(tasks, json));
    registration.setName("pathway-form-labels");
    registration.addUrlPatterns("/engine-rest/*", "/camunda/api/engine/*");
    registration.setOrder(250);
    return registration;
  }
}
