package io.switchboard.report;

import io.switchboard.config.InsightsConfig;
import io.switchboard.ledger.LedgerStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.switchboard.report.ReportNumbers.real;
import static io.switchboard.report.ReportNumbers.text;
import static io.switchboard.report.ReportNumbers.whole;

/**
 * {@code GET /admin/reports/insights}: downgrade suggestions ({@link Suggestions}) from the period's
 * {@code model_performance}, and alerts ({@link Alerts}) on its totals, its routing confidence, and the cost of its
 * last day (not after today) against the trailing days.
 */
final class InsightsReport {

  private final LedgerStore store;
  private final StatsReport stats;
  private final Suggestions suggestions;
  private final Alerts alerts;
  private final int trailingDays;

  InsightsReport(LedgerStore store, StatsReport stats, InsightsConfig config) {
    this.store = store;
    this.stats = stats;
    this.suggestions = new Suggestions(config);
    this.alerts = new Alerts(config);
    this.trailingDays = config.trailingDays();
  }

  Future<JsonObject> report(ReportPeriod period, LocalDate today) {
    List<Object> bounds = List.of(period.fromDay(), period.toDay());
    Future<List<JsonObject>> performance = store.query("SELECT task_type, model, SUM(requests) AS requests,"
      + " SUM(successes) AS successes, SUM(cost_micros) AS cost_micros FROM model_performance"
      + " WHERE day >= ? AND day <= ? GROUP BY task_type, model ORDER BY task_type, model", bounds);
    Future<List<JsonObject>> activeDays = store.query(
      "SELECT COUNT(DISTINCT day) AS days FROM model_performance WHERE day >= ? AND day <= ?", bounds);
    Future<Map<String, Figures>> totals = stats.figures(period, null);
    Future<List<JsonObject>> confidence = store.query("SELECT COUNT(confidence) AS n, AVG(confidence) AS mean"
      + " FROM routing_decisions WHERE day >= ? AND day <= ? AND confidence IS NOT NULL", bounds);
    LocalDate checked = period.lastDayUpTo(today);
    Future<List<JsonObject>> dailyCosts = store.query("SELECT day, SUM(cost_micros) AS cost_micros FROM cost_tracking"
      + " WHERE day >= ? AND day <= ? GROUP BY day",
      List.of(checked.minusDays(trailingDays).toString(), checked.toString()));
    return Future.all(List.of(performance, activeDays, totals, confidence, dailyCosts)).map(all -> {
      List<ModelRecord> records = performance.result().stream().map(ModelRecord::of).toList();
      long days = whole(activeDays.result().get(0), "days");
      JsonArray suggested = new JsonArray();
      suggestions.suggest(records, days).forEach(s -> suggested.add(s.toJson()));

      Figures figures = totals.result().getOrDefault("", Figures.of(new JsonObject(), new long[0]));
      JsonObject confidenceRow = confidence.result().get(0);
      long dayCost = 0;
      List<Long> trailing = new ArrayList<>();
      for (JsonObject row : dailyCosts.result()) {
        if (text(row, "day", "").equals(checked.toString())) {
          dayCost = whole(row, "cost_micros");
        } else {
          trailing.add(whole(row, "cost_micros"));
        }
      }
      JsonArray raised = new JsonArray();
      alerts.evaluate(figures, whole(confidenceRow, "n"), real(confidenceRow, "mean"), checked, dayCost,
        trailing.stream().mapToLong(Long::longValue).toArray()).forEach(a -> raised.add(a.toJson()));
      return new JsonObject().put("period", period.toJson()).put("suggestions", suggested).put("alerts", raised);
    });
  }
}
