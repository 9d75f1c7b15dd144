package io.pathway.service.upgrade;

import io.pathway.service.upgrade.Upgrades.DecisionView;
import io.pathway.service.upgrade.Upgrades.DryRun;
import io.pathway.service.upgrade.Upgrades.DryRunRequest;
import io.pathway.service.upgrade.Upgrades.MigrationRequest;
import io.pathway.service.upgrade.Upgrades.PathwayView;
import io.pathway.service.upgrade.Upgrades.Run;
import io.pathway.service.upgrade.Upgrades.Version;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.util.HtmlUtils;

/**
 * Upgrades of running pathways, for administrators and pathway operators (SecurityConfig): a dry run and
 * an audited migration as JSON, and the same as a simple page at {@code /api/upgrades/page}.
 */
@RestController
@RequestMapping("/api/upgrades")
class UpgradeController {

  private final UpgradeService upgrades;

  UpgradeController(UpgradeService upgrades) {
    this.upgrades = upgrades;
  }

  // ------------------------------------------------------------------ JSON

  @GetMapping("/versions")
  List<Version> versions() {
    return upgrades.versions();
  }

  @PostMapping(path = "/dry-runs", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<DryRun> dryRun(@RequestBody(required = false) DryRunRequest request, Principal who) {
    return ResponseEntity.status(HttpStatus.CREATED).body(call(() -> upgrades.dryRun(request, who.getName())));
  }

  @GetMapping("/dry-runs/{id}")
  DryRun dryRun(@PathVariable String id) {
    return upgrades.storedDryRun(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no dry run " + id));
  }

  /** Migrates the given pathways of the dry run (without ids: every pathway for which the plan validated). */
  @PostMapping(path = "/dry-runs/{id}/migration", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Run> migrate(@PathVariable String id, @RequestBody(required = false) MigrationRequest request, Principal who) {
    return ResponseEntity.status(HttpStatus.ACCEPTED)
        .body(call(() -> upgrades.migrate(id, request == null ? null : request.pathwayIds(), who.getName())));
  }

  @GetMapping("/runs")
  List<Run> runs() {
    return upgrades.runs();
  }

  @GetMapping("/runs/{id}")
  Run run(@PathVariable String id) {
    return upgrades.run(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no run " + id));
  }

  private static <T> T call(Supplier<T> action) {
    try {
      return action.get();
    } catch (NoSuchElementException e) {
      throw new ResponseStatusException(HttpStatus.NOT_FOUND, e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
    } catch (IllegalStateException e) {
      throw new ResponseStatusException(HttpStatus.CONFLICT, e.getMessage());
    }
  }

  // ------------------------------------------------------------------ page

  @GetMapping(path = "/page", produces = MediaType.TEXT_HTML_VALUE)
  String page() {
    StringBuilder h = head("Upgrades of running pathways");
    h.append("<h2>Versions of the pathway model</h2><form method='post' action='/api/upgrades/page/dry-run'><table>")
        .append("<tr><th></th><th>version</th><th>definition</th><th>deployment</th><th>deployed</th></tr>");
    boolean first = true;
    for (Version v : upgrades.versions()) {
      h.append("<tr><td><input type='radio' name='target' value='").append(e(v.definitionId())).append("'").append(first ? " checked" : "")
          .append("></td><td>").append(v.version()).append("</td><td>").append(e(v.definitionId())).append("</td><td>")
          .append(e(v.deploymentName())).append("</td><td>").append(v.deployedAt()).append("</td></tr>");
      first = false;
    }
    h.append("</table><p><label>Only these pathways (ids, comma-separated; empty: every running pathway) ")
        .append("<input name='pathways' size='80'></label></p>")
        .append("<p><button type='submit'>Dry run: what would moving the running pathways to this version do?</button></p></form>");
    h.append("<h2>Migrations</h2><table><tr><th>run</th><th>by</th><th>at</th><th>to version</th><th>pathways</th></tr>");
    for (Run r : upgrades.runs()) {
      h.append("<tr><td><a href='/api/upgrades/page/runs/").append(e(r.id())).append("'>").append(e(r.id())).append("</a></td><td>")
          .append(e(r.requestedBy())).append("</td><td>").append(r.requestedAt()).append("</td><td>").append(r.targetVersion())
          .append("</td><td>").append(r.items().size()).append("</td></tr>");
    }
    return h.append("</table></body></html>").toString();
  }

  @PostMapping(path = "/page/dry-run", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE, produces = MediaType.TEXT_HTML_VALUE)
  String dryRunPage(@RequestParam(name = "target", required = false) String target,
      @RequestParam(name = "pathways", required = false) String pathways, Principal who) {
    List<String> only = pathways == null || pathways.isBlank() ? null
        : java.util.Arrays.stream(pathways.split("[,\\s]+")).filter(x -> !x.isBlank()).toList();
    DryRun d = call(() -> upgrades.dryRun(new DryRunRequest(target, only, null), who.getName()));
    String token = upgrades.formToken(d.id()).orElseThrow();
    StringBuilder h = head("Dry run to version " + d.target().version());
    h.append("<p>Dry run ").append(e(d.id())).append(" by ").append(e(d.requestedBy())).append(" at ").append(d.requestedAt())
        .append(": ").append(d.pathways().size()).append(" running pathways on other versions, ").append(d.affected().size())
        .append(" affected. Nothing has moved.</p>");
    d.plans().forEach(p -> h.append("<p>Plan from version ").append(p.sourceVersion()).append(": ").append(p.instructions().size())
        .append(" instructions").append(p.instructions().stream().filter(i -> i.moved()).map(i -> " (moved: " + e(i.from()) + ")")
            .reduce("", String::concat)).append(p.failures().isEmpty() ? "" : "; refused: " + e(String.join("; ", p.failures()))).append("</p>"));
    h.append("<form method='post' action='/api/upgrades/page/migration'><input type='hidden' name='dryRunId' value='").append(e(d.id()))
        .append("'><input type='hidden' name='token' value='").append(e(token)).append("'><table><tr><th>move</th><th>pathway</th>")
        .append("<th>patient</th><th>version</th><th>tokens</th><th>plan</th><th>escalation</th><th>decisions (before &rarr; after)</th></tr>");
    for (PathwayView p : d.pathways()) {
      h.append("<tr").append(p.affected() ? " class='affected'" : "").append("><td><input type='checkbox' name='pathway' value='")
          .append(e(p.pathwayId())).append("'").append(p.migrationValid() ? "" : " disabled").append("></td><td>").append(e(p.pathwayId()))
          .append("</td><td>").append(e(p.patientRef())).append("</td><td>").append(p.sourceVersion()).append("</td><td>")
          .append(e(String.join(", ", p.tokens().stream().map(t -> t.activityName() == null ? t.activityId() : t.activityName()).toList())))
          .append("</td><td>").append(p.migrationValid() ? "validates" : "refused: " + e(String.join("; ", p.migrationFailures())))
          .append("</td><td>").append(p.escalationOpen() ? "open: held until it ends" : "").append("</td><td>");
      for (DecisionView dv : p.changedDecisions()) {
        h.append(e(dv.name() == null ? dv.decision() : dv.name())).append(": ").append(e(String.valueOf(dv.before()))).append(" &rarr; ")
            .append(e(String.valueOf(dv.after()))).append("<br>");
      }
      h.append("</td></tr>");
    }
    return h.append("</table><p><button type='submit'>Migrate the ticked pathways</button></p></form></body></html>").toString();
  }

  @PostMapping(path = "/page/migration", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE, produces = MediaType.TEXT_HTML_VALUE)
  String migrationPage(@RequestParam("dryRunId") String dryRunId, @RequestParam("token") String token,
      @RequestParam(name = "pathway", required = false) List<String> pathwayIds, Principal who) {
    String expected = upgrades.formToken(dryRunId).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no dry run"));
    if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
      throw new ResponseStatusException(HttpStatus.FORBIDDEN, "not the form of this dry run");
    }
    if (pathwayIds == null || pathwayIds.isEmpty()) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "tick at least one pathway");
    }
    Run run = call(() -> upgrades.migrate(dryRunId, pathwayIds, who.getName()));
    return runPage(run.id());
  }

  @GetMapping(path = "/page/runs/{id}", produces = MediaType.TEXT_HTML_VALUE)
  String runPage(@PathVariable String id) {
    Run r = run(id);
    StringBuilder h = head("Migration to version " + r.targetVersion());
    h.append("<p>Run ").append(e(r.id())).append(" by ").append(e(r.requestedBy())).append(" at ").append(r.requestedAt())
        .append(", on dry run ").append(e(r.dryRunId())).append(". Reload to follow it.</p><table><tr><th>pathway</th><th>patient</th>")
        .append("<th>from version</th><th>status</th><th>review task</th><th>re-check at the next gate</th><th>note</th></tr>");
    r.items().forEach(i -> h.append("<tr><td>").append(e(i.pathwayId())).append("</td><td>").append(e(i.patientRef())).append("</td><td>")
        .append(i.sourceVersion()).append("</td><td>").append(i.status()).append("</td><td>").append(e(i.reviewTaskId())).append("</td><td>")
        .append(e(i.recheck())).append("</td><td>").append(e(i.note())).append("</td></tr>"));
    return h.append("</table><p><a href='/api/upgrades/page'>Back</a></p></body></html>").toString();
  }

  private static StringBuilder head(String title) {
    return new StringBuilder("<!DOCTYPE html><html><head><meta charset='utf-8'><title>").append(e(title))
        .append("</title><style>body{font-family:sans-serif}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px;")
        .append("vertical-align:top}tr.affected{background:#fff3cd}</style></head><body><h1>").append(e(title)).append("</h1>");
  }

  private static String e(String s) {
    return s == null ? "" : HtmlUtils.htmlEscape(s);
  }
}
