package io.pathway.service.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathway.service.PathwayServiceTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.core.BaseConnection;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The engine flushes a transaction's inserts as one JDBC batch per table; the service's connections let the driver
 * send such a batch as multi-row INSERTs ({@code reWriteBatchedInserts}), whatever URL the operator configures. The
 * driver then answers "no row count" for each insert, which the engine accepts for inserts only (its updates and
 * deletes keep their counts, and with them its optimistic locking); every engine path of this suite runs so.
 */
@PathwayServiceTest
class BatchedInsertsTest {

  @Autowired DataSource dataSource;

  @Test
  void shouldSendTheEnginesBatchedInsertsAsMultiRowStatementsOnEveryConnectionOfThePool() throws Exception {
    try (Connection c = dataSource.getConnection()) {
      // the pool's connections have the driver's rewriting on
      assertThat(c.unwrap(BaseConnection.class).getQueryExecutor().isReWriteBatchedInsertsEnabled()).isTrue();

      // and a batch of eight inserts is sent as one eight-row statement (the driver groups by powers of two): every row
      // written, no count per row
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("create temporary table batched (id int primary key) on commit drop");
      }
      int[] counts;
      try (PreparedStatement insert = c.prepareStatement("insert into batched (id) values (?)")) {
        for (int i = 0; i < 8; i++) {
          insert.setInt(1, i);
          insert.addBatch();
        }
        counts = insert.executeBatch();
      }
      assertThat(counts).containsOnly(Statement.SUCCESS_NO_INFO).hasSize(8);
      try (Statement s = c.createStatement(); var rows = s.executeQuery("select count(*) from batched")) {
        rows.next();
        assertThat(rows.getInt(1)).isEqualTo(8);
      }
      c.rollback();
    }
  }
}
