package io.pathway.service.treatment;

import io.pathway.bpmn.PathwayModel.Steps;
import io.pathway.bpmn.PathwayModel.Vars;
import io.pathway.model.Topics;
import io.pathway.model.codes.RedFlag;
import io.pathway.model.codes.ReferralCancelReason;
import io.pathway.model.codes.Urgency;
import io.pathway.model.events.ReferralCancelled;
import io.pathway.service.engine.ProcessVariables;
import io.pathway.service.records.JournaledOutbox;
import io.pathway.service.records.PathwayRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * F20: an elective referral is stood down when its stage is interrupted. When the pathway's surgical referral stage
 * ({@code SubProcess_SurgicalReferral}) is cancelled (a red flag's escalation or a withdrawal interrupts it, or an
 * operator ends the pathway) after its elective referral went out, the surgeon's office is told with
 * {@code pathway.referral.cancelled.v1}, through the outbox and the journal, in the transaction of the interruption.
 * The registry's row of the referral is marked in the same transaction, so a retried or redelivered interruption
 * publishes nothing a second time; a referral never issued (the issuing job had not run) is not cancelled. Only the
 * pathway's ELECTIVE referral is concerned: the emergency or urgent referral of a red flag belongs to its escalation
 * and is never cancelled here. Added at parse time as the stage's end listener, so no model version has to carry it.
 */
@Component
class ReferralStandDown extends AbstractProcessEnginePlugin {

  private static final Logger log = LoggerFactory.getLogger(ReferralStandDown.class);

  private final JournaledOutbox outbox;
  private final PathwayRegistry registry;

  ReferralStandDown(@Lazy JournaledOutbox outbox, @Lazy PathwayRegistry registry) {
    this.outbox = outbox;
    this.registry = registry;
  }

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    if (configuration.getCustomPostBPMNParseListeners() == null) {
      configuration.setCustomPostBPMNParseListeners(new ArrayList<>());
    }
    ExecutionListener listener = this::stageEnded;
    configuration.getCustomPostBPMNParseListeners().add(new AbstractBpmnParseListener() {
      @Override
      public void parseSubProcess(Element element, ScopeImpl scope, ActivityImpl activity) {
        if (Steps.SURGICAL_REFERRAL.equals(activity.getId())) {
          activity.addListener(ExecutionListener.EVENTNAME_END, listener);
        }
      }
    });
  }

  /** End of the surgical referral stage: completed (consult booked) changes nothing; cancelled stands the referral down. */
  void stageEnded(DelegateExecution execution) {
    if (!execution.isCanceled()) {
      return;
    }
    String pathwayId = ProcessVariables.pathwayId(execution);
    ReferralCancelReason reason = reason(execution);
    if (!registry.cancelReferral(pathwayId, Urgency.ELECTIVE.name(), reason.name())) {
      return; // not issued yet (the issuing job never ran), or stood down already
    }
    Urgency supersededBy = reason == ReferralCancelReason.RED_FLAG ? superseding(ProcessVariables.string(execution, Vars.RED_FLAGS)) : null;
    outbox.append(Topics.REFERRALS, pathwayId, new ReferralCancelled(ProcessVariables.required(execution, Vars.REFERRAL_ID),
        pathwayId, ProcessVariables.required(execution, Vars.PATIENT_REF), Urgency.ELECTIVE, reason, supersededBy, Instant.now()));
    log.info("Pathway {}: elective referral stood down ({})", pathwayId, reason);
  }

  /**
   * The reason the interruption recorded on the pathway ({@code interruptionReason}); a stage ended without one (an
   * operator ended the pathway) counts as a withdrawal, as {@code PathwayCompletionPublisher} records it.
   */
  static ReferralCancelReason reason(DelegateExecution execution) {
    Object recorded = execution.getVariable(Vars.INTERRUPTION_REASON);
    if (recorded == null) {
      return ReferralCancelReason.WITHDRAWN;
    }
    try {
      return ReferralCancelReason.valueOf(recorded.toString());
    } catch (IllegalArgumentException other) {
      return ReferralCancelReason.WITHDRAWN;
    }
  }

  /**
   * The urgency of the red flag's own referral: emergency for cauda equina signs, urgent for a progressive deficit
   * (the classification of {@link RedFlag#caudaEquina()}, which the triage table follows); null when no flag is named.
   */
  static Urgency superseding(String flags) {
    if (flags == null || flags.isBlank()) {
      return null;
    }
    boolean caudaEquina = Arrays.stream(flags.split(",")).map(String::trim).filter(f -> !f.isEmpty())
        .anyMatch(f -> {
          try {
            return RedFlag.valueOf(f).caudaEquina();
          } catch (IllegalArgumentException unknown) {
            return false;
          }
        });
    return caudaEquina ? Urgency.EMERGENCY : Urgency.URGENT;
  }
}
