package io.switchboard.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.Map;

/** {@code switchboard cost --period day|week|month}: spend against the baseline, by day and model, and the month's projection. */
@Command(name = "cost", mixinStandardHelpOptions = true,
  description = "Cost against the baseline for a period, by day and by model, and the projection to month end"
    + " (GET /admin/reports/cost).")
final class CostCommand extends PeriodReportCommand {

  CostCommand(Map<String, String> env) {
    super(env, "/admin/reports/cost");
  }

  @Override
  void print(JsonObject answer, PrintWriter out) {
    Reports.period(answer, out);
    out.println("cost:        " + Reports.savings(answer));
    JsonObject projection = answer.getJsonObject("projection", new JsonObject());
    out.println("this month:  " + Format.usd(projection, "month_to_date_usd") + " so far, "
      + Format.usd(projection, "projected_month_usd") + " projected (day " + Format.count(projection, "days_elapsed")
      + " of " + Format.count(projection, "days_in_month") + ")");
    Table byDay = new Table("DAY", "REQUESTS", "COST", "BASELINE");
    answer.getJsonArray("by_day", new JsonArray()).stream().map(JsonObject.class::cast)
      .forEach(day -> byDay.row(Format.text(day, "day"), Format.count(day, "requests"), Format.usd(day, "cost_usd"),
        Format.usd(day, "baseline_cost_usd")));
    if (!byDay.isEmpty()) {
      out.println();
      byDay.print(out);
    }
    Table byModel = new Table("MODEL", "REQUESTS", "COST");
    answer.getJsonArray("by_model", new JsonArray()).stream().map(JsonObject.class::cast)
      .forEach(model -> byModel.row(Format.text(model, "model"), Format.count(model, "requests"),
        Format.usd(model, "cost_usd")));
    if (!byModel.isEmpty()) {
      out.println();
      byModel.print(out);
    }
  }
}
