package io.pathway.service.intake;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pathway.messaging.dlt.RejectedEventException;
import io.pathway.model.codes.AlertType;
import io.pathway.model.codes.Severity;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.service.records.Alerts;
import io.pathway.service.engine.PathwayEngine;
import io.pathway.service.platform.Applied;
import io.pathway.service.records.PathwayRegistry;
import io.pathway.service.platform.PathwayProperties;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Matches kept events as soon as their step is reached (polling, one row per transaction, rows
 * locked with SKIP LOCKED so replicas share the work), and raises an {@code UNMATCHED_EVENT} alert
 * for an event still waiting past the configured time. The event stays matchable after the alert
 * while its pathway runs; when that pathway ends it expires, so it never matches a later episode.
 */
@Component
public class InboxMatcher {

  private static final Logger log = LoggerFactory.getLogger(InboxMatcher.class);
  static final String SYSTEM = "system";

  private final Inbox inbox;
  private final InboundDispatcher dispatcher;
  private final TransactionTemplate tx;
  private final Alerts alerts;
  private final PathwayRegistry registry;
  private final PathwayProperties.InboxSettings settings;

  InboxMatcher(Inbox inbox, InboundDispatcher dispatcher, TransactionTemplate tx, Alerts alerts, PathwayRegistry registry,
      PathwayProperties properties, MeterRegistry meters) {
    this.inbox = inbox;
    this.dispatcher = dispatcher;
    this.tx = tx;
    this.alerts = alerts;
    this.registry = registry;
    this.settings = properties.inbox();
    Gauge.builder("pathway_inbox_pending", inbox, Inbox::pendingCount).description("Events kept, waiting for their step").register(meters);
    Gauge.builder("pathway_inbox_oldest_age_seconds", inbox, Inbox::oldestPendingAgeSeconds)
        .description("Age of the oldest kept event").register(meters);
  }

  @Scheduled(fixedDelayString = "${pathway.inbox.poll-interval:PT1S}", initialDelayString = "${pathway.inbox.poll-interval:PT1S}")
  public void matchPending() {
    int expired = tx.execute(status -> inbox.expireEnded());
    if (expired > 0) {
      log.info("{} kept inbox events expired with their pathway", expired);
    }
    for (Long id : inbox.pendingIds(100)) {
      try {
        tryMatch(id, SYSTEM);
      } catch (RuntimeException e) {
        if (PathwayEngine.collided(e)) {
          log.debug("Inbox entry {} collided with another change; retried on the next round", id);
        } else {
          log.warn("Inbox entry {} could not be matched: {}", id, e.getClass().getSimpleName());
        }
      }
    }
    raiseUnmatchedAlerts();
  }

  /** Tries to apply one kept event now; empty if another replica holds it or it is no longer pending. */
  public Optional<Applied.Outcome> tryMatch(long id, String actor) {
    return Optional.ofNullable(tx.execute(status -> {
      Optional<EventEnvelope> event = inbox.lockPending(id);
      if (event.isEmpty()) {
        return null;
      }
      if (inbox.expireIfEnded(id)) {
        return Applied.Outcome.NO_CHANGE;
      }
      Applied applied;
      try {
        applied = dispatcher.retry(event.get());
      } catch (RejectedEventException e) {
        inbox.stillWaiting(id, e.getMessage());
        return Applied.Outcome.NOT_YET;
      }
      if (applied.outcome() == Applied.Outcome.NOT_YET) {
        inbox.stillWaiting(id, "no pathway or step waiting for it yet");
      } else {
        inbox.matched(id, actor);
      }
      return applied.outcome();
    }));
  }

  void raiseUnmatchedAlerts() {
    tx.executeWithoutResult(status -> {
      for (Inbox.Entry e : inbox.lockUnalerted(settings.unmatchedAlertAfter(), 100)) {
        String pathwayId = e.patientRef() == null ? null
            : registry.activeFor(e.patientRef()).map(PathwayRegistry.PathwayRef::pathwayId).orElse(null);
        alerts.raise(pathwayId, e.patientRef() == null ? "unknown" : e.patientRef(), Severity.MEDIUM, AlertType.UNMATCHED_EVENT,
            "An event of type " + e.type() + " (id " + e.eventId() + ") has waited since " + e.receivedAt()
                + " without a pathway step to take it: review it in the inbox (replay or discard).");
        inbox.alerted(e.id());
      }
    });
  }
}
