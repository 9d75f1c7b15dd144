package io.pathway.messaging.dlt;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * The one classifier of failures that go away by themselves. Only connection-class failures count:
 * the database (or a connection to it) is not there, so every record would fail the same way and
 * giving up would dead-letter good events. Those are retried for as long as it takes.
 *
 * <p>A deadlock, a lock or query timeout, an optimistic-locking conflict or a serialization failure
 * is <em>not</em> in this class: it concerns one record, may repeat for ever, and gets the bounded
 * retries of any other failure before the record goes to its DLT.
 */
public final class TransientFailures {

  private TransientFailures() {}

  /** Whether {@code failure} (or one of its causes) means the database cannot be reached. */
  public static boolean databaseUnreachable(Throwable failure) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 32; t = t.getCause() == t ? null : t.getCause(), depth++) {
      if (t instanceof CannotCreateTransactionException || t instanceof DataAccessResourceFailureException
          || t instanceof RecoverableDataAccessException || t instanceof SQLTransientConnectionException
          || t instanceof SQLNonTransientConnectionException || t instanceof SQLRecoverableException
          || t instanceof ConnectException) {
        return true;
      }
      // SQLState class 08: connection exception (PostgreSQL and the SQL standard)
      if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
        return true;
      }
    }
    return false;
  }
}
