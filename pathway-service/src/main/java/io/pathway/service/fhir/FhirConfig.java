package io.pathway.service.fhir;

import ca.uhn.fhir.context.FhirContext;
import java.util.List;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** /fhir as a servlet of its own beside Spring MVC; security applies to it like to /api (SecurityConfig). */
@Configuration
class FhirConfig {

  @Bean
  FhirContext fhirContext() {
    return FhirContext.forR4Cached();
  }

  @Bean
  ServletRegistrationBean<FhirServer> fhirServlet(FhirContext fhir, List<ProjectedResources> providers) {
    ServletRegistrationBean<FhirServer> registration = new ServletRegistrationBean<>(new FhirServer(fhir, providers), "/fhir/*");
    registration.setName("fhir");
    registration.setLoadOnStartup(1);
    return registration;
  }
}
