package io.pathway.service.diagnostics;

import io.pathway.bpmn.PathwayModel.Vars;
import io.pathway.bpmn.rules.DiagnosisInputs;
import io.pathway.bpmn.rules.RuleFacts;
import io.pathway.messaging.dlt.RejectedEventException;
import io.pathway.model.EventTypes;
import io.pathway.model.codes.AlertType;
import io.pathway.model.codes.CancelReason;
import io.pathway.model.codes.Severity;
import io.pathway.service.records.Alerts;
import io.pathway.model.codes.OrderKind;
import io.pathway.model.envelope.DeadLetterReason;
import io.pathway.model.events.DiagnosticResult;
import io.pathway.model.events.TreatmentOutcome;
import io.pathway.service.engine.PathwayEngine;
import io.pathway.service.platform.Applied;
import io.pathway.service.records.PathwayRegistry;
import io.pathway.service.records.PathwayRegistry.OrderRef;
import io.pathway.service.treatment.RuleFactStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Diagnostic results and treatment outcomes find the step that awaits them by the order id. A result
 * counts only for an order the platform placed, for the same patient, and for the test (or treatment)
 * that order names; anything else is refused ({@code ORDER_MISMATCH}, to the DLT). An accepted result
 * is recorded as a fact for the hard rules, with its side, level, relief and date, before it is delivered.
 * A second result of an order that says something else is a correction ({@link #correction}); one that says
 * the same is delivered like the first (a redelivery), and recorded once.
 */
@Component
public class ResultHandler {

  private final PathwayEngine engine;
  private final PathwayRegistry registry;
  private final RuleFactStore facts;
  private final Alerts alerts;

  ResultHandler(PathwayEngine engine, PathwayRegistry registry, RuleFactStore facts, Alerts alerts) {
    this.engine = engine;
    this.registry = registry;
    this.facts = facts;
    this.alerts = alerts;
  }

  public Applied result(DiagnosticResult r) {
    Optional<OrderRef> order = order(r.orderId(), r.patientRef(), OrderKind.DIAGNOSTIC);
    if (order.isEmpty()) {
      return Applied.notYet(null);
    }
    if (!order.get().code().equals(r.test().name())) {
      throw new RejectedEventException(DeadLetterReason.ORDER_MISMATCH, "test does not match the code of the order named by orderId");
    }
    var f = r.findings();
    RuleFacts.Result received = new RuleFacts.Result(order.get().orderId(), r.test().name(), r.outcome().name(), f.side(),
        f.level(), f.reliefPercent(), f.mri() == null ? null : f.mri().name(), r.performedAt());
    Optional<RuleFacts.Result> previous = facts.latestResult(order.get().orderId());
    Optional<String> cancelled = facts.orderCancelReason(order.get().orderId());
    if (cancelled.isPresent() && (previous.isEmpty() || !previous.get().resulted())) {
      return lateResult(order.get(), cancelled.get(), received);
    }
    if (previous.isPresent() && !sameEvidence(previous.get(), received)) {
      return correction(order.get(), previous.get(), received);
    }
    if (previous.isEmpty()) {
      facts.result(order.get().pathwayId(), received);
    }
    Map<String, Object> v = new HashMap<>();
    v.put(Vars.RESULT_TEST, r.test().name());
    v.put(Vars.RESULT_OUTCOME, r.outcome().name());
    v.put(Vars.MRI_FINDING, f.mri() == null ? null : f.mri().name());
    v.put(Vars.BLOCK_LEVEL, f.level());
    v.put(Vars.BLOCK_SIDE, f.side());
    v.put(Vars.BLOCK_RELIEF_PERCENT, f.reliefPercent());
    v.put(Vars.CONCORDANT_PAIN, f.concordantPain());
    v.put(Vars.CONTRAST_LEAK, f.contrastLeak());
    v.put(Vars.RESULT_PERFORMED_AT, r.performedAt() == null ? null : r.performedAt().toString());
    return deliver(EventTypes.DIAGNOSTIC_RESULT, order.get(), v);
  }

  public Applied outcome(TreatmentOutcome o) {
    Optional<OrderRef> order = order(o.orderId(), o.patientRef(), OrderKind.PROCEDURE);
    if (order.isEmpty()) {
      return Applied.notYet(null);
    }
    if (o.treatment() != null && !order.get().code().equals(o.treatment())) {
      throw new RejectedEventException(DeadLetterReason.ORDER_MISMATCH, "treatment does not match the code of the order named by orderId");
    }
    Optional<String> cancelled = facts.orderCancelReason(order.get().orderId());
    if (cancelled.isPresent()) {
      // F11, F20: the platform cancelled this procedure; its outcome is on the timeline and told to a person, never a fact
      alerts.raise(order.get().pathwayId(), order.get().patientRef(), Severity.HIGH, AlertType.LATE_RESULT, "Outcome of "
          + order.get().code() + " (order " + order.get().orderId() + ") came after the order was cancelled (" + cancelled.get()
          + "): " + o.painReductionPercent() + "% pain reduction; not counted, a clinician must review it");
      return Applied.alerted(order.get().pathwayId());
    }
    // F12: an outcome counts only for a procedure that was scheduled, and not before its minimum interval after that date
    var procedure = facts.procedure(order.get().orderId()).orElse(new RuleFactStore.Procedure(null, null));
    if (procedure.scheduledFor() == null) {
      // not scheduled yet: kept until the coordinator schedules it (or, if the order is closed, on the timeline only)
      return engine.isRunning(order.get().processInstanceId()) ? Applied.notYet(order.get().pathwayId())
          : Applied.noChange(order.get().pathwayId());
    }
    if (tooEarly(o.assessedAt(), procedure)) {
      // assessed before the procedure could have shown its effect: on the timeline, never counted as success or failure
      return Applied.noChange(order.get().pathwayId());
    }
    Map<String, Object> v = new HashMap<>();
    v.put(Vars.OUTCOME_PAIN_REDUCTION_PERCENT, o.painReductionPercent());
    v.put(Vars.OUTCOME_ASSESSED_AT, o.assessedAt() == null ? null : o.assessedAt().toString());
    v.put(Vars.OUTCOME_SUSTAINED, Boolean.TRUE.equals(o.sustained()));
    Applied applied = deliver(EventTypes.TREATMENT_OUTCOME, order.get(), v);
    if (applied.outcome() == Applied.Outcome.APPLIED) {
      // only an outcome the pathway took is a fact for the hard rules
      facts.outcome(order.get().pathwayId(), new RuleFacts.Outcome(order.get().orderId(), order.get().code(), o.painReductionPercent(),
          o.assessedAt()), o.sustained());
    }
    return applied;
  }

  /** Before the scheduled date plus the treatment's minimum interval (the longest default when none was fixed). */
  static boolean tooEarly(Instant assessedAt, RuleFactStore.Procedure procedure) {
    Duration interval = Duration.parse(procedure.outcomeMinInterval() == null ? "P42D" : procedure.outcomeMinInterval());
    Instant earliest = procedure.scheduledFor().atStartOfDay(ZoneOffset.UTC).toInstant().plus(interval);
    return assessedAt == null || assessedAt.isBefore(earliest);
  }

  /**
   * A second result for the order that differs from the one recorded (F9): a correction, never a duplicate.
   * It is recorded (the rules read the latest result of each order; the earlier one stays on record), a
   * {@code RESULT_CORRECTED} alert goes out, the running pathway gets a review task for the clinician, and a
   * treatment under way is held (its order cancelled with {@code EVIDENCE_WITHDRAWN}) when the correction
   * withdrew positive evidence, until a clinician decides again.
   */
  private Applied correction(OrderRef order, RuleFacts.Result previous, RuleFacts.Result corrected) {
    facts.result(order.pathwayId(), corrected);
    boolean withdrawn = previous.positive() && !corrected.positive();
    String change = order.code() + " (order " + order.orderId() + ") corrected from " + summary(previous) + " to " + summary(corrected);
    boolean running = engine.isRunning(order.pathwayId());
    boolean held = running && withdrawn && engine.holdTreatment(order.pathwayId(), CancelReason.EVIDENCE_WITHDRAWN.name());
    // an issued elective referral whose mechanical source the correction no longer confirms is stood down (F9, F20)
    boolean referralHeld = running && withdrawn && !held && !mechanicalSourceConfirmed(order.pathwayId())
        && engine.holdReferral(order.pathwayId(), io.pathway.model.codes.ReferralCancelReason.EVIDENCE_WITHDRAWN.name());
    alerts.raise(order.pathwayId(), order.patientRef(), Severity.HIGH, AlertType.RESULT_CORRECTED, "Result of " + change
        + ": the rules now read the corrected result"
        + (held ? "; the treatment under way is held and its order cancelled until a clinician decides again" : "")
        + (referralHeld ? "; the elective surgical referral no longer rests on a confirmed mechanical source and is withdrawn until "
            + "a clinician decides again" : "")
        + "; a clinician must review it");
    if (running) {
      Map<String, Object> v = new HashMap<>();
      v.put(Vars.CORRECTED_TEST, order.code());
      v.put(Vars.CORRECTED_ORDER_ID, order.orderId());
      // the evidence the open forms show, refreshed from the facts (the latest result of each order)
      v.putAll(DiagnosisInputs.from(facts.facts(order.pathwayId())));
      engine.correctionRecorded(order.pathwayId(), v, change + (withdrawn ? ". The positive evidence is withdrawn." : "."));
      return Applied.applied(order.pathwayId());
    }
    return Applied.alerted(order.pathwayId());
  }

  /** Whether the pathway's recorded facts, the correction included, still confirm a mechanical source (the elective rule's). */
  private boolean mechanicalSourceConfirmed(String pathwayId) {
    io.pathway.bpmn.rules.RuleSettings settings = facts.settings(pathwayId).orElse(null);
    return settings != null && new io.pathway.bpmn.rules.TreatmentRules(facts.facts(pathwayId), settings, Instant.now())
        .mechanicalSourceConfirmed();
  }

  /**
   * F11, F20: a result for an order the platform had cancelled (a chase closed it as not done, a red flag, a withdrawal,
   * the pathway moved on). Never a silent fact: recorded, a HIGH {@code LATE_RESULT} alert, and the review task of a
   * running pathway, so that a clinician decides what it means.
   */
  private Applied lateResult(OrderRef order, String cancelReason, RuleFacts.Result result) {
    facts.result(order.pathwayId(), result);
    String what = order.code() + " (order " + order.orderId() + ") came after the order was cancelled (" + cancelReason + "): "
        + summary(result);
    alerts.raise(order.pathwayId(), order.patientRef(), Severity.HIGH, AlertType.LATE_RESULT, "Result of " + what
        + "; a clinician must review it");
    Map<String, Object> v = new HashMap<>();
    v.put(Vars.CORRECTED_TEST, order.code());
    v.put(Vars.CORRECTED_ORDER_ID, order.orderId());
    v.putAll(DiagnosisInputs.from(facts.facts(order.pathwayId())));
    return engine.correctionRecorded(order.pathwayId(), v, "The result of " + what + ".") ? Applied.applied(order.pathwayId())
        : Applied.alerted(order.pathwayId());
  }

  /** Whether two results of an order say the same (a redelivery or a repeat of the same report). */
  static boolean sameEvidence(RuleFacts.Result a, RuleFacts.Result b) {
    return Objects.equals(a.outcome(), b.outcome()) && Objects.equals(a.side(), b.side()) && Objects.equals(a.level(), b.level())
        && Objects.equals(a.reliefPercent(), b.reliefPercent()) && Objects.equals(a.mriFinding(), b.mriFinding());
  }

  private static String summary(RuleFacts.Result r) {
    StringBuilder s = new StringBuilder(r.outcome());
    if (r.side() != null) {
      s.append(' ').append(r.side());
    }
    if (r.level() != null) {
      s.append(' ').append(r.level());
    }
    if (r.reliefPercent() != null) {
      s.append(" relief ").append(r.reliefPercent()).append('%');
    }
    if (r.mriFinding() != null) {
      s.append(' ').append(r.mriFinding());
    }
    return s.toString();
  }

  private Optional<OrderRef> order(String orderId, String patientRef, OrderKind expected) {
    Optional<OrderRef> order = registry.order(orderId);
    order.ifPresent(o -> {
      if (!o.patientRef().equals(patientRef)) {
        throw new RejectedEventException(DeadLetterReason.ORDER_MISMATCH, "patientRef does not match the patient of orderId");
      }
      if (!o.kind().equals(expected.name())) {
        throw new RejectedEventException(DeadLetterReason.ORDER_MISMATCH, "orderId names an order of kind " + o.kind() + ", not " + expected);
      }
    });
    return order;
  }

  private Applied deliver(String message, OrderRef order, Map<String, Object> variables) {
    if (engine.deliver(message, order.processInstanceId(), variables)) {
      return Applied.applied(order.pathwayId());
    }
    if (!engine.isRunning(order.processInstanceId())) {
      // the order was closed (pathway ended, or interrupted by a red flag or withdrawal): recorded, nothing to wake
      return Applied.noChange(order.pathwayId());
    }
    return Applied.notYet(order.pathwayId());
  }
}
