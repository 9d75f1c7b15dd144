package io.pathway.service.views;

import io.pathway.bpmn.PathwayModel.Tasks;
import io.pathway.bpmn.PathwayModel.Vars;
import io.pathway.model.EventTypes;
import io.pathway.model.codes.RedFlag;
import io.pathway.service.platform.CodeLabels;
import io.pathway.service.platform.PathwayProperties;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The variance ledger: how the service performs against its own deadlines, per week or per month. Red flag to
 * referral and to confirmation (median, 95th percentile, how many outside the SLA, each breach with its cause),
 * overdue results and chases, time in each stage, overrides of a proposal with their reasons, pathways by outcome,
 * and omissions (orders never answered, tasks past their due date). Patients appear only by their pseudonymous
 * reference. Read from the service's tables and the engine's history; nothing is written.
 */
@Component
class LedgerService {

  enum Period { WEEK, MONTH }

  /** Median, 95th percentile (minutes) and count over the SLA of one measure in one period. */
  record Timing(int count, Double medianMinutes, Double p95Minutes, int outsideSla) {}

  /** One red flag that missed its deadline, and why. */
  record Breach(String patientRef, String flags, Instant observedAt, Instant deadline, Instant referralAt, Instant confirmedAt,
      String measure, String cause) {}

  /** A clinician's choice that differed from the decision table's proposal. */
  record Override(Instant at, String patientRef, String decision, String proposal, String choice, String reason) {}

  /** Something that never happened: an order never answered, a task past its due date. */
  record Omission(String patientRef, String what, Instant since, String detail) {}

  /** The figures of one week or month. */
  record Row(String period, Timing redFlagToReferral, Timing redFlagToConfirmation, int resultsOverdue, int chases,
      Map<String, Double> medianDaysInStage, int overrides, Map<String, Integer> pathwaysByOutcome) {}

  record Ledger(String per, Instant at, List<Row> rows, List<Breach> breaches, List<Override> overrides,
      List<Omission> omissions) {}

  /** Override reason variable: what was decided, the proposal's variable, the choice's variable (none: the boxes ticked). */
  private static final Map<String, String[]> DECISIONS = Map.of(
      Vars.HYPOTHESES_OVERRIDE_REASON, new String[] {"Failure hypotheses", Vars.PROPOSED_HYPOTHESES, null},
      Vars.WORKUP_OVERRIDE_REASON, new String[] {"Diagnostic work-up", Vars.PROPOSED_WORKUP, null},
      Vars.DIAGNOSIS_OVERRIDE_REASON, new String[] {"Definitive diagnosis", Vars.PROPOSED_DIAGNOSIS, Vars.DEFINITIVE_DIAGNOSIS},
      Vars.TREATMENT_OVERRIDE_REASON, new String[] {"Treatment", Vars.PROPOSED_TREATMENT, Vars.SELECTED_TREATMENT});

  private final JdbcTemplate jdbc;
  private final PathwayProperties.Clinical clinical;
  private final Clock clock;

  LedgerService(JdbcTemplate jdbc, PathwayProperties properties) {
    this.jdbc = jdbc;
    this.clinical = properties.clinical();
    this.clock = Clock.systemUTC();
  }

