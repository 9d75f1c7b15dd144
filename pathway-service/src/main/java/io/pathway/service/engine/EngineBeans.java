package io.pathway.service.engine;

import io.pathway.bpmn.support.ClinicalClock;
import io.pathway.bpmn.support.DueDates;
import io.pathway.bpmn.support.Reasons;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Beans the models call by name, besides the delegates. */
@Configuration
class EngineBeans {

  @Bean("clinicalClock")
  ClinicalClock clinicalClock() {
    return new ClinicalClock();
  }

  @Bean("dueDates")
  DueDates dueDates() {
    return new DueDates();
  }

  @Bean("reasons")
  Reasons reasons() {
    return new Reasons();
  }
}
