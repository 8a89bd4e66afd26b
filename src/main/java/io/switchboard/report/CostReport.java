package io.switchboard.report;

import io.switchboard.ledger.LedgerStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.LocalDate;
import java.util.List;

import static io.switchboard.report.ReportNumbers.savingsPct;
import static io.switchboard.report.ReportNumbers.text;
import static io.switchboard.report.ReportNumbers.usd;
import static io.switchboard.report.ReportNumbers.whole;

/**
 * {@code GET /admin/reports/cost}: what was billed in a period, by the day it was billed and by the model billed
 * (a failed attempt that produced tokens counts against its own model), with this month's spend projected to its
 * end (see {@link MonthProjection}).
 */
final class CostReport {

  private final LedgerStore store;

  CostReport(LedgerStore store) {
    this.store = store;
  }

  Future<JsonObject> report(ReportPeriod period, LocalDate today) {
    List<Object> bounds = List.of(period.fromDay(), period.toDay());
    Future<List<JsonObject>> byDay = store.query("SELECT day, SUM(cost_micros) AS cost_micros,"
      + " SUM(baseline_cost_micros) AS baseline_cost_micros, COUNT(DISTINCT decision_id) AS requests"
      + " FROM cost_tracking WHERE day >= ? AND day <= ? GROUP BY day ORDER BY day", bounds);
    Future<List<JsonObject>> byModel = store.query("SELECT model, SUM(cost_micros) AS cost_micros,"
      + " COUNT(DISTINCT decision_id) AS requests FROM cost_tracking WHERE day >= ? AND day <= ?"
      + " GROUP BY model ORDER BY SUM(cost_micros) DESC, model", bounds);
    Future<List<JsonObject>> month = store.query("SELECT SUM(cost_micros) AS cost_micros FROM cost_tracking"
      + " WHERE day >= ? AND day <= ?", List.of(today.withDayOfMonth(1).toString(), today.toString()));
    return Future.all(byDay, byModel, month).map(all -> {
      long cost = 0;
      long baseline = 0;
      JsonArray days = new JsonArray();
      for (JsonObject row : byDay.result()) {
        cost += whole(row, "cost_micros");
        baseline += whole(row, "baseline_cost_micros");
        days.add(new JsonObject().put("day", text(row, "day", ""))
          .put("cost_usd", usd(whole(row, "cost_micros")))
          .put("baseline_cost_usd", usd(whole(row, "baseline_cost_micros")))
          .put("requests", whole(row, "requests")));
      }
      JsonArray models = new JsonArray();
      for (JsonObject row : byModel.result()) {
        models.add(new JsonObject().put("model", text(row, "model", ""))
          .put("cost_usd", usd(whole(row, "cost_micros"))).put("requests", whole(row, "requests")));
      }
      long monthToDate = month.result().isEmpty() ? 0 : whole(month.result().get(0), "cost_micros");
      return new JsonObject()
        .put("period", period.toJson())
        .put("cost_usd", usd(cost))
        .put("baseline_cost_usd", usd(baseline))
        .put("savings_usd", usd(baseline - cost))
        .put("savings_pct", savingsPct(cost, baseline))
        .put("by_day", days)
        .put("by_model", models)
        .put("projection", MonthProjection.of(monthToDate, today).toJson());
    });
  }
}
