package io.pathway.deploy.drill;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A drill's observation of the services' tables: what was applied, kept in the inbox, published and delivered. */
final class DrillQueries {

  private final DrillPlatform platform;

  DrillQueries(DrillPlatform platform) {
    this.platform = platform;
  }

  Set<String> notificationProcessed() throws SQLException {
    Set<String> ids = new HashSet<>();
    try (Connection c = platform.connection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select ce_id from notification.processed_event")) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    }
    return ids;
  }

  long appliedOf(Set<String> ids) throws SQLException {
    return countOf("select count(*) from pathway.processed_event where ce_id = any(?)", ids);
  }

  /**
   * Sent events that were claimed but only kept in the inbox, never matched to their step (a processed_event
   * row counts as applied whatever its outcome, so this is what tells a broken inbox matcher apart).
   */
  long keptNotMatchedOf(Set<String> ids) throws SQLException {
    return countOf("select count(*) from pathway.inbox where status in ('PENDING', 'HELD') and ce_id = any(?)", ids);
  }

  private long countOf(String sql, Set<String> ids) throws SQLException {
    try (Connection c = platform.connection();
        java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setArray(1, c.createArrayOf("varchar", ids.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  long scalar(String sql) throws SQLException {
    try (Connection c = platform.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  String groups(String sql) throws SQLException {
    Map<String, Long> m = new LinkedHashMap<>();
    try (Connection c = platform.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        m.put(rs.getString(1), rs.getLong(2));
      }
    }
    return m.toString();
  }

  String durations(String sql) {
    List<Long> values = new ArrayList<>();
    try (Connection c = platform.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        values.add(Math.round(rs.getDouble(1)));
      }
    } catch (SQLException e) {
      return "not available (" + e.getMessage() + ")";
    }
    values.sort(Long::compare);
    if (values.isEmpty()) {
      return "none";
    }
    return String.format("n %d, p50 %s, p95 %s, p99 %s, max %d ms", values.size(), Drill.pct(values, 50), Drill.pct(values, 95), Drill.pct(values, 99),
        values.get(values.size() - 1));
  }
}
