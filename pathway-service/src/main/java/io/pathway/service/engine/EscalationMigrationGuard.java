package io.pathway.service.engine;

import java.util.ArrayList;
import java.util.Set;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.migration.instance.MigratingActivityInstance;
import org.camunda.bpm.engine.impl.migration.instance.MigratingProcessInstance;
import org.camunda.bpm.engine.impl.migration.validation.instance.MigratingActivityInstanceValidationReportImpl;
import org.camunda.bpm.engine.impl.migration.validation.instance.MigratingActivityInstanceValidator;
import org.springframework.stereotype.Component;

/**
 * A pathway inside an open red-flag escalation is never migrated, by any route (our batches, or an
 * administrator's raw migration): Camunda validates every migrating activity instance when the migration
 * actually runs, in the transaction that would move it, and this validator refuses the steps in which a
 * pathway waits for an escalation. So an escalation that opens after a dry run, or after a batch was
 * submitted, still stops the move; the service holds such a pathway until the escalation ends.
 */
@Component
class EscalationMigrationGuard extends AbstractProcessEnginePlugin {

  /** The failure Camunda reports for such a pathway. */
  static final String FAILURE = "a red-flag escalation is open: the pathway is not moved while it runs";

  /** The pathway model's steps that wait for a red-flag escalation (its own, or one it adopted at enrolment). */
  static final Set<String> ESCALATION_STEPS = Set.of("CallActivity_RedFlagEscalation", "CallActivity_RedFlagEscalationAtEnrolment",
      "Event_AdoptedEscalationConcluded", "SubProcess_RedFlagRaised");

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    if (configuration.getCustomPreMigratingActivityInstanceValidators() == null) {
      configuration.setCustomPreMigratingActivityInstanceValidators(new ArrayList<>());
    }
    configuration.getCustomPreMigratingActivityInstanceValidators().add(new Validator());
  }

  private static final class Validator implements MigratingActivityInstanceValidator {
    @Override
    public void validate(MigratingActivityInstance instance, MigratingProcessInstance process,
        MigratingActivityInstanceValidationReportImpl report) {
      if (instance.getSourceScope() != null && ESCALATION_STEPS.contains(instance.getSourceScope().getId())
          && PathwayEngine.PATHWAY_PROCESS.equals(process.getSourceDefinition().getKey())) {
        report.addFailure(FAILURE);
      }
    }
  }
}
