package io.pathway.service.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The projected resources ({@code pathway.fhir_resource}): stored when their content changed, with
 * the next version and the time of the change; read back with {@code meta.versionId} and
 * {@code meta.lastUpdated} set from those, and the version in the id (for {@code ETag}).
 */
@Component
class FhirStore {

  /** A search over one resource type; null criteria are not applied. */
  record Query(String type, String patientRef, List<String> ids, List<String> statuses, Instant updatedFrom, Instant updatedTo,
      int offset, int count) {}

  /** A page of a search and the total number of matches. */
  record Page(List<Resource> resources, int total) {}

  private final JdbcTemplate jdbc;
  private final FhirContext fhir;

  FhirStore(JdbcTemplate jdbc, FhirContext fhir) {
    this.jdbc = jdbc;
    this.fhir = fhir;
  }

  /**
   * Stores the pathway's resources as projected now: a resource whose content is unchanged keeps its
   * version and time; a changed or new one gets version + 1 and the time of the change (or the next whole second
   * after its previous version's, if that is later, so that Last-Modified tells versions apart). Resources are never
   * removed (what the pathway did stays, with its final status). Returns how many changed.
   */
  int store(String pathwayId, String patientRef, List<FhirProjector.Projected> projected, Instant changedAt) {
    Map<String, String> hashes = new HashMap<>();
    jdbc.query("select resource_type, resource_id, content_hash from pathway.fhir_resource where pathway_id = ?",
        rs -> {
          hashes.put(rs.getString(1) + "/" + rs.getString(2), rs.getString(3));
        }, pathwayId);
    IParser parser = fhir.newJsonParser();
    List<Object[]> changed = new ArrayList<>();
    for (FhirProjector.Projected p : projected) {
      Resource r = p.resource();
      r.setId((String) null);
      r.setMeta(null);
      String content = parser.encodeResourceToString(r);
      String hash = sha256(content);
      if (!hash.equals(hashes.get(p.type() + "/" + p.id()))) {
        changed.add(new Object[] {p.type(), p.id(), pathwayId, patientRef, p.status(), hash, content});
      }
    }
    if (changed.isEmpty()) {
      return 0;
    }
    // one time for the whole change: when the pathway last changed (its newest stale mark), else now;
    // at millisecond precision (what _lastUpdated searches compare)
    Timestamp now = jdbc.queryForObject("select date_trunc('milliseconds', coalesce(cast(? as timestamptz), clock_timestamp()))", Timestamp.class,
        changedAt == null ? null : Timestamp.from(changedAt));
    for (Object[] c : changed) {
      jdbc.update("insert into pathway.fhir_resource (resource_type, resource_id, pathway_id, patient_ref, status, version_id, "
          + "last_updated, content_hash, content) values (?,?,?,?,?,1,?,?,?) on conflict (resource_type, resource_id) do update set "
          + "status = excluded.status, version_id = pathway.fhir_resource.version_id + 1, "
          // a new version is never in the same second as the one before (If-Modified-Since has whole seconds)
          + "last_updated = greatest(excluded.last_updated, date_trunc('second', pathway.fhir_resource.last_updated) + interval '1 second'), "
          + "content_hash = excluded.content_hash, content = excluded.content, pathway_id = excluded.pathway_id, "
          + "patient_ref = excluded.patient_ref",
          c[0], c[1], c[2], c[3], c[4], now, c[5], c[6]);
    }
    return changed.size();
  }

  Optional<Resource> read(String type, String id) {
    return jdbc.query("select * from pathway.fhir_resource where resource_type = ? and resource_id = ?",
        (rs, i) -> resource(type, id, rs.getInt("version_id"), rs.getTimestamp("last_updated"), rs.getString("content")), type, id)
        .stream().findFirst();
  }

  /** The pathway a stored resource belongs to. */
  Optional<String> pathwayOf(String type, String id) {
    return jdbc.queryForList("select pathway_id from pathway.fhir_resource where resource_type = ? and resource_id = ?", String.class,
        type, id).stream().findFirst();
  }

  Page search(Query q) {
    StringBuilder where = new StringBuilder(" from pathway.fhir_resource where resource_type = ?");
    List<Object> args = new ArrayList<>(List.of(q.type()));
    if (q.patientRef() != null) {
      where.append(" and patient_ref = ?");
      args.add(q.patientRef());
    }
    if (q.ids() != null) {
      where.append(" and resource_id = any (?)");
      args.add(q.ids().toArray(String[]::new));
    }
    if (q.statuses() != null) {
      where.append(" and status = any (?)");
      args.add(q.statuses().toArray(String[]::new));
    }
    if (q.updatedFrom() != null) {
      where.append(" and last_updated >= ?");
      args.add(Timestamp.from(q.updatedFrom()));
    }
    if (q.updatedTo() != null) {
      where.append(" and last_updated <= ?");
      args.add(Timestamp.from(q.updatedTo()));
    }
    Object[] a = args.toArray();
    Integer total = jdbc.queryForObject("select count(*)" + where, Integer.class, a);
    List<Object> paged = new ArrayList<>(List.of(a));
    paged.add(q.count());
    paged.add(q.offset());
    List<Resource> page = q.count() == 0 ? List.of() : jdbc.query(
        "select resource_type, resource_id, version_id, last_updated, content" + where
            + " order by last_updated, resource_id limit ? offset ?",
        (rs, i) -> resource(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getTimestamp(4), rs.getString(5)), paged.toArray());
    return new Page(page, total == null ? 0 : total);
  }

  /** Resources of these pathways by "Type/id", in any order; those not stored are left out. */
  List<Resource> readAll(Collection<String> pathwayIds, Collection<String> typedIds) {
    if (typedIds.isEmpty()) {
      return List.of();
    }
    return jdbc.query("select resource_type, resource_id, version_id, last_updated, content from pathway.fhir_resource "
            + "where pathway_id = any (?) and resource_type || '/' || resource_id = any (?)",
        (rs, i) -> resource(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getTimestamp(4), rs.getString(5)),
        pathwayIds.toArray(String[]::new), typedIds.toArray(String[]::new));
  }

  private Resource resource(String type, String id, int version, Timestamp updated, String content) {
    Resource r = (Resource) fhir.newJsonParser().parseResource(content);
    r.setId(new IdType(type, id, Integer.toString(version)));
    r.getMeta().setVersionId(Integer.toString(version)).setLastUpdated(updated);
    return r;
  }

  static String sha256(String content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
