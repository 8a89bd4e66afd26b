package io.switchboard.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;

/** {@code switchboard fallback}: how often requests needed another model than the one chosen, and why. */
@Command(name = "fallback", mixinStandardHelpOptions = true,
  description = "Fallback rate, fallbacks by model with their reasons, and the latest ones"
    + " (GET /admin/reports/fallbacks).")
final class FallbackCommand extends PeriodReportCommand {

  FallbackCommand(Map<String, String> env) {
    super(env, "/admin/reports/fallbacks");
  }

  @Override
  void print(JsonObject answer, PrintWriter out) {
    Reports.period(answer, out);
    out.println("fallbacks:   " + Format.count(answer, "requests_with_fallback") + " of "
      + Format.count(answer, "requests") + " requests (" + Format.rate(answer, "fallback_rate") + ")");
    Table byModel = new Table("MODEL", "PROVIDER", "FALLBACKS", "REASONS");
    answer.getJsonArray("by_model", new JsonArray()).stream().map(JsonObject.class::cast)
      .forEach(model -> byModel.row(Format.text(model, "model"), Format.text(model, "provider"),
        Format.count(model, "fallbacks"), model.getJsonObject("reasons", new JsonObject()).stream()
          .map(reason -> reason.getKey() + " " + reason.getValue()).collect(Collectors.joining(", "))));
    if (!byModel.isEmpty()) {
      out.println();
      byModel.print(out);
    }
    Table recent = new Table("WHEN (UTC)", "FROM", "TO", "REASON", "DECISION");
    answer.getJsonArray("recent", new JsonArray()).stream().map(JsonObject.class::cast)
      .forEach(event -> recent.row(event.getValue("epoch_ms") instanceof Number ms
          ? Instant.ofEpochMilli(ms.longValue()).toString() : "-", Format.text(event, "from_model"),
        Format.text(event, "to_model"), Format.text(event, "reason"), Format.text(event, "decision_id")));
    if (!recent.isEmpty()) {
      out.println();
      recent.print(out);
    }
  }
}
