package io.pathway.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathway.model.codes.Channel;
import io.pathway.notification.IntegrationTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The claim on the delivery log, as several replicas would use it. The rows here are due a day
 * ahead of the service's clock, so the running worker leaves them to the test.
 */
class ClaimingTest extends IntegrationTest {

  @Autowired JdbcClient jdbc;

  private final String sourceEventId = "claiming-" + UUID.randomUUID();

  @AfterEach
  void cleanUp() {
    jdbc.sql("update notification set status = 'CANCELLED' where source_event_id = :id and status = 'PENDING'")
        .param("id", sourceEventId).update();
  }

  @Test
  void shouldGiveEachDueRowToOneWorkerOnlyWhenWorkersClaimConcurrently() throws Exception {
    // given
    Instant due = clock().instant().plus(Duration.ofDays(1));
    insertPending(40, due);
    Instant now = due.plus(Duration.ofHours(1));
    CyclicBarrier start = new CyclicBarrier(2);

    // when
    List<CompletableFuture<List<Notification>>> claims = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      claims.add(CompletableFuture.supplyAsync(() -> {
        await(start);
        return store.claimDue(now, now.plus(Duration.ofMinutes(2)), UUID.randomUUID(), 25).stream()
            .filter(n -> n.sourceEventId().equals(sourceEventId)).toList();
      }));
    }
    List<Notification> first = claims.get(0).get();
    List<Notification> second = claims.get(1).get();

    // then
    Set<UUID> a = ids(first);
    Set<UUID> b = ids(second);
    assertThat(a).doesNotContainAnyElementsOf(b);
    assertThat(a.size() + b.size()).isEqualTo(40);
  }

  @Test
  void shouldHandAClaimedRowBackAfterTheLeaseButNeverADeliveredOne() {
    // given two rows claimed by a worker that then crashes, after recording one as delivered
    Instant due = clock().instant().plus(Duration.ofDays(1));
    insertPending(2, due);
    Instant now = due.plus(Duration.ofHours(1));
    UUID crashed = UUID.randomUUID();
    List<Notification> claimed = mine(store.claimDue(now, now.plus(Duration.ofMinutes(2)), crashed, 50));
    assertThat(claimed).hasSize(2);
    assertThat(store.markDelivered(claimed.get(0).id(), crashed, 1, now)).isTrue();

    // when another worker looks during the lease, and after it
    List<Notification> duringLease = mine(store.claimDue(now.plusSeconds(60), now.plusSeconds(180), UUID.randomUUID(), 50));
    UUID next = UUID.randomUUID();
    List<Notification> afterLease = mine(store.claimDue(now.plusSeconds(121), now.plusSeconds(241), next, 50));

    // then
    assertThat(duringLease).isEmpty();
    assertThat(afterLease).extracting(Notification::id).containsExactly(claimed.get(1).id());
    assertThat(store.markDelivered(claimed.get(1).id(), crashed, 1, now)).as("the crashed worker's claim is gone").isFalse();
    assertThat(store.markDelivered(claimed.get(1).id(), next, 1, now)).isTrue();
  }

  private List<Notification> mine(List<Notification> claimed) {
    return claimed.stream().filter(n -> n.sourceEventId().equals(sourceEventId)).toList();
  }

  private void insertPending(int count, Instant due) {
    for (int i = 0; i < count; i++) {
      Notification n = Notification.pending(sourceEventId, "pathway.alert.raised.v1", "PSN-claims", null, "MEDIUM",
          "TASK_OVERDUE", "Medium alert: task overdue", "details", "recipient-" + i, Channel.EMAIL, 0, 0, null, false, true,
          due);
      assertThat(store.insert(n)).isTrue();
    }
  }

  private static Set<UUID> ids(List<Notification> l) {
    Set<UUID> s = new HashSet<>();
    l.forEach(n -> s.add(n.id()));
    return s;
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
