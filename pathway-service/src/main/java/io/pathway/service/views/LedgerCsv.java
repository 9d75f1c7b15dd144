package io.pathway.service.views;

import java.util.List;
import java.util.Map;

/** The ledger as one CSV table: section, period, measure, key, value (RFC 4180 quoting). */
final class LedgerCsv {

  private LedgerCsv() {}

  static String of(LedgerService.Ledger l) {
    StringBuilder out = new StringBuilder("section,period,measure,key,value\r\n");
    for (LedgerService.Row r : l.rows()) {
      timing(out, r.period(), "red flag to referral", r.redFlagToReferral());
      timing(out, r.period(), "red flag to confirmation", r.redFlagToConfirmation());
      row(out, "results", r.period(), "results overdue", "", r.resultsOverdue());
      row(out, "results", r.period(), "chases", "", r.chases());
      for (Map.Entry<String, Double> s : r.medianDaysInStage().entrySet()) {
        row(out, "stages", r.period(), "median days in stage", s.getKey(), s.getValue());
      }
      row(out, "overrides", r.period(), "overrides of a proposal", "", r.overrides());
      for (Map.Entry<String, Integer> o : r.pathwaysByOutcome().entrySet()) {
        row(out, "outcomes", r.period(), "pathways ended", o.getKey(), o.getValue());
      }
    }
    for (LedgerService.Breach b : l.breaches()) {
      row(out, "breach", "", b.measure(), b.patientRef() + " " + b.flags() + " observed " + b.observedAt(), b.cause());
    }
    for (LedgerService.Override o : l.overrides()) {
      row(out, "override", "", o.decision(), o.patientRef() + " " + o.at() + ": " + o.proposal() + " -> " + o.choice(), o.reason());
    }
    for (LedgerService.Omission o : l.omissions()) {
      row(out, "omission", "", o.what(), o.patientRef() + " since " + o.since(), o.detail());
    }
    return out.toString();
  }

  private static void timing(StringBuilder out, String period, String measure, LedgerService.Timing t) {
    row(out, "red flags", period, measure, "count", t.count());
    row(out, "red flags", period, measure, "median minutes", t.medianMinutes());
    row(out, "red flags", period, measure, "95th percentile minutes", t.p95Minutes());
    row(out, "red flags", period, measure, "outside SLA", t.outsideSla());
  }

  private static void row(StringBuilder out, Object... cells) {
    List<String> quoted = java.util.Arrays.stream(cells).map(LedgerCsv::cell).toList();
    out.append(String.join(",", quoted)).append("\r\n");
  }

  private static String cell(Object value) {
    String s = value == null ? "" : value.toString();
    // a cell a spreadsheet would run as a formula is written as text
    if (!s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0) {
      s = "'" + s;
    }
    return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("'") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
