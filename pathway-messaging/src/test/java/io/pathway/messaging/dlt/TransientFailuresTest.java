package io.pathway.messaging.dlt;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.transaction.CannotCreateTransactionException;

/** Only an unreachable database is retried for ever; one record's conflict or timeout is not. */
class TransientFailuresTest {

  @Test
  void shouldCountConnectionClassFailuresAsTheDatabaseBeingUnreachable() {
    assertThat(TransientFailures.databaseUnreachable(new CannotGetJdbcConnectionException("pool", new SQLTransientConnectionException("timeout"))))
        .isTrue();
    assertThat(TransientFailures.databaseUnreachable(new CannotCreateTransactionException("no connection"))).isTrue();
    assertThat(TransientFailures.databaseUnreachable(new DataAccessResourceFailureException("gone"))).isTrue();
    assertThat(TransientFailures.databaseUnreachable(new SQLException("refused", "08001"))).isTrue();
    assertThat(TransientFailures.databaseUnreachable(new RuntimeException("engine", new SQLException("terminated", "08006")))).isTrue();
    assertThat(TransientFailures.databaseUnreachable(new IllegalStateException(new ConnectException("refused")))).isTrue();
    assertThat(TransientFailures.databaseUnreachable(new ListenerExecutionFailedException("listener",
        new CannotCreateTransactionException("no connection")))).isTrue();
  }

  @Test
  void shouldNotCountDeadlocksTimeoutsOrLockingConflictsAsTheDatabaseBeingUnreachable() {
    assertThat(TransientFailures.databaseUnreachable(new CannotAcquireLockException("deadlock",
        new SQLTransactionRollbackException("deadlock detected", "40P01")))).isFalse();
    assertThat(TransientFailures.databaseUnreachable(new QueryTimeoutException("slow", new SQLTimeoutException("cancel", "57014"))))
        .isFalse();
    assertThat(TransientFailures.databaseUnreachable(new OptimisticLockingFailureException("changed meanwhile"))).isFalse();
    assertThat(TransientFailures.databaseUnreachable(new PessimisticLockingFailureException("lock"))).isFalse();
    assertThat(TransientFailures.databaseUnreachable(new SQLException("serialization failure", "40001"))).isFalse();
    assertThat(TransientFailures.databaseUnreachable(new IllegalArgumentException("a bug"))).isFalse();
  }

  @Test
  void shouldStopOnACauseChainThatLoops() {
    RuntimeException a = new RuntimeException("a");
    RuntimeException b = new RuntimeException("b", a);
    a.initCause(b);
    assertThat(TransientFailures.databaseUnreachable(a)).isFalse();
  }
}
