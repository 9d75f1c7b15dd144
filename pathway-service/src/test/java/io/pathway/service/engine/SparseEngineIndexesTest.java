package io.pathway.service.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathway.service.PathwayServiceTest;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * The engine's indexes on columns that are empty in nearly every row index only the rows with a value, under their
 * own names; lookups by such a column still use them; the indexes on filled columns, unique ones and primary keys stay
 * as Camunda made them; and a start cut off halfway is finished by the next.
 */
@PathwayServiceTest
class SparseEngineIndexesTest {

  @Autowired
  SparseEngineIndexes indexes;
  @Autowired
  JdbcTemplate jdbc;
  @Autowired
  DataSource dataSource;
  @Autowired
  TaskService tasks;
  @Autowired
  HistoryService history;

  @Test
  void shouldHaveMadeTheIndexesOfSparseColumnsPartialAtStartAndLeftTheOthers() {
    assertThat(predicate("act_idx_variable_task_id")).isEqualTo("(task_id_ IS NOT NULL)");
    assertThat(predicate("act_idx_variable_task_name_type")).isEqualTo("(task_id_ IS NOT NULL)");
    assertThat(predicate("act_idx_hi_detail_tenant_id")).isEqualTo("(tenant_id_ IS NOT NULL)");
    assertThat(predicate("act_idx_hi_detail_rm_time")).isEqualTo("(removal_time_ IS NOT NULL)");
    assertThat(predicate("act_idx_hi_detail_task_bytear")).isEqualTo("(bytearray_id_ IS NOT NULL)");
    assertThat(predicate("act_idx_hi_varinst_bytear")).isEqualTo("(bytearray_id_ IS NOT NULL)");
    assertThat(predicate("act_idx_exe_super")).isEqualTo("(super_exec_ IS NOT NULL)");
    // the columns every row fills, and the task of a history row (a task's history is read by it), stay indexed in full
    assertThat(predicate("act_idx_var_exe")).isNull();
    assertThat(predicate("act_idx_hi_detail_proc_inst")).isNull();
    assertThat(predicate("act_idx_hi_varinst_name")).isNull();
    assertThat(predicate("act_idx_hi_ident_link_task")).isNull();
    assertThat(predicate("act_idx_task_assignee")).isNull();
    assertThat(predicate("act_uniq_variable")).isNull();
    assertThat(predicate("act_ru_variable_pkey")).isNull();
    // every partial index of the engine is one of these, under Camunda's name, and valid; nothing is left to do
    List<Map<String, Object>> partial = jdbc.queryForList("select t.relname as table_name, i.relname as index_name, x.indisvalid as valid "
        + "from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid "
        + "where t.relname ~ '^act_(ru|hi|ge)_' and x.indpred is not null");
    assertThat(partial).hasSizeGreaterThan(40)
        .allSatisfy(row -> assertThat(row.get("valid")).as(row.toString()).isEqualTo(true))
        .noneSatisfy(row -> assertThat((String) row.get("index_name")).endsWith(SparseEngineIndexes.BUILDING));
    assertThat(indexes.candidates(jdbc)).isEmpty();
    assertThat(indexes.apply()).isEmpty();
  }

  @Test
  void shouldStillLookATasksVariablesUpByTheIndexAndFindThem() throws Exception {
    // the engine's own statement, prepared as the engine's driver prepares it (a generic plan)
    try (Connection connection = dataSource.getConnection()) {
      JdbcTemplate session = new JdbcTemplate(new SingleConnectionDataSource(connection, true));
      session.execute("set enable_seqscan = off");
      session.execute("set plan_cache_mode = force_generic_plan");
      try {
        session.execute("prepare task_variables(varchar) as select * from act_ru_variable where task_id_ = $1");
        String plan = String.join("\n", session.queryForList("explain execute task_variables('x')", String.class));
        assertThat(plan).containsAnyOf("act_idx_variable_task_id", "act_idx_variable_task_name_type");
      } finally {
        session.execute("deallocate all");
        session.execute("reset plan_cache_mode");
        session.execute("reset enable_seqscan");
      }
    }
    Task task = tasks.newTask();
    task.setName("Sparse index check");
    tasks.saveTask(task);
    try {
      tasks.setVariableLocal(task.getId(), "note", "kept");
      assertThat(tasks.getVariablesLocal(task.getId())).containsEntry("note", "kept");
      assertThat(history.createHistoricDetailQuery().taskId(task.getId()).variableUpdates().count()).isEqualTo(1);
    } finally {
      tasks.deleteTask(task.getId(), true);
    }
  }

  @Test
  void shouldFinishAnIndexWhoseStartWasCutOffAfterTheDropAndRebuildOneCutOffBefore() {
    // cut off after Camunda's index was dropped: only the partial copy is left, under its building name
    jdbc.execute("alter index act_idx_hi_comment_rm_time rename to act_idx_hi_comment_rm_time" + SparseEngineIndexes.BUILDING);
    // cut off while the copy was built: Camunda's full index is still there beside a copy
    jdbc.execute("drop index act_idx_hi_attachment_rm_time");
    jdbc.execute("create index act_idx_hi_attachment_rm_time on act_hi_attachment (removal_time_)");
    jdbc.execute("create index act_idx_hi_attachment_rm_time" + SparseEngineIndexes.BUILDING
        + " on act_hi_attachment (removal_time_) where removal_time_ is not null");

    // built concurrently, as on a large table
    assertThat(indexes.apply(0)).containsExactly("act_hi_attachment.act_idx_hi_attachment_rm_time");

    assertThat(predicate("act_idx_hi_comment_rm_time")).isEqualTo("(removal_time_ IS NOT NULL)");
    assertThat(predicate("act_idx_hi_attachment_rm_time")).isEqualTo("(removal_time_ IS NOT NULL)");
    assertThat(jdbc.queryForList("select relname from pg_class where relkind = 'i' and (relname like 'act\\_idx\\_hi\\_comment\\_%' "
        + "or relname like 'act\\_idx\\_hi\\_attachment\\_%') order by 1", String.class))
        .containsExactly("act_idx_hi_attachment_content", "act_idx_hi_attachment_procinst", "act_idx_hi_attachment_rm_time",
            "act_idx_hi_attachment_root_pi", "act_idx_hi_attachment_task", "act_idx_hi_comment_procinst",
            "act_idx_hi_comment_rm_time", "act_idx_hi_comment_root_pi", "act_idx_hi_comment_task");
  }

  /** The index's predicate, or null for a full index. */
  private String predicate(String index) {
    return jdbc.queryForObject("select pg_get_expr(x.indpred, x.indrelid) from pg_index x join pg_class i on i.oid = x.indexrelid "
        + "where i.relname = ?", String.class, index);
  }
}
