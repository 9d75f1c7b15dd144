package io.pathway.service.enrolment;

import io.pathway.model.EventTypes;
import io.pathway.model.codes.RedFlag;
import io.pathway.model.envelope.EventCodec;
import io.pathway.model.events.RedFlagRaised;
import io.pathway.service.config.PathwayProperties;
import io.pathway.service.journal.Journal;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import io.pathway.model.events.EnrolmentRequested;
import io.pathway.model.events.WithdrawalRequested;
import io.pathway.service.engine.PathwayEngine;
import io.pathway.service.inbound.Applied;
import io.pathway.service.registry.PathwayRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** Enrolments start a pathway (once per referral); withdrawals end one cleanly. */
@Component
public class EnrolmentHandler {

  private final PathwayEngine engine;
  private final PathwayRegistry registry;
  private final Journal journal;
  private final EventCodec codec;
  private final PathwayProperties properties;

  EnrolmentHandler(PathwayEngine engine, PathwayRegistry registry, Journal journal, EventCodec codec, PathwayProperties properties) {
    this.engine = engine;
    this.registry = registry;
    this.journal = journal;
    this.codec = codec;
    this.properties = properties;
  }

  /**
   * Starts the pathway. Red flags reported for this patient shortly before (they arrive on another
   * topic, so possibly before the enrolment) are carried into it: the pathway takes the red-flag
   * route at once, as for red flags present at enrolment.
   */
  public Applied enrol(EnrolmentRequested e) {
    var existing = registry.byReferral(e.referralId());
    if (existing.isPresent()) {
      return Applied.noChange(existing.get().pathwayId());
    }
    Map<String, Object> variables = startVariables(e);
    var earlier = journal.unlinkedInbound(e.patientRef(), EventTypes.RED_FLAG_RAISED, Instant.now().minus(properties.redFlagCarryOver()));
    Set<String> flags = new LinkedHashSet<>(e.redFlags().stream().map(Enum::name).toList());
    for (Journal.Entry entry : earlier) {
      flags.add(flagOf(entry).name());
    }
    variables.put("redFlags", String.join(",", flags));
    // the model's first step (pathwayInitialiser) registers the pathway, in this same transaction
    String pathwayId = engine.start(e.referralId(), variables);
    earlier.forEach(entry -> journal.link(entry.eventId(), pathwayId));
    return Applied.applied(pathwayId);
  }

  private RedFlag flagOf(Journal.Entry entry) {
    try {
      return codec.objectMapper().readValue(entry.data(), RedFlagRaised.class).flag();
    } catch (IOException ex) {
      throw new IllegalStateException("journal entry " + entry.eventId() + " is not a red flag", ex);
    }
  }

  public Applied withdraw(WithdrawalRequested e) {
    var pathway = registry.byReferral(e.referralId());
    if (pathway.isEmpty()) {
      return Applied.notYet(null);
    }
    if (!pathway.get().active()) {
      return Applied.noChange(pathway.get().pathwayId());
    }
    Map<String, Object> vars = new HashMap<>();
    vars.put("withdrawalReason", e.reason());
    boolean delivered = engine.deliver(EventTypes.WITHDRAWAL_REQUESTED, pathway.get().pathwayId(), vars);
    return delivered ? Applied.applied(pathway.get().pathwayId()) : Applied.notYet(pathway.get().pathwayId());
  }

  /** The start variables of docs/process-interface.md: simple types only. */
  static Map<String, Object> startVariables(EnrolmentRequested e) {
    Map<String, Object> v = new HashMap<>();
    v.put("referralId", e.referralId());
    v.put("patientRef", e.patientRef());
    var steroid = e.steroidTreatment();
    v.put("steroidKind", steroid.kind().name());
    v.put("steroidDate", steroid.date().toString());
    v.put("imageGuided", steroid.imageGuided());
    v.put("contrastSpreadConfirmed", steroid.contrastSpreadConfirmed());
    v.put("painPattern", e.painPattern().name());
    v.put("baselinePainScore", e.baselinePainScore());
    v.put("priorSpineSurgery", e.priorSpineSurgery());
    v.put("imagingFindings", join(e.imagingFindings()));
    v.put("neuropathicScore", e.neuropathicScore());
    v.put("redFlags", join(e.redFlags()));
    v.put("symptomOnsetDate", e.symptomOnsetDate() == null ? null : e.symptomOnsetDate().toString());
    return v;
  }

  private static String join(List<? extends Enum<?>> codes) {
    return codes.stream().map(Enum::name).collect(Collectors.joining(","));
  }
}
