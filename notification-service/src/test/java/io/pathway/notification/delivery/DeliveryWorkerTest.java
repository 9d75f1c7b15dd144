package io.pathway.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pathway.model.Topics;
import io.pathway.model.codes.AlertType;
import io.pathway.model.codes.Channel;
import io.pathway.model.codes.Severity;
import io.pathway.model.envelope.EventEnvelope;
import io.pathway.notification.IntegrationTest;
import io.pathway.notification.TestWebhookReceiver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * How the delivery worker picks its work: a new critical alert is sent while a routine notification
 * still holds a sender (not behind it), the most urgent due rows are claimed first, and an intake
 * wakes the worker once it commits (not before, and not when it rolls back).
 */
class DeliveryWorkerTest extends IntegrationTest {

  @Autowired JdbcClient jdbc;
  @Autowired TransactionTemplate tx;
  @Autowired DeliverySignal signal;

  private final String sourceEventId = "worker-" + UUID.randomUUID();

  @AfterEach
  void cleanUp() {
    TestWebhookReceiver.release();
    jdbc.sql("update notification set status = 'CANCELLED' where source_event_id = :id and status = 'PENDING'")
        .param("id", sourceEventId).update();
  }

  @Test
  void shouldSendACriticalAlertWhileARoutineNotificationStillHoldsASender() {
    // given a routine webhook notification whose receiver does not answer
    TestWebhookReceiver.hold();
    Notification routine = Notification.pending(sourceEventId, "pathway.alert.raised.v1", newPatientRef(), null, "MEDIUM",
        "TASK_OVERDUE", "Medium alert: task overdue", "details", "on-call-spine-surgeon", Channel.WEBHOOK, 0, 0, null, false,
        true, clock().instant());
    assertThat(store.insert(routine)).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(TestWebhookReceiver::held, h -> h >= 1);

    // when a critical red-flag alert comes in
    EventEnvelope critical = publish(Topics.ALERTS, alert(newPatientRef(), Severity.CRITICAL, AlertType.RED_FLAG));

    // then its e-mails are delivered while the routine one is still unanswered
    List<Notification> mails = await().atMost(Duration.ofSeconds(4)).until(
        () -> firstNotices(critical.id()).stream().filter(n -> n.channel() == Channel.EMAIL).toList(),
        l -> l.size() == 2 && l.stream().allMatch(n -> n.status() == Notification.Status.DELIVERED));
    assertThat(store.find(routine.id()).orElseThrow().status()).isEqualTo(Notification.Status.PENDING);
    assertThat(TestWebhookReceiver.held()).isPositive();
    mails.forEach(n -> assertThat(mailsOf(n.id())).hasSize(1));

    // and once the receiver answers, the routine one and the alert's own webhook are delivered too
    TestWebhookReceiver.release();
    await().atMost(Duration.ofSeconds(10)).until(() -> store.find(routine.id()).orElseThrow().status(),
        s -> s == Notification.Status.DELIVERED);
    awaitDelivered(critical.id(), 3);
  }

  @Test
  void shouldClaimCriticalAndEmergencyNotificationsBeforeRoutineOnesThatAreDueEarlier() {
    // given, due a day ahead of the service's clock (the running worker leaves them): routine rows due first
    Instant due = clock().instant().plus(Duration.ofDays(1));
    insert("MEDIUM", "recipient-1", due);
    insert("ELECTIVE", "recipient-2", due.plusSeconds(1));
    insert("LOW", "recipient-3", due.plusSeconds(2));
    Notification high = insert("HIGH", "recipient-4", due.plusSeconds(3));
    Notification emergency = insert("EMERGENCY", "recipient-5", due.plusSeconds(4));
    Notification critical = insert("CRITICAL", "recipient-6", due.plusSeconds(5));
    Instant now = due.plus(Duration.ofMinutes(1));

    // when a worker with three free senders claims (in a transaction rolled back, so no other row stays claimed)
    List<Notification> claimed = tx.execute(s -> {
      s.setRollbackOnly();
      long foreignUrgent = jdbc.sql("""
              select count(*) from notification where status = 'PENDING' and next_attempt_at <= :now
              and source_event_id <> :id and priority in ('CRITICAL', 'EMERGENCY', 'HIGH', 'URGENT')""")
          .param("now", NotificationStore.ts(now)).param("id", sourceEventId).query(Long.class).single();
      return store.claimDue(now, now.plusSeconds(60), UUID.randomUUID(), 3 + (int) foreignUrgent).stream()
          .filter(n -> n.sourceEventId().equals(sourceEventId)).toList();
    });

    // then the three urgent ones, most urgent first, oldest first within the same rank
    assertThat(claimed).extracting(Notification::id).containsExactly(emergency.id(), critical.id(), high.id());
  }

  @Test
  void shouldWakeTheWorkerWhenAnIntakeCommitsAndNotBeforeNorOnRollback() {
    // given
    Instant due = clock().instant().plus(Duration.ofDays(1));
    long before = signal.committedIntakes();

    // when an intake rolls back
    tx.executeWithoutResult(s -> {
      insert("CRITICAL", "recipient-rolled-back", due);
      s.setRollbackOnly();
    });
    long afterRollback = signal.committedIntakes();

    // and another commits
    long[] duringCommit = new long[1];
    tx.executeWithoutResult(s -> {
      insert("CRITICAL", "recipient-committed", due);
      insert("CRITICAL", "recipient-committed-2", due);
      duringCommit[0] = signal.committedIntakes();
    });
    long afterCommit = signal.committedIntakes();

    // then only the commit woke the worker, once per committed row, after the commit
    assertThat(afterRollback).isEqualTo(before);
    assertThat(duringCommit[0]).isEqualTo(before);
    assertThat(afterCommit).isEqualTo(before + 2);
  }

  private Notification insert(String priority, String recipient, Instant due) {
    Notification n = Notification.pending(sourceEventId, "pathway.alert.raised.v1", "PSN-worker", null, priority,
        "TASK_OVERDUE", priority + " alert", "details", recipient, Channel.EMAIL, 0, 0, null, false, true, due);
    assertThat(store.insert(n)).isTrue();
    return n;
  }
}
