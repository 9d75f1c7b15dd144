package io.pathway.service.intake;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.pathway.messaging.dlt.RejectedEventException;
import io.pathway.messaging.inbox.ProcessedEvents;
import io.pathway.model.EventTypes;
import io.pathway.model.envelope.DeadLetterReason;
import io.pathway.model.envelope.EventReader;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.model.envelope.InvalidEventException;
import io.pathway.model.events.DiagnosticResult;
import io.pathway.model.events.EnrolmentRequested;
import io.pathway.model.events.FollowUpRecorded;
import io.pathway.model.events.RedFlagRaised;
import io.pathway.model.events.TreatmentOutcome;
import io.pathway.model.events.WithdrawalRequested;
import io.pathway.model.codes.AlertType;
import io.pathway.model.codes.Severity;
import io.pathway.service.engine.RedFlagsInFlight;
import io.pathway.service.records.Alerts;
import io.pathway.service.diagnostics.ResultHandler;
import io.pathway.service.platform.HospitalClock;
import io.pathway.service.records.PathwayRegistry;
import java.time.Instant;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.kafka.listener.BatchListenerFailedException;
import io.pathway.service.enrolment.EnrolmentHandler;
import io.pathway.service.platform.Applied;
import io.pathway.service.enrolment.FollowUpHandler;
import io.pathway.service.records.Journal;
import io.pathway.service.redflag.RedFlagHandler;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies inbound events exactly once: decode and validate first (a bad record never reaches the
 * engine), check that it names one patient, then in ONE transaction record the event's source and id
 * and apply it, so a redelivered or duplicated event changes nothing. An event whose pathway or step
 * is not there yet goes to the inbox; one dated in the future is held there for a person. A red-flag
 * report is taken on any inbound topic.
 */
@Component
public class InboundDispatcher {

  private static final Logger log = LoggerFactory.getLogger(InboundDispatcher.class);

  private final EventReader codec;
  private final TransactionTemplate tx;
  private final ProcessedEvents processed;
  private final Journal journal;
  private final Inbox inbox;
  private final EnrolmentHandler enrolments;
  private final ResultHandler results;
  private final FollowUpHandler followUps;
  private final RedFlagHandler redFlags;
  private final MeterRegistry meters;
  private final PatientIdentities identities;
  private final HospitalClock clock;
  private final Alerts alerts;
  private final PathwayRegistry registry;
  private final int maxBatch;
  /** Source and id of the events whose claim a transaction of this service holds, until that transaction ends. */
  private final Set<String> applying = ConcurrentHashMap.newKeySet();
  private final RedFlagsInFlight redFlagsInFlight;
  private final boolean routineYield;

  InboundDispatcher(EventReader codec, TransactionTemplate tx, ProcessedEvents processed, Journal journal, Inbox inbox,
      EnrolmentHandler enrolments, ResultHandler results, FollowUpHandler followUps, RedFlagHandler redFlags,
      MeterRegistry meters, PatientIdentities identities, HospitalClock clock, Alerts alerts, PathwayRegistry registry,
      @org.springframework.beans.factory.annotation.Value("${pathway.inbound.max-batch:50}") int maxBatch,
      RedFlagsInFlight redFlagsInFlight,
      @org.springframework.beans.factory.annotation.Value("${pathway.inbound.routine-yield:true}") boolean routineYield) {
    this.maxBatch = Math.max(1, maxBatch);
    this.routineYield = routineYield;
    this.redFlagsInFlight = redFlagsInFlight;
    this.identities = identities;
    this.clock = clock;
    this.alerts = alerts;
    this.registry = registry;
    this.codec = codec;
    this.tx = tx;
    this.processed = processed;
    this.journal = journal;
    this.inbox = inbox;
    this.enrolments = enrolments;
    this.results = results;
    this.followUps = followUps;
    this.redFlags = redFlags;
    this.meters = meters;
  }

  /** Applies one record in its own transaction (the warm-up and single-record callers). */
  public Applied receive(String topic, ConsumerRecord<String, byte[]> record) {
    return receive(topic, record, true);
  }

  /**
   * Applies one record in its own transaction, ahead of the listener that owns its partition (the red-flag scout),
   * unless a transaction of this service is applying it now: then it throws {@link ClaimInFlightException} at once
   * rather than wait for that transaction's claim to commit (that transaction does the same work), and nothing of
   * this one is kept. Which events are being applied is known in memory ({@link #applying}), so finding one in flight
   * costs no statement and leaves nothing in the database's log.
   */
  public Applied receiveAhead(String topic, ConsumerRecord<String, byte[]> record) {
    return receive(topic, record, false);
  }

