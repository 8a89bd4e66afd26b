package io.switchboard.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.Map;

/** {@code switchboard rate-limits}: requests refused by the gateway's limits or limited by an upstream. */
@Command(name = "rate-limits", mixinStandardHelpOptions = true,
  description = "Rate-limit events by source (gateway or upstream) and target (GET /admin/reports/rate-limits).")
final class RateLimitsCommand extends PeriodReportCommand {

  RateLimitsCommand(Map<String, String> env) {
    super(env, "/admin/reports/rate-limits");
  }

  @Override
  void print(JsonObject answer, PrintWriter out) {
    Reports.period(answer, out);
    JsonObject bySource = answer.getJsonObject("by_source", new JsonObject());
    out.println("events:      " + Format.count(answer, "events") + " (gateway " + Format.count(bySource, "gateway")
      + ", upstream " + Format.count(bySource, "upstream") + ")");
    Table table = new Table("SOURCE", "TARGET", "EVENTS");
    answer.getJsonArray("by_target", new JsonArray()).stream().map(JsonObject.class::cast)
      .forEach(t -> table.row(Format.text(t, "source"), Format.text(t, "target"), Format.count(t, "events")));
    if (!table.isEmpty()) {
      out.println();
      table.print(out);
    }
  }
}
