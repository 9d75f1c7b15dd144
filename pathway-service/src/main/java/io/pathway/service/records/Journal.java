package io.pathway.service.records;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What came in and what went out, per pathway: the event half of the patient timeline. Written in
 * the same transaction as the change it records.
 */
@Component
public class Journal {

  /** IN from a hospital, OUT from the pathway, OPERATOR an operator's action on it (an upgrade). */
  public enum Direction { IN, OUT, OPERATOR }

  /** One journal line; {@code data} is the event's JSON payload (pseudonymous references and codes only). */
  public record Entry(String pathwayId, String patientRef, Direction direction, String type, String eventId, String data, Instant at) {}

  private final JdbcTemplate jdbc;

  Journal(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  public void record(Entry e) {
    jdbc.update("insert into pathway.journal (pathway_id, patient_ref, direction, ce_type, ce_id, summary, at) values (?,?,?,?,?,?,?)",
        e.pathwayId(), e.patientRef(), e.direction().name(), e.type(), e.eventId(), e.data(), Timestamp.from(e.at()));
  }

  public List<Entry> forPathway(String pathwayId) {
    return jdbc.query("select * from pathway.journal where pathway_id = ? order by at, id",
        (rs, i) -> new Entry(rs.getString("pathway_id"), rs.getString("patient_ref"), Direction.valueOf(rs.getString("direction")),
            rs.getString("ce_type"), rs.getString("ce_id"), rs.getString("summary"), rs.getTimestamp("at").toInstant()),
        pathwayId);
  }
}
