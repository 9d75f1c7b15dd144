package io.pathway.service.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.pathway.model.Topics;
import io.pathway.model.codes.RedFlag;
import io.pathway.model.codes.Urgency;
import io.pathway.model.envelope.DeadLetterHeaders;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.model.events.FollowUpRecorded;
import io.pathway.model.events.RedFlagRaised;
import io.pathway.model.events.ReferralIssued;
import io.pathway.service.PathwayServiceTest;
import io.pathway.service.engine.RedFlagsInFlight;
import io.pathway.service.support.Hospital;
import io.pathway.service.support.Outbound;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.springframework.kafka.listener.BatchListenerFailedException;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * A poll's records are applied in shared transactions, each under its own savepoint: the test holds the
 * listener while it puts good records, a bad one and a red flag on one partition (one patient), so that one
 * poll brings them all, and checks that every good record is applied once, the bad one alone is dead-lettered
 * and the red flag escalates; and that a red flag is applied ahead of other patients' records queued before it in
 * the poll, never ahead of its own patient's.
 */
@PathwayServiceTest
class InboundBatchTest {

  @Autowired JdbcTemplate jdbc;
  @Autowired KafkaListenerEndpointRegistry listeners;
  @Autowired InboundDispatcher dispatcher;
  @Autowired org.springframework.context.ApplicationContext context;
  @Autowired RedFlagScout scout;

  @BeforeAll
  static void listen() {
    Outbound.start();
  }