  private Applied receive(String topic, ConsumerRecord<String, byte[]> record, boolean waitForAClaimInFlight) {
    Instant receivedAt = Instant.now();
    EventEnvelope event = decode(topic, record);
    identities.requireOnePatient(record.key(), event, topic);
    Timer.Sample sample = Timer.start(meters);
    Applied applied = tx.execute(status -> apply(topic, event, receivedAt, waitForAClaimInFlight));
    return counted(topic, event, applied, sample);
  }

  /**
   * Entry point of the inbound listeners: the records of one poll of one partition, applied in as few
   * transactions as their order allows. Each record still has its own claim and outcome and runs under a
   * savepoint: a record that fails is rolled back alone, the ones before it commit, and the listener's
   * error handler retries or dead-letters it ({@link BatchListenerFailedException} names it) before the
   * rest are delivered again (their claims make that harmless). A red flag is never held back by the
   * records after it: the transaction commits right after it. Nor by routine records of other patients
   * ahead of it in the poll: see {@link #redFlagsFirst}. At most {@code pathway.inbound.max-batch} records
   * share a transaction.
   */
  public void receive(String topic, List<ConsumerRecord<String, byte[]>> records) {
    Set<Integer> appliedFirst = redFlagsFirst(topic, records);
    int next = 0;
    while (next < records.size()) {
      if (routineYield && !redFlagLeft(records, next, appliedFirst)) {
        routineYield(); // routine work stands aside while another thread's red flag runs (RedFlagsInFlight)
      }
      Batch batch = new Batch(records, next, appliedFirst);
      try {
        tx.executeWithoutResult(status -> applyBatch(topic, batch, status));
      } catch (RuntimeException commitFailed) {
        // the transaction itself failed (e.g. the database went away at commit): nothing of it was applied, so
        // the error handler takes it up again from its first record, with that record's back-off and retries
        throw new BatchListenerFailedException("the transaction of records " + next + ".. failed", commitFailed, next);
      } finally {
        if (batch.redFlag) {
          redFlagsInFlight.end();
        }
      }
      batch.afterCommit.forEach(Runnable::run);
      if (batch.failure != null) {
        throw new BatchListenerFailedException("record " + batch.next + " of the poll could not be applied", batch.failure,
            batch.next);
      }
      next = batch.next;
    }
  }

  /**
   * Red flags go first. A red-flag report in the poll whose patient has no earlier record in it is applied at
   * once, in a transaction of its own, before the routine records of other patients that came ahead of it (a
   * poll after a restart or a burst may hold a hundred of them, several transactions' work). One patient's
   * records keep their order: a red flag after the same patient's follow-up stays after it, and none passes a
   * record without a key (its patient shows only in its payload). The in-order pass then skips what was
   * applied here. A red flag that fails here is rolled back and left where it is: the
   * in-order pass meets it again, with the listener's retries and dead-lettering, so that a record ahead of it
   * is never skipped by the error handler's offset commit. Should a record ahead of it fail, the poll is
   * delivered again from that record, and the red flag's claim makes its second delivery change nothing.
   * Only records whose {@code ce_type} header names a red flag (binary mode) are looked at; a structured
   * record is applied in its place.
   *
   * @return the indexes of the records applied here
   */
  private Set<Integer> redFlagsFirst(String topic, List<ConsumerRecord<String, byte[]>> records) {
    if (records.stream().skip(1).noneMatch(InboundDispatcher::redFlagHeader)) {
      return Set.of(); // the common poll: nothing to take ahead
    }
    Set<Integer> applied = null;
    Set<String> patientsSeen = new HashSet<>();
    boolean unkeyedBefore = false;
    for (int i = 0; i < records.size(); i++) {
      ConsumerRecord<String, byte[]> record = records.get(i);
      if (record.key() == null) {
        unkeyedBefore = true; // whose record it is shows only in its payload: nothing passes it
        continue;
      }
      boolean firstOfPatient = patientsSeen.add(record.key());
      if (i == 0 || !firstOfPatient || unkeyedBefore || !redFlagHeader(record)) {
        continue;
      }
      redFlagsInFlight.begin();
      try {
        receive(topic, record);
        if (applied == null) {
          applied = new HashSet<>();
        }
        applied.add(i);
      } catch (RuntimeException e) {
        log.debug("Red flag at {} of the poll on {} not applied ahead ({}); applied in its place", i, topic, e.getClass().getSimpleName());
      } finally {
        redFlagsInFlight.end();
      }
    }
    return applied == null ? Set.of() : applied;
  }

  /**
   * Whether a red-flag report (by its {@code ce_type} header) is among the records from {@code from} on that were
   * not applied ahead. Such a poll does not stand aside: the red flag would wait with it.
   */
  private static boolean redFlagLeft(List<ConsumerRecord<String, byte[]>> records, int from, Set<Integer> appliedFirst) {
    for (int i = from; i < records.size(); i++) {
      if (!appliedFirst.contains(i) && redFlagHeader(records.get(i))) {
        return true;
      }
    }
    return false;
  }

