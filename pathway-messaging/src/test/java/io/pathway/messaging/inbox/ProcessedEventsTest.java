package io.pathway.messaging.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathway.messaging.MessagingTest;
import io.pathway.model.codes.AlertType;
import io.pathway.model.codes.Severity;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.model.events.AlertRaised;
import java.net.URI;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Claim on receipt, outcome in the same transaction: an event is applied once, however often it comes. */
class ProcessedEventsTest extends MessagingTest {

  @Autowired ProcessedEvents processed;
  @Autowired PlatformTransactionManager transactions;

  @Test
  void shouldClaimAnEventOnceAndFindTheClaimOnItsRedelivery() {
    // given an event received for the first time
    TransactionTemplate tx = new TransactionTemplate(transactions);
    EventEnvelope event = event();

    // when it is claimed, its outcome recorded, and it arrives again
    boolean first = tx.execute(s -> {
      boolean claimed = processed.claim(event, "pathway.alerts");
      processed.recordOutcome(event, "APPLIED", "PW-1");
      return claimed;
    });
    boolean again = tx.execute(s -> processed.claim(event, "pathway.alerts"));

    // then only the first claim counts, and the row holds the outcome
    assertThat(first).isTrue();
    assertThat(again).isFalse();
    assertThat(jdbc.queryForMap("select ce_type, topic, outcome, outcome_ref from messaging_test.processed_event where ce_id = ?",
        event.id())).containsEntry("ce_type", event.type()).containsEntry("topic", "pathway.alerts")
        .containsEntry("outcome", "APPLIED").containsEntry("outcome_ref", "PW-1");
  }

  @Test
  void shouldForgetTheClaimWhenTheTransactionThatAppliedItRollsBack() {
    // given a claim whose processing fails
    TransactionTemplate tx = new TransactionTemplate(transactions);
    EventEnvelope event = event();
    assertThatThrownBy(() -> tx.executeWithoutResult(s -> {
      processed.claim(event, "pathway.alerts");
      throw new IllegalStateException("processing failed");
    })).isInstanceOf(IllegalStateException.class);

    // when the event is redelivered, then it is claimed and processed this time
    Boolean claimedAgain = tx.execute(s -> processed.claim(event, "pathway.alerts"));
    assertThat(claimedAgain).isTrue();
  }

  @Test
  void shouldLetASecondConsumerWaitForTheFirstClaimAndThenFindIt() throws Exception {
    // given one consumer that claimed an event and has not committed yet
    TransactionTemplate tx = new TransactionTemplate(transactions);
    EventEnvelope event = event();
    CountDownLatch claimed = new CountDownLatch(1);
    CountDownLatch commit = new CountDownLatch(1);
    CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(() -> tx.execute(s -> {
      boolean c = processed.claim(event, "pathway.alerts");
      claimed.countDown();
      await(commit);
      return c;
    }));
    await(claimed);

    // when a second consumer claims the same event while the first commits
    CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(() -> tx.execute(s -> processed.claim(event, "pathway.alerts")));
    commit.countDown();

    // then exactly one of them holds the claim
    assertThat(first.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(second.get(10, TimeUnit.SECONDS)).isFalse();
  }

  @Test
  void shouldTakeTheSameIdFromAnotherSourceAsAnotherEvent() {
    // given an event of one hospital system, claimed and applied
    TransactionTemplate tx = new TransactionTemplate(transactions);
    EventEnvelope ris = event();
    EventEnvelope ward = new EventEnvelope(ris.id(), ris.type(), URI.create("urn:hospital:ward"), ris.subject(), ris.time(), ris.data());
    assertThat((Boolean) tx.execute(s -> processed.claim(ris, "pathway.alerts"))).isTrue();

    // when another system sends an event with the same ce_id, and then sends it again
    Boolean other = tx.execute(s -> processed.claim(ward, "pathway.alerts"));
    Boolean otherAgain = tx.execute(s -> processed.claim(ward, "pathway.alerts"));

    // then the other source's event is processed once, and each keeps its own outcome
    assertThat(other).isTrue();
    assertThat(otherAgain).isFalse();
    tx.executeWithoutResult(s -> processed.recordOutcome(ward, "APPLIED", "PW-ward"));
    assertThat(jdbc.queryForList("select ce_source || '|' || outcome from messaging_test.processed_event where ce_id = ? order by ce_source",
        String.class, ris.id())).containsExactly("urn:hospital:ward|APPLIED", "urn:test|RECEIVED");
  }

  @Test
  void shouldKeepAClaimWrittenBeforeSourcesWereRecordedForEverySource() {
    // given a row from before the upgrade: an id claimed with no source
    TransactionTemplate tx = new TransactionTemplate(transactions);
    EventEnvelope event = event();
    jdbc.update("insert into messaging_test.processed_event (ce_source, ce_id, ce_type, topic, outcome) values ('', ?, ?, 'pathway.alerts', 'APPLIED')",
        event.id(), event.type());

    // when the event is redelivered after the upgrade, then it is a duplicate
    assertThat((Boolean) tx.execute(s -> processed.claim(event, "pathway.alerts"))).isFalse();
  }

  @Test
  void shouldRefuseAClaimOutsideTheTransactionThatAppliesTheEvent() {
    assertThatThrownBy(() -> processed.claim(event(), "pathway.alerts")).isInstanceOf(IllegalTransactionStateException.class);
  }

  private static EventEnvelope event() {
    return EventEnvelope.of(URI.create("urn:test"), new AlertRaised(UUID.randomUUID().toString(), null, "PSN-claim",
        Severity.HIGH, AlertType.ESCALATION, "claim test", Instant.now()));
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("latch not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