  @Test
  void shouldApplyAPollsGoodRecordsOnceAndDeadLetterTheBadOneAlone() {
    String patient = "PT-" + UUID.randomUUID().toString().substring(0, 8);
    MessageListenerContainer container = listeners.getListenerContainer("clinical-observations");
    assertThat(container.getContainerProperties().getAckMode()).hasToString("BATCH");
    List<EventEnvelope> good = new ArrayList<>();
    container.pause();
    try {
      await().atMost(Duration.ofSeconds(30)).until(container::isContainerPaused);
      // follow-ups without a pathway are kept in the inbox: each must be kept exactly once
      for (int i = 0; i < 3; i++) {
        good.add(Hospital.send(Topics.CLINICAL_OBSERVATIONS, new FollowUpRecorded(patient, "ORAL_CORTICOSTEROID", 10 + i, true,
            Instant.now())));
      }
      Hospital.sendRaw(Topics.CLINICAL_OBSERVATIONS, patient, "{not json".getBytes(StandardCharsets.UTF_8), Map.of(
          "ce_specversion", "1.0", "ce_id", UUID.randomUUID().toString(), "ce_source", "urn:hospital:test",
          "ce_type", "pathway.followup.recorded.v1", "content-type", "application/json"));
      for (int i = 0; i < 2; i++) {
        good.add(Hospital.send(Topics.CLINICAL_OBSERVATIONS, new FollowUpRecorded(patient, "ORAL_CORTICOSTEROID", 20 + i, true,
            Instant.now())));
      }
      Hospital.send(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised(patient, RedFlag.SADDLE_ANESTHESIA, Instant.now()));
      good.add(Hospital.send(Topics.CLINICAL_OBSERVATIONS, new FollowUpRecorded(patient, "ORAL_CORTICOSTEROID", 30, true,
          Instant.now())));
    } finally {
      container.resume();
    }

    // the red flag escalates; the bad record, and only it, is dead-lettered with its reason
    await().atMost(Duration.ofSeconds(30)).until(() -> Outbound.events(Topics.REFERRALS, ReferralIssued.class, patient)
        .stream().anyMatch(r -> r.urgency() == Urgency.EMERGENCY));
    await().atMost(Duration.ofSeconds(30)).until(() -> Outbound.deadLetters(Topics.CLINICAL_OBSERVATIONS, patient).size() == 1);
    assertThat(Outbound.deadLetters(Topics.CLINICAL_OBSERVATIONS, patient).get(0).header(DeadLetterHeaders.REASON))
        .isEqualTo("MALFORMED");
    // every good record was claimed once, in order, none lost and none twice
    await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
        "select count(*) from pathway.processed_event where ce_id in (" + ids(good) + ")", Integer.class) == good.size());
    assertThat(jdbc.queryForObject("select count(*) from pathway.journal where patient_ref = ? and ce_type = 'pathway.redflag.raised.v1'",
        Integer.class, patient)).isOne();
    assertThat(jdbc.queryForObject("select count(*) from pathway.escalation where patient_ref = ?", Integer.class, patient)).isOne();
  }

  @Test
  void shouldApplyARedFlagAheadOfOtherPatientsRecordsQueuedBeforeItButNeverAheadOfItsOwnPatients() {
    // given: one poll (handed to the dispatcher as the listener would: which records share a poll is the broker's
    // choice, so the test composes it): routine records of other patients, one of them malformed, then a red
    // flag; and a second red flag whose patient has a follow-up earlier in the same poll
    String topic = Topics.CLINICAL_OBSERVATIONS;
    List<String> patients = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      patients.add("PT-" + UUID.randomUUID().toString().substring(0, 8));
    }
    String flagged = patients.get(5);
    String flaggedAfterOwnRecord = patients.get(6);
    String malformed = patients.get(4);
    List<EventEnvelope> routine = new ArrayList<>();
    List<ConsumerRecord<String, byte[]>> poll = new ArrayList<>();
    for (int i = 0; i < 2; i++) { // follow-ups without a pathway: each kept in the inbox
      routine.add(add(poll, topic, new FollowUpRecorded(patients.get(i), "ORAL_CORTICOSTEROID", 40, true, Instant.now())));
    }
    EventEnvelope ownEarlierRecord = add(poll, topic, new FollowUpRecorded(flaggedAfterOwnRecord, "ORAL_CORTICOSTEROID", 45, true,
        Instant.now()));
    routine.add(add(poll, topic, new FollowUpRecorded(patients.get(2), "ORAL_CORTICOSTEROID", 50, true, Instant.now())));
    int malformedAt = poll.size();
    RecordHeaders headers = new RecordHeaders();
    Map.of("ce_specversion", "1.0", "ce_id", UUID.randomUUID().toString(), "ce_source", "urn:hospital:test",
        "ce_type", "pathway.followup.recorded.v1", "content-type", "application/json")
        .forEach((k, v) -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)));
    poll.add(new ConsumerRecord<>(topic, 0, poll.size(), 0L, TimestampType.CREATE_TIME, -1, -1, malformed,
        "{not json".getBytes(StandardCharsets.UTF_8), headers, Optional.empty()));
    List<EventEnvelope> afterTheMalformed = new ArrayList<>();
    afterTheMalformed.add(add(poll, topic, new FollowUpRecorded(patients.get(3), "ORAL_CORTICOSTEROID", 55, true, Instant.now())));
    EventEnvelope redFlag = add(poll, topic, new RedFlagRaised(flagged, RedFlag.SADDLE_ANESTHESIA, Instant.now()));
    EventEnvelope redFlagAfterOwnRecord = add(poll, topic, new RedFlagRaised(flaggedAfterOwnRecord, RedFlag.SADDLE_ANESTHESIA,
        Instant.now()));

    // when: the poll is applied; the malformed record stops the in-order pass, as it would in the listener
    assertThatThrownBy(() -> dispatcher.receive(topic, poll)).isInstanceOfSatisfying(BatchListenerFailedException.class,
        e -> assertThat(e.getIndex()).isEqualTo(malformedAt));

    // then: the first red flag went ahead of every record before it: its transaction began before theirs
    Instant redFlagApplied = appliedAt(redFlag);
    assertThat(redFlagApplied).isNotNull();
    for (EventEnvelope r : routine) {
      assertThat(appliedAt(r)).as("routine record of %s, ahead of the red flag in the poll", r.data().patientRef())
          .isAfter(redFlagApplied);
    }
    assertThat(appliedAt(ownEarlierRecord)).isAfter(redFlagApplied);
    // the second stays behind its own patient's earlier record, so it waits with the records after the malformed one
    assertThat(appliedAt(redFlagAfterOwnRecord)).isNull();
    assertThat(appliedAt(afterTheMalformed.get(0))).isNull();

    // when: the listener's error handler dead-letters the malformed record and delivers the rest of the poll again
    dispatcher.receive(topic, poll.subList(malformedAt + 1, poll.size()));

    // then: the second red flag is applied after its patient's record, and each red flag escalates once
    assertThat(appliedAt(redFlagAfterOwnRecord)).isAfterOrEqualTo(appliedAt(ownEarlierRecord));
    assertThat(appliedAt(afterTheMalformed.get(0))).isNotNull();
    for (String p : List.of(flagged, flaggedAfterOwnRecord)) {
      assertThat(jdbc.queryForObject("select count(*) from pathway.escalation where patient_ref = ?", Integer.class, p)).isOne();
      assertThat(jdbc.queryForObject("select count(*) from pathway.journal where patient_ref = ? and ce_type = 'pathway.redflag.raised.v1'",
          Integer.class, p)).isOne();
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> List.of(flagged, flaggedAfterOwnRecord).stream().allMatch(p -> Outbound.events(
        Topics.REFERRALS, ReferralIssued.class, p).stream().anyMatch(r -> r.urgency() == Urgency.EMERGENCY)));
  }

  @Test
  void shouldNotLetARedFlagPassARecordWithoutAKey() {
    // given: a follow-up without a record key (its patient shows only in the payload), then a red flag for that patient
    String topic = Topics.CLINICAL_OBSERVATIONS;
    String patient = "PT-" + UUID.randomUUID().toString().substring(0, 8);
    List<ConsumerRecord<String, byte[]>> poll = new ArrayList<>();
    EventEnvelope other = add(poll, topic, new FollowUpRecorded("PT-" + UUID.randomUUID().toString().substring(0, 8),
        "ORAL_CORTICOSTEROID", 40, true, Instant.now()));
    EventEnvelope unkeyed = EventEnvelope.of(Hospital.SOURCE, new FollowUpRecorded(patient, "ORAL_CORTICOSTEROID", 40, true, Instant.now()));
    ProducerRecord<String, byte[]> r = Hospital.codec().toRecord(topic, unkeyed);
    poll.add(new ConsumerRecord<>(topic, 0, poll.size(), 0L, TimestampType.CREATE_TIME, -1, -1, null, r.value(), r.headers(),
        Optional.empty()));
    EventEnvelope redFlag = add(poll, topic, new RedFlagRaised(patient, RedFlag.SADDLE_ANESTHESIA, Instant.now()));

    // when
    dispatcher.receive(topic, poll);

    // then: the red flag kept its place, after the unkeyed record, and escalated once
    assertThat(appliedAt(redFlag)).isAfterOrEqualTo(appliedAt(unkeyed)).isAfterOrEqualTo(appliedAt(other));
    assertThat(jdbc.queryForObject("select count(*) from pathway.escalation where patient_ref = ?", Integer.class, patient)).isOne();
  }

  @Test
  void shouldRefuseARedFlagWhoseKeyNamesAnotherPatientAndAlertBothOnceWhenItIsTriedAhead() {
    // given: a poll in which a red flag for one patient, sent under another patient's record key, follows a routine record
    String topic = Topics.CLINICAL_OBSERVATIONS;
    String patient = "PT-" + UUID.randomUUID().toString().substring(0, 8);
    String keyedAs = "PT-" + UUID.randomUUID().toString().substring(0, 8);
    List<ConsumerRecord<String, byte[]>> poll = new ArrayList<>();
    EventEnvelope routine = add(poll, topic, new FollowUpRecorded("PT-" + UUID.randomUUID().toString().substring(0, 8),
        "ORAL_CORTICOSTEROID", 40, true, Instant.now()));
    EventEnvelope redFlag = EventEnvelope.of(Hospital.SOURCE, new RedFlagRaised(patient, RedFlag.SADDLE_ANESTHESIA, Instant.now()));
    ProducerRecord<String, byte[]> r = Hospital.codec().toRecord(topic, redFlag);
    poll.add(new ConsumerRecord<>(topic, 0, poll.size(), 0L, TimestampType.CREATE_TIME, -1, -1, keyedAs, r.value(), r.headers(),
        Optional.empty()));

    // when: it is tried ahead of the routine record, refused, and met again in its place
    assertThatThrownBy(() -> dispatcher.receive(topic, poll)).isInstanceOfSatisfying(BatchListenerFailedException.class,
        e -> assertThat(e.getIndex()).isEqualTo(1));

    // then: refused for both patients, each alerted once (not once per try); the routine record applied; no escalation
    assertThat(appliedAt(routine)).isNotNull();
    assertThat(appliedAt(redFlag)).isNull();
    await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject("select count(*) from pathway.outbox where published_at is null",
        Integer.class) == 0);
    for (String p : List.of(patient, keyedAs)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> mismatchAlerts(p) >= 1);
      assertThat(mismatchAlerts(p)).as("identity-mismatch alerts of %s", p).isOne();
      assertThat(jdbc.queryForObject("select count(*) from pathway.escalation where patient_ref = ?", Integer.class, p)).isZero();
    }
  }

  @Test
  void shouldHoldARoutinePollWhileARedFlagRunsElsewhereAndApplyItWhenThatRedFlagEnds() {
    // given: red-flag work running on another thread (an inbound red flag, a batch of the escalation's jobs), and a
    // dispatcher whose routine work may wait for it for minutes, so that only its end can release the poll
    RedFlagsInFlight inFlight = new RedFlagsInFlight(Duration.ofMinutes(5));
    InboundDispatcher standingAside = dispatcherWith(inFlight);
    String topic = Topics.CLINICAL_OBSERVATIONS;
    List<ConsumerRecord<String, byte[]>> poll = new ArrayList<>();
    EventEnvelope routine = add(poll, topic, new FollowUpRecorded("PT-" + UUID.randomUUID().toString().substring(0, 8),
        "ORAL_CORTICOSTEROID", 40, true, Instant.now()));
    inFlight.begin();
    Thread consumer = new Thread(() -> standingAside.receive(topic, poll), "routine-consumer");
    try {
      // when: the routine poll arrives
      consumer.start();

      // then: it waits, unapplied, while the red flag runs
      await().atMost(Duration.ofSeconds(30)).until(() -> consumer.getState() == Thread.State.TIMED_WAITING);
      assertThat(appliedAt(routine)).as("applied while a red flag ran").isNull();
    } finally {
      inFlight.end();
    }
    // and is applied once it ended
    await().atMost(Duration.ofSeconds(30)).until(() -> consumer.getState() == Thread.State.TERMINATED);
    assertThat(appliedAt(routine)).isNotNull();
  }

  @Test
  void shouldNotHoldAPollThatCarriesARedFlagBehindAnotherRedFlag() {
    // given: red-flag work running elsewhere, and a poll in which a red flag follows its own patient's follow-up (so it
    // cannot go ahead and must be applied in order)
    RedFlagsInFlight inFlight = new RedFlagsInFlight(Duration.ofMinutes(5));
    InboundDispatcher standingAside = dispatcherWith(inFlight);
    String topic = Topics.CLINICAL_OBSERVATIONS;
    String patient = "PT-" + UUID.randomUUID().toString().substring(0, 8);
    List<ConsumerRecord<String, byte[]>> poll = new ArrayList<>();
    EventEnvelope followUp = add(poll, topic, new FollowUpRecorded(patient, "ORAL_CORTICOSTEROID", 40, true, Instant.now()));
    EventEnvelope redFlag = add(poll, topic, new RedFlagRaised(patient, RedFlag.SADDLE_ANESTHESIA, Instant.now()));
    inFlight.begin();
    try {
      // when: it is applied while the other red flag still runs; standing aside would hold it for five minutes
      assertTimeoutPreemptively(Duration.ofSeconds(60), () -> standingAside.receive(topic, poll));

      // then: both applied, in order, and the red flag escalated
      assertThat(inFlight.any()).as("the other red flag still runs").isTrue();
      assertThat(appliedAt(redFlag)).isAfterOrEqualTo(appliedAt(followUp));
      assertThat(jdbc.queryForObject("select count(*) from pathway.escalation where patient_ref = ?", Integer.class, patient)).isOne();
    } finally {
      inFlight.end();
    }
  }

  @Test
  void shouldApplyARedFlagBehindAStalledBacklogAtOnceButNeverAheadOfItsOwnPatientsRecord() {
    // given: the listener holds back (as behind a backlog it is still working off), while a partition receives
    // other patients' follow-ups, a follow-up and then a red flag of one patient, and last a red flag of another
    String topic = Topics.CLINICAL_OBSERVATIONS;
    MessageListenerContainer container = listeners.getListenerContainer("clinical-observations");
    int partitions = assignedPartitions(container);
    String waiting = "PT-" + UUID.randomUUID().toString().substring(0, 8);
    int partition = partitionOf(waiting, partitions);
    List<String> others = new ArrayList<>();
    while (others.size() < 4) {
      String p = "PT-" + UUID.randomUUID().toString().substring(0, 8);
      if (partitionOf(p, partitions) == partition) {
        others.add(p);
      }
    }
    String flagged = others.remove(3);
    List<EventEnvelope> backlog = new ArrayList<>();
    EventEnvelope ownRecord;
    EventEnvelope heldRedFlag;
    EventEnvelope redFlag;
    container.pause();
    try {
      await().atMost(Duration.ofSeconds(30)).until(container::isContainerPaused);
      for (String p : others) {
        backlog.add(Hospital.send(topic, new FollowUpRecorded(p, "ORAL_CORTICOSTEROID", 40, true, Instant.now())));
      }
      ownRecord = Hospital.send(topic, new FollowUpRecorded(waiting, "ORAL_CORTICOSTEROID", 45, true, Instant.now()));
      heldRedFlag = Hospital.send(topic, new RedFlagRaised(waiting, RedFlag.BLADDER_DYSFUNCTION, Instant.now()));
      Instant sent = Instant.now();
      redFlag = Hospital.send(topic, new RedFlagRaised(flagged, RedFlag.SADDLE_ANESTHESIA, Instant.now()));

      // then: the last red flag escalates while the listener still holds the records before it
      await().atMost(Duration.ofSeconds(30)).until(() -> Outbound.events(Topics.REFERRALS, ReferralIssued.class, flagged)
          .stream().anyMatch(r -> r.urgency() == Urgency.EMERGENCY));
      assertThat(container.isContainerPaused()).isTrue();
      for (EventEnvelope r : backlog) {
        assertThat(appliedAt(r)).as("%s's follow-up, held by the listener", r.data().patientRef()).isNull();
      }
      // and the other stays behind its own patient's follow-up (the scout read it before the red flag it applied)
      assertThat(appliedAt(heldRedFlag)).isNull();
      // the scout left the listener its grace first (pathway.inbound.red-flag-scout.grace, 100 ms): the escalation
      // began no sooner than that after the red flag was sent
      assertThat(jdbc.queryForObject("select started_at from pathway.escalation where patient_ref = ?", java.sql.Timestamp.class,
          flagged).toInstant()).isAfterOrEqualTo(sent.plusMillis(100));
    } finally {
      container.resume();
    }

    // when the listener goes on: everything applied once, the held red flag after its patient's follow-up
    await().atMost(Duration.ofSeconds(30)).until(() -> appliedAt(heldRedFlag) != null && backlog.stream().allMatch(r -> appliedAt(r) != null));
    assertThat(appliedAt(heldRedFlag)).isAfterOrEqualTo(appliedAt(ownRecord));
    for (String p : List.of(waiting, flagged)) {
      assertThat(jdbc.queryForObject("select count(*) from pathway.escalation where patient_ref = ?", Integer.class, p)).isOne();
      assertThat(jdbc.queryForObject("select count(*) from pathway.journal where patient_ref = ? and ce_type = 'pathway.redflag.raised.v1'",
          Integer.class, p)).isOne();
    }
    assertThat(appliedAt(redFlag)).isBefore(appliedAt(backlog.get(0)));
  }

  @Test
  void shouldLeaveARedFlagItsListenerIsApplyingToItAndApplyTheNextRedFlagAheadWithoutWaiting() throws Exception {
    // given: the listener is applying one patient's red flag and cannot finish it yet (another session holds that
    // patient's red-flag lock), with the scout stopped so that the listener is the one that took it
    String topic = Topics.CLINICAL_OBSERVATIONS;
    MessageListenerContainer container = listeners.getListenerContainer("clinical-observations");
    int partitions = assignedPartitions(container);
    String inFlight = "PT-" + UUID.randomUUID().toString().substring(0, 8);
    String next;
    do {
      next = "PT-" + UUID.randomUUID().toString().substring(0, 8);
    } while (partitionOf(next, partitions) != partitionOf(inFlight, partitions));
    String nextPatient = next;
    EventEnvelope redFlag;
    try (java.sql.Connection otherSession = jdbc.getDataSource().getConnection()) {
      try (var lock = otherSession.prepareStatement("select pg_advisory_lock(hashtext(?))")) {
        lock.setString(1, "red-flag:" + inFlight);
        lock.execute();
      }
      scout.stop();
      try {
        Hospital.send(topic, new RedFlagRaised(inFlight, RedFlag.SADDLE_ANESTHESIA, Instant.now()));
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject("select count(*) from pg_locks where locktype = "
            + "'advisory' and not granted and database = (select oid from pg_database where datname = current_database())",
            Integer.class) > 0);
      } finally {
        scout.start();
      }

      // when another patient's red flag arrives behind it on the same partition
      redFlag = Hospital.send(topic, new RedFlagRaised(nextPatient, RedFlag.BLADDER_DYSFUNCTION, Instant.now()));

      // then the scout leaves the first to its listener, does not wait for it, and escalates the second meanwhile
      await().atMost(Duration.ofSeconds(30)).until(() -> Outbound.events(Topics.REFERRALS, ReferralIssued.class, nextPatient)
          .stream().anyMatch(r -> r.urgency() == Urgency.EMERGENCY));
      assertThat(jdbc.queryForObject("select count(*) from pathway.escalation where patient_ref = ?", Integer.class, inFlight)).isZero();
      assertThat(appliedAt(redFlag)).isNotNull();

      // and once the other session lets go, the listener finishes the first
      try (var unlock = otherSession.prepareStatement("select pg_advisory_unlock(hashtext(?))")) {
        unlock.setString(1, "red-flag:" + inFlight);
        unlock.execute();
      }
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> Outbound.events(Topics.REFERRALS, ReferralIssued.class, inFlight)
        .stream().anyMatch(r -> r.urgency() == Urgency.EMERGENCY));
    for (String p : List.of(inFlight, nextPatient)) {
      assertThat(jdbc.queryForObject("select count(*) from pathway.escalation where patient_ref = ?", Integer.class, p)).isOne();
    }
  }

  @Test
  void shouldRefuseARedFlagUnderAnotherPatientsKeyWhenTheScoutTriesItAheadAndAlertEachPatientOnce() {
    // given: the listener holds back while a red flag for one patient arrives under another patient's record key
    String topic = Topics.CLINICAL_OBSERVATIONS;
    MessageListenerContainer container = listeners.getListenerContainer("clinical-observations");
    String patient = "PT-" + UUID.randomUUID().toString().substring(0, 8);
    String keyedAs = "PT-" + UUID.randomUUID().toString().substring(0, 8);
    EventEnvelope redFlag;
    container.pause();
    try {
      await().atMost(Duration.ofSeconds(30)).until(container::isContainerPaused);
      redFlag = Hospital.sendKeyed(topic, keyedAs, new RedFlagRaised(patient, RedFlag.SADDLE_ANESTHESIA, Instant.now()));

      // then: the scout tries it ahead and refuses it: each patient alerted, nothing applied, no escalation
      for (String p : List.of(patient, keyedAs)) {
        await().atMost(Duration.ofSeconds(30)).until(() -> mismatchAlerts(p) >= 1);
      }
      assertThat(container.isContainerPaused()).isTrue();
      assertThat(appliedAt(redFlag)).isNull();
    } finally {
      container.resume();
    }

    // when the listener meets it in its place: dead-lettered, and still one alert per patient, no escalation
    await().atMost(Duration.ofSeconds(30)).until(() -> !Outbound.deadLetters(topic, keyedAs).isEmpty());
    await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject("select count(*) from pathway.outbox where published_at is null",
        Integer.class) == 0);
    for (String p : List.of(patient, keyedAs)) {
      assertThat(mismatchAlerts(p)).as("identity-mismatch alerts of %s", p).isOne();
      assertThat(jdbc.queryForObject("select count(*) from pathway.escalation where patient_ref = ?", Integer.class, p)).isZero();
    }
  }

  /** The partitions the listener holds, once it holds them (a test that runs first may find none yet). */
  private static int assignedPartitions(MessageListenerContainer container) {
    await().atMost(Duration.ofSeconds(30)).until(() -> container.getAssignedPartitions() != null
        && !container.getAssignedPartitions().isEmpty());
    return container.getAssignedPartitions().size();
  }

  private static int partitionOf(String key, int partitions) {
    return org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(
        key.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  /** The service's dispatcher, built from the context's own parts, with its own count of red-flag work. */
  private InboundDispatcher dispatcherWith(RedFlagsInFlight inFlight) {
    return new InboundDispatcher(context.getBean(io.pathway.model.envelope.EventReader.class),
        context.getBean(org.springframework.transaction.support.TransactionTemplate.class),
        context.getBean(io.pathway.messaging.inbox.ProcessedEvents.class), context.getBean(io.pathway.service.records.Journal.class),
        context.getBean(Inbox.class), context.getBean(io.pathway.service.enrolment.EnrolmentHandler.class),
        context.getBean(io.pathway.service.diagnostics.ResultHandler.class),
        context.getBean(io.pathway.service.enrolment.FollowUpHandler.class),
        context.getBean(io.pathway.service.redflag.RedFlagHandler.class), context.getBean(io.micrometer.core.instrument.MeterRegistry.class),
        context.getBean(PatientIdentities.class), context.getBean(io.pathway.service.platform.HospitalClock.class),
        context.getBean(io.pathway.service.records.Alerts.class), context.getBean(io.pathway.service.records.PathwayRegistry.class),
        context.getEnvironment().getProperty("pathway.inbound.max-batch", Integer.class, 50), inFlight, true);
  }

  private static long mismatchAlerts(String patient) {
    return Outbound.events(Topics.ALERTS, io.pathway.model.events.AlertRaised.class, patient).stream()
        .filter(a -> a.type() == io.pathway.model.codes.AlertType.IDENTITY_MISMATCH).count();
  }

  private static EventEnvelope add(List<ConsumerRecord<String, byte[]>> poll, String topic, io.pathway.model.events.PathwayEvent event) {
    EventEnvelope envelope = EventEnvelope.of(Hospital.SOURCE, event);
    ProducerRecord<String, byte[]> r = Hospital.codec().toRecord(topic, envelope);
    poll.add(new ConsumerRecord<>(topic, 0, poll.size(), 0L, TimestampType.CREATE_TIME, -1, -1, r.key(), r.value(), r.headers(),
        Optional.empty()));
    return envelope;
  }

  /** When the record's transaction began, or null when it was not applied. */
  private Instant appliedAt(EventEnvelope event) {
    return jdbc.query("select processed_at from pathway.processed_event where ce_id = ?", rs -> rs.next()
        ? rs.getTimestamp(1).toInstant() : null, event.id());
  }

  private static String ids(List<EventEnvelope> events) {
    return String.join(",", events.stream().map(e -> "'" + e.id() + "'").toList());
  }
}