  /**
   * A transaction of routine records waits while red-flag work runs on other threads (an inbound red flag, a batch
   * of the escalation's jobs), at most {@code pathway.jobs.routine-yield}: on two cores, after a restart with a
   * backlog to work off, routine jobs beside a red flag's inbound transaction doubled its time until they stood
   * aside, and the consumers' routine transactions take the same cores. Outside any transaction; with no red flag
   * in flight it returns at once.
   */
  private void routineYield() {
    redFlagsInFlight.yieldToRedFlags("inbound");
  }

  static boolean redFlagHeader(ConsumerRecord<?, ?> record) {
    Header type = record.headers().lastHeader("ce_type");
    return type != null && type.value() != null && Arrays.equals(type.value(), RED_FLAG_TYPE);
  }

  private static final byte[] RED_FLAG_TYPE = EventTypes.RED_FLAG_RAISED.getBytes(StandardCharsets.UTF_8);

  /** Where one transaction of a poll got to: the next record, the failure that stopped it, the metrics to count. */
  private static final class Batch {
    final List<ConsumerRecord<String, byte[]>> records;
    final Set<Integer> appliedFirst;
    int next;
    RuntimeException failure;
    /** A red-flag report is in this transaction: routine jobs stand aside until it commits (RedFlagsInFlight). */
    boolean redFlag;
    final List<Runnable> afterCommit = new java.util.ArrayList<>();

    Batch(List<ConsumerRecord<String, byte[]>> records, int next, Set<Integer> appliedFirst) {
      this.records = records;
      this.next = next;
      this.appliedFirst = appliedFirst;
    }
  }

  private void applyBatch(String topic, Batch batch, org.springframework.transaction.TransactionStatus status) {
    int limit = Math.min(batch.records.size(), batch.next + maxBatch);
    while (batch.next < limit) {
      if (batch.appliedFirst.contains(batch.next)) {
        batch.next++; // a red flag applied ahead of the records before it (redFlagsFirst)
        continue;
      }
      ConsumerRecord<String, byte[]> record = batch.records.get(batch.next);
      Object savepoint = status.createSavepoint();
      EventEnvelope event;
      Applied applied;
      Timer.Sample sample = Timer.start(meters);
      try {
        Instant receivedAt = Instant.now();
        event = decode(topic, record);
        if (!batch.redFlag && EventTypes.RED_FLAG_RAISED.equals(event.type())) {
          batch.redFlag = true;
          redFlagsInFlight.begin();
        }
        identities.requireOnePatient(record.key(), event, topic);
        applied = apply(topic, event, receivedAt, true);
        status.releaseSavepoint(savepoint);
      } catch (RuntimeException e) {
        status.rollbackToSavepoint(savepoint);
        batch.failure = e;
        return; // what came before commits; this record goes to the error handler
      }
      EventEnvelope counted = event;
      batch.afterCommit.add(() -> counted(topic, counted, applied, sample));
      batch.next++;
      if (EventTypes.RED_FLAG_RAISED.equals(event.type())) {
        return; // commit now: the escalation's jobs start without waiting for the rest of the poll
      }
    }
  }

