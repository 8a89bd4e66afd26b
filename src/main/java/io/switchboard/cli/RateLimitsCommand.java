package io.switchboard.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.util.Map;

/** {@code switchboard rate-limits}: requests refused by the gateway's limits or limited by an upstream. */
@Command(name = "rate-limits", mixinStandardHelpOptions = true,
  description = "Rate-limit events by source (gateway or upstream) and target (GET /admin/reports/rate-limits).")
final class RateLimitsCommand extends AdminCommand {

  @Mixin
  private PeriodOptions period;

  RateLimitsCommand(Map<String, String> env) {
    super(env);
  }

  @Override
  void check() {
    period.query();
  }

  @Override
  JsonObject exchange(AdminClient client) {
    return client.get(PeriodOptions.path("/admin/reports/rate-limits", period.query()));
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
