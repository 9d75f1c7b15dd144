package io.pathway.service.views;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pathway.model.codes.PathwayOutcome;
import io.pathway.model.codes.Stage;
import io.pathway.service.platform.CodeLabels;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.springframework.stereotype.Component;

/**
 * The ledger's figures for the current week and month as Prometheus gauges ({@code pathway_ledger_*}, tag
 * {@code period=week|month}). A scrape reads a ledger at most a minute old: the queries run once a minute at most,
 * whatever the number of scrapers. NaN where there is nothing to measure yet (no red flag this week).
 */
@Component
class LedgerMetrics {

  static final Duration MAX_AGE = Duration.ofMinutes(1);

  private final LedgerService ledger;
  private final Map<LedgerService.Period, LedgerService.Ledger> cache = new EnumMap<>(LedgerService.Period.class);
  private final Map<LedgerService.Period, Instant> readAt = new EnumMap<>(LedgerService.Period.class);

  LedgerMetrics(LedgerService ledger, MeterRegistry registry) {
    this.ledger = ledger;
    for (LedgerService.Period p : LedgerService.Period.values()) {
      String period = p.name().toLowerCase();
      timing(registry, p, period, "referral", LedgerService.Row::redFlagToReferral);
      timing(registry, p, period, "confirmation", LedgerService.Row::redFlagToConfirmation);
      gauge(registry, "pathway.ledger.results.overdue", "Overdue-result alerts raised", p, period, r -> r.resultsOverdue());
      gauge(registry, "pathway.ledger.result.chases", "Chase tasks completed", p, period, r -> r.chases());
      gauge(registry, "pathway.ledger.overrides", "Clinician choices that overrode a proposal", p, period, r -> r.overrides());
      for (Stage s : Stage.values()) {
        Gauge.builder("pathway.ledger.stage.median.days", this, m -> orNaN(m.current(p).medianDaysInStage().get(CodeLabels.of(s.name()))))
            .description("Median days spent in a stage entered in the period").tags("period", period, "stage", s.name())
            .register(registry);
      }
      for (PathwayOutcome o : PathwayOutcome.values()) {
        Gauge.builder("pathway.ledger.pathways.ended", this, m -> m.current(p).pathwaysByOutcome().getOrDefault(CodeLabels.of(o.name()), 0))
            .description("Pathways ended in the period, by outcome").tags("period", period, "outcome", o.name()).register(registry);
      }
    }
    Gauge.builder("pathway.ledger.omissions", this, m -> m.snapshot(LedgerService.Period.WEEK).omissions().stream()
        .filter(o -> o.what().startsWith("Order")).count()).description("Open orders never answered past the overdue time")
        .tags("kind", "order").register(registry);
    Gauge.builder("pathway.ledger.omissions", this, m -> m.snapshot(LedgerService.Period.WEEK).omissions().stream()
        .filter(o -> o.what().startsWith("Task")).count()).description("Open tasks past their due date")
        .tags("kind", "task").register(registry);
  }

  private void timing(MeterRegistry registry, LedgerService.Period p, String period, String measure,
      java.util.function.Function<LedgerService.Row, LedgerService.Timing> of) {
    String name = "pathway.ledger.red.flag." + measure;
    Gauge.builder(name + ".median.minutes", this, m -> orNaN(of.apply(m.current(p)).medianMinutes()))
        .description("Red flag observed to " + measure + ": median minutes").tags("period", period).register(registry);
    Gauge.builder(name + ".p95.minutes", this, m -> orNaN(of.apply(m.current(p)).p95Minutes()))
        .description("Red flag observed to " + measure + ": 95th percentile minutes").tags("period", period).register(registry);
    Gauge.builder(name + ".outside.sla", this, m -> of.apply(m.current(p)).outsideSla())
        .description("Red flags whose " + measure + " missed the SLA").tags("period", period).register(registry);
    Gauge.builder(name + ".count", this, m -> of.apply(m.current(p)).count())
        .description("Red flags observed in the period").tags("period", period).register(registry);
  }

  private void gauge(MeterRegistry registry, String name, String description, LedgerService.Period p, String period,
      ToDoubleFunction<LedgerService.Row> value) {
    Gauge.builder(name, this, m -> value.applyAsDouble(m.current(p))).description(description).tags("period", period)
        .register(registry);
  }

  LedgerService.Row current(LedgerService.Period p) {
    return snapshot(p).rows().get(0);
  }

  synchronized LedgerService.Ledger snapshot(LedgerService.Period p) {
    Instant at = readAt.get(p);
    if (at == null || at.plus(MAX_AGE).isBefore(Instant.now())) {
      cache.put(p, ledger.ledger(p, 1));
      readAt.put(p, Instant.now());
    }
    return cache.get(p);
  }

  /** The next scrape reads the ledger afresh. */
  synchronized void forget() {
    readAt.clear();
  }

  private static double orNaN(Double d) {
    return d == null ? Double.NaN : d;
  }
}