  /**
   * Claims and applies a decoded event in the caller's transaction; null when it was a duplicate. With
   * {@code waitForAClaimInFlight} false, an event another transaction of this service is applying is refused at once.
   */
  private Applied apply(String topic, EventEnvelope event, Instant receivedAt, boolean waitForAClaimInFlight) {
    String key = event.source() + " " + event.id();
    if (applying.add(key)) {
      TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
        @Override
        public void afterCompletion(int status) {
          applying.remove(key);
        }
      });
    } else if (!waitForAClaimInFlight) {
      throw new ClaimInFlightException(event.id());
    }
    // another replica's transaction may still hold its claim: then the claim waits for it, whoever asks
    if (!processed.claim(event, topic)) {
      return null;
    }
    Applied a = heldForAPerson(event, topic, receivedAt).orElseGet(() -> route(event, receivedAt));
    if (a.outcome() == Applied.Outcome.NOT_YET) {
      inbox.keep(event, topic);
    } else {
      journal(event, a.pathwayId());
    }
    processed.recordOutcome(event, a.outcome().name(), a.pathwayId());
    return a;
  }

  private Applied counted(String topic, EventEnvelope event, Applied applied, Timer.Sample sample) {
    sample.stop(Timer.builder("pathway_correlation_seconds").description("Inbound event applied: decode to commit")
        .tag("type", event.type()).publishPercentileHistogram().register(meters));
    String outcome = applied == null ? "DUPLICATE" : applied.outcome().name();
    Counter.builder("pathway_events_in_total").tag("type", event.type()).tag("outcome", outcome).register(meters).increment();
    log.debug("Event {} of type {} on {}: {}", event.id(), event.type(), topic, outcome);
    return applied == null ? Applied.noChange(null) : applied;
  }

  /** The event is being applied by another transaction of this service ({@link #receiveAhead}). */
  public static final class ClaimInFlightException extends RuntimeException {

    ClaimInFlightException(String id) {
      super("event " + id + " is being applied by another transaction", null, false, false);
    }
  }

  /** Applies an event again (from the inbox) inside the caller's transaction. */
  public Applied retry(EventEnvelope event) {
    Applied a = route(event, Instant.now());
    if (a.outcome() != Applied.Outcome.NOT_YET) {
      journal(event, a.pathwayId());
      processed.recordOutcome(event, a.outcome().name(), a.pathwayId());
    }
    return a;
  }

  /**
   * A follow-up, outcome or result dated later than its receipt plus the allowed skew is not a fact: it is
   * held in the inbox for a person (never matched by itself) and a {@code CLOCK_AHEAD} alert says why.
   */
  private Optional<Applied> heldForAPerson(EventEnvelope event, String topic, Instant receivedAt) {
    Instant reported = event.data() instanceof FollowUpRecorded f ? f.assessedAt()
        : event.data() instanceof TreatmentOutcome o ? o.assessedAt()
        : event.data() instanceof DiagnosticResult r ? r.performedAt() : null;
    if (!clock.ahead(reported, receivedAt)) {
      return Optional.empty();
    }
    String field = event.data() instanceof DiagnosticResult ? "performedAt" : "assessedAt";
    inbox.hold(event, topic, AlertType.CLOCK_AHEAD.name());
    String pathwayId = registry.activeFor(event.data().patientRef()).map(PathwayRegistry.PathwayRef::pathwayId).orElse(null);
    alerts.raise(pathwayId, event.data().patientRef(), Severity.MEDIUM, AlertType.CLOCK_AHEAD,
        "A " + event.type() + " record (id " + event.id() + "): " + HospitalClock.aheadNote(field, reported, receivedAt)
            + ". It is held in the inbox and not applied: discard it there and ask the sender for a corrected record.");
    log.warn("Event {} on {} dated {} ahead of its receipt: held", event.id(), topic, field);
    return Optional.of(Applied.held(pathwayId));
  }

  private Applied route(EventEnvelope event, Instant receivedAt) {
    return switch (event.type()) {
      case EventTypes.ENROLMENT_REQUESTED -> enrolments.enrol((EnrolmentRequested) event.data(),
          event.time() == null ? null : event.time().toInstant(), receivedAt);
      case EventTypes.WITHDRAWAL_REQUESTED -> enrolments.withdraw((WithdrawalRequested) event.data());
      case EventTypes.DIAGNOSTIC_RESULT -> results.result((DiagnosticResult) event.data());
      case EventTypes.TREATMENT_OUTCOME -> results.outcome((TreatmentOutcome) event.data());
      case EventTypes.FOLLOW_UP_RECORDED -> followUps.followUp((FollowUpRecorded) event.data());
      case EventTypes.RED_FLAG_RAISED -> redFlags.redFlag((RedFlagRaised) event.data(), receivedAt);
      default -> throw new RejectedEventException(DeadLetterReason.UNKNOWN_TYPE, "ce_type is not an inbound event type of the contract");
    };
  }

  private EventEnvelope decode(String topic, ConsumerRecord<String, byte[]> record) {
    EventEnvelope event;
    try {
      event = codec.decode(record);
    } catch (InvalidEventException e) {
      throw new RejectedEventException(DeadLetterReason.of(e.reason()), e.getMessage());
    }
    if (!EventTypes.acceptedOn(topic, event.type())) {
      throw new RejectedEventException(DeadLetterReason.UNKNOWN_TYPE, "ce_type " + event.type() + " is not accepted on " + topic);
    }
    return event;
  }

  /** The payload as JSON; it was validated on the way in, so it is not validated again (EventWriter.writeData would). */
  private String json(EventEnvelope event) {
    try {
      return codec.objectMapper().writeValueAsString(event.data());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("event " + event.id() + " cannot be written as JSON", e);
    }
  }

  private void journal(EventEnvelope event, String pathwayId) {
    journal.record(new Journal.Entry(pathwayId, event.data().patientRef(), Journal.Direction.IN, event.type(), event.id(),
        json(event), event.time() == null
            ? java.time.Instant.now() : event.time().toInstant()));
  }
}
