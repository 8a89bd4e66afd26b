package io.switchboard.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.Map;

/** {@code switchboard insights}: cheaper models that would do as well, and what looks wrong. */
@Command(name = "insights", mixinStandardHelpOptions = true,
  description = "Downgrade suggestions with their estimated saving, and alerts (GET /admin/reports/insights).")
final class InsightsCommand extends PeriodReportCommand {

  InsightsCommand(Map<String, String> env) {
    super(env, "/admin/reports/insights");
  }

  @Override
  void print(JsonObject answer, PrintWriter out) {
    JsonArray suggestions = answer.getJsonArray("suggestions", new JsonArray());
    JsonArray alerts = answer.getJsonArray("alerts", new JsonArray());
    out.println(suggestions.isEmpty() ? "suggestions: none" : "suggestions:");
    suggestions.stream().map(JsonObject.class::cast).forEach(s -> out.println("  - " + Format.text(s, "text")));
    out.println(alerts.isEmpty() ? "alerts:      none" : "alerts:");
    Table table = new Table("SEVERITY", "KIND", "VALUE", "THRESHOLD", "MESSAGE");
    alerts.stream().map(JsonObject.class::cast).forEach(a -> table.row(Format.text(a, "severity"),
      Format.text(a, "kind"), Format.text(a, "value"), Format.text(a, "threshold"), Format.text(a, "message")));
    if (!table.isEmpty()) {
      table.print(out);
    }
  }
}