  /** The last {@code periods} weeks or months, newest first. */
  Ledger ledger(Period per, int periods) {
    Instant now = clock.instant();
    Instant from = start(per, now, periods - 1);
    List<RedFlagRow> flags = redFlags(from);
    Map<String, List<RedFlagRow>> flagsBy = flags.stream().collect(Collectors.groupingBy(f -> key(per, f.observedAt)));
    Map<String, Integer> overdue = countBy(per, "select j.at from pathway.journal j where j.ce_type = ? and j.at >= ? "
        + "and j.summary::jsonb ->> 'type' = 'RESULT_OVERDUE'", EventTypes.ALERT_RAISED, Timestamp.from(from));
    Map<String, Integer> chases = countBy(per, "select t.end_time_ from act_hi_taskinst t where t.task_def_key_ in (?, ?) "
        + "and t.end_time_ >= ? and t.delete_reason_ = 'completed'", Tasks.CHASE_OVERDUE_RESULT, Tasks.CHASE_OVERDUE_OUTCOME,
        Timestamp.from(from));
    List<Override> overrides = overrides(from);
    Map<String, List<Override>> overridesBy = overrides.stream().collect(Collectors.groupingBy(o -> key(per, o.at)));
    Map<String, Map<String, Double>> stages = stages(per, from);
    Map<String, Map<String, Integer>> outcomes = outcomes(per, from);

    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < periods; i++) {
      String k = key(per, start(per, now, i));
      List<RedFlagRow> f = flagsBy.getOrDefault(k, List.of());
      rows.add(new Row(k, timing(f, r -> r.referralAt), timing(f, r -> r.confirmedAt), overdue.getOrDefault(k, 0),
          chases.getOrDefault(k, 0), stages.getOrDefault(k, Map.of()), overridesBy.getOrDefault(k, List.of()).size(),
          outcomes.getOrDefault(k, Map.of())));
    }
    List<Breach> breaches = new ArrayList<>();
    for (RedFlagRow f : flags) {
      breach(f, "referral", f.referralAt, now).ifPresent(breaches::add);
      breach(f, "confirmation", f.confirmedAt, now).ifPresent(breaches::add);
    }
    breaches.sort(Comparator.comparing(Breach::observedAt).reversed());
    overrides.sort(Comparator.comparing(Override::at).reversed());
    return new Ledger(per.name().toLowerCase(), now, rows, breaches, overrides, omissions(now));
  }

  private record RedFlagRow(String patientRef, String flags, boolean emergency, Instant observedAt, Instant receivedAt,
      Instant referralAt, Instant confirmedAt) {
    Duration sla(PathwayProperties.Clinical clinical) {
      return Duration.parse(emergency ? clinical.emergencyTransferSla() : clinical.urgentReferralSla());
    }
  }

  private List<RedFlagRow> redFlags(Instant from) {
    return jdbc.query("""
        select e.patient_ref, e.flags, e.observed_at, e.started_at,
          case when e.outcome like 'REFERRED_%' then e.ended_at end as confirmed_at,
          (select min(r.issued_at) from pathway.referral_issued r
            where r.pathway_id in (e.escalation_id, coalesce(e.pathway_id, e.escalation_id))
              and r.urgency in ('EMERGENCY', 'URGENT') and r.issued_at >= e.started_at) as referral_at
        from pathway.escalation e where e.observed_at >= ?""", (rs, i) -> {
          String flags = rs.getString("flags");
          boolean emergency = Arrays.stream(flags.split(",")).map(String::trim).anyMatch(LedgerService::caudaEquina);
          return new RedFlagRow(rs.getString("patient_ref"), flags, emergency, instant(rs.getTimestamp("observed_at")),
              instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("referral_at")), instant(rs.getTimestamp("confirmed_at")));
        }, Timestamp.from(from));
  }

  private Timing timing(List<RedFlagRow> rows, Function<RedFlagRow, Instant> end) {
    List<Double> minutes = rows.stream().filter(r -> end.apply(r) != null)
        .map(r -> Duration.between(r.observedAt, end.apply(r)).toSeconds() / 60.0).sorted().toList();
    int outside = (int) rows.stream().filter(r -> {
      Instant e = end.apply(r);
      Instant deadline = r.observedAt.plus(r.sla(clinical));
      return e == null ? clock.instant().isAfter(deadline) : e.isAfter(deadline);
    }).count();
    return new Timing(rows.size(), percentile(minutes, 0.5), percentile(minutes, 0.95), outside);
  }

  private java.util.Optional<Breach> breach(RedFlagRow f, String measure, Instant end, Instant now) {
    Instant deadline = f.observedAt.plus(f.sla(clinical));
    if (end == null ? !now.isAfter(deadline) : !end.isAfter(deadline)) {
      return java.util.Optional.empty();
    }
    Duration reported = Duration.between(f.observedAt, f.receivedAt);
    String cause;
    if (reported.compareTo(f.sla(clinical)) > 0) {
      cause = "reported " + reported.toMinutes() + " minutes after the observation: the deadline had passed before the pathway knew";
    } else if (end == null) {
      cause = measure.equals("referral") ? "no referral issued yet" : "the escalation task is still open: not confirmed";
    } else if (measure.equals("confirmation") && f.referralAt != null && !f.referralAt.isAfter(deadline)) {
      cause = "referral on time; confirmed " + Duration.between(f.referralAt, end).toMinutes()
          + " minutes after the referral (the escalation task waited)";
    } else {
      cause = measure + " " + Duration.between(deadline, end).toMinutes() + " minutes after the deadline";
    }
    return java.util.Optional.of(new Breach(f.patientRef, CodeLabels.list(f.flags), f.observedAt, deadline, f.referralAt,
        f.confirmedAt, measure, cause));
  }

  private List<Override> overrides(Instant from) {
    String in = DECISIONS.keySet().stream().map(k -> "?").collect(Collectors.joining(","));
    List<Object> args = new ArrayList<>(DECISIONS.keySet());
    args.add(Timestamp.from(from));
    return jdbc.query("select v.name_, v.text_, v.create_time_, v.proc_inst_id_, coalesce(p.root_proc_inst_id_, v.proc_inst_id_) root, "
            + "(select r.patient_ref from pathway.pathway_ref r where r.pathway_id = coalesce(p.root_proc_inst_id_, v.proc_inst_id_)) patient "
            + "from act_hi_varinst v left join act_hi_procinst p on p.proc_inst_id_ = v.proc_inst_id_ "
            + "where v.name_ in (" + in + ") and v.text_ is not null and length(trim(v.text_)) > 0 and v.create_time_ >= ?",
        (rs, i) -> {
          String[] d = DECISIONS.get(rs.getString("name_"));
          String instance = rs.getString("proc_inst_id_");
          return new Override(instant(rs.getTimestamp("create_time_")), rs.getString("patient"), d[0],
              CodeLabels.text(variable(instance, d[1])), d[2] == null ? "changed the proposal" : CodeLabels.text(variable(instance, d[2])),
              rs.getString("text_"));
        }, args.toArray());
  }

  private String variable(String instance, String name) {
    List<String> values = jdbc.queryForList("select text_ from act_hi_varinst where proc_inst_id_ = ? and name_ = ?",
        String.class, instance, name);
    return values.isEmpty() || values.get(0) == null ? "" : values.get(0);
  }

  private Map<String, Map<String, Double>> stages(Period per, Instant from) {
    Map<String, Map<String, List<Double>>> days = new TreeMap<>();
    jdbc.query("""
        with s as (
          select j.pathway_id, j.summary::jsonb ->> 'stage' as stage_code, j.at,
                 lead(j.at) over (partition by j.pathway_id order by j.at, j.id) as next_at
          from pathway.journal j where j.ce_type = ? and j.direction = 'OUT')
        select s.stage_code, s.at, extract(epoch from coalesce(s.next_at, r.ended_at, now()) - s.at) as seconds
        from s left join pathway.pathway_ref r on r.pathway_id = s.pathway_id
        where s.at >= ? and s.stage_code <> 'COMPLETED'""", rs -> {
          days.computeIfAbsent(key(per, instant(rs.getTimestamp("at"))), k -> new TreeMap<>())
              .computeIfAbsent(CodeLabels.of(rs.getString("stage_code")), k -> new ArrayList<>()).add(rs.getDouble("seconds") / 86400.0);
        }, EventTypes.STAGE_CHANGED, Timestamp.from(from));
    Map<String, Map<String, Double>> medians = new TreeMap<>();
    days.forEach((period, byStage) -> {
      Map<String, Double> m = new TreeMap<>();
      byStage.forEach((stage, d) -> m.put(stage, percentile(d.stream().sorted().toList(), 0.5)));
      medians.put(period, m);
    });
    return medians;
  }

  private Map<String, Map<String, Integer>> outcomes(Period per, Instant from) {
    Map<String, Map<String, Integer>> out = new TreeMap<>();
    jdbc.query("select ended_at, outcome from pathway.pathway_ref where kind = 'PATHWAY' and ended_at >= ?", rs -> {
      out.computeIfAbsent(key(per, instant(rs.getTimestamp("ended_at"))), k -> new TreeMap<>())
          .merge(CodeLabels.of(rs.getString("outcome")), 1, Integer::sum);
    }, Timestamp.from(from));
    return out;
  }

  private List<Omission> omissions(Instant now) {
    List<Omission> out = new ArrayList<>();
    Duration overdue = Duration.parse(clinical.resultOverdueAfter());
    jdbc.query("""
        select o.patient_ref, o.code, o.kind, o.ordered_at from pathway.order_ref o
        where o.cancelled_at is null and o.ordered_at < ?
          and not exists (select 1 from pathway.journal j where j.pathway_id = o.pathway_id and j.direction = 'IN'
                          and j.ce_type in (?, ?) and j.summary::jsonb ->> 'orderId' = o.order_id)
          and exists (select 1 from pathway.pathway_ref r where r.pathway_id = o.pathway_id and r.ended_at is null)
        order by o.ordered_at""", rs -> {
          out.add(new Omission(rs.getString("patient_ref"), "Order never answered: " + CodeLabels.of(rs.getString("code")),
              instant(rs.getTimestamp("ordered_at")), CodeLabels.of(rs.getString("kind"))));
        }, Timestamp.from(now.minus(overdue)), EventTypes.DIAGNOSTIC_RESULT, EventTypes.TREATMENT_OUTCOME);
    jdbc.query("""
        select t.name_, t.due_date_, t.create_time_ from act_ru_task t where t.due_date_ < ? order by t.due_date_""", rs -> {
          String name = rs.getString("name_");
          int dot = name == null ? -1 : name.lastIndexOf(" · ");
          out.add(new Omission(dot < 0 ? null : name.substring(dot + 3), "Task past its due date: "
              + (dot < 0 ? name : name.substring(0, dot)), instant(rs.getTimestamp("due_date_")),
              "open since " + instant(rs.getTimestamp("create_time_"))));
        }, Timestamp.from(now));
    return out;
  }

  private Map<String, Integer> countBy(Period per, String sql, Object... args) {
    Map<String, Integer> out = new TreeMap<>();
    jdbc.query(sql, rs -> {
      out.merge(key(per, instant(rs.getTimestamp(1))), 1, Integer::sum);
    }, args);
    return out;
  }

  static String key(Period per, Instant at) {
    var d = at.atZone(ZoneOffset.UTC).toLocalDate();
    return per == Period.WEEK ? String.format("%d-W%02d", d.get(IsoFields.WEEK_BASED_YEAR), d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR))
        : String.format("%d-%02d", d.getYear(), d.getMonthValue());
  }

  static Instant start(Period per, Instant now, int back) {
    var d = now.atZone(ZoneOffset.UTC).toLocalDate();
    var first = per == Period.WEEK ? d.with(java.time.DayOfWeek.MONDAY).minusWeeks(back) : d.withDayOfMonth(1).minusMonths(back);
    return first.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  static Double percentile(List<Double> sorted, double p) {
    if (sorted.isEmpty()) {
      return null;
    }
    int rank = (int) Math.ceil(p * sorted.size());
    return Math.round(sorted.get(Math.max(0, rank - 1)) * 10) / 10.0;
  }

  private static boolean caudaEquina(String flag) {
    try {
      return RedFlag.valueOf(flag).caudaEquina();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant().truncatedTo(ChronoUnit.SECONDS);
  }
}
