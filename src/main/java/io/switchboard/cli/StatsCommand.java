package io.switchboard.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code switchboard stats}: requests, tokens, cost and savings for a period, by a dimension. */
@Command(name = "stats", mixinStandardHelpOptions = true,
  description = "Requests, tokens, cost, savings, escalation, cache and success rates, latency; by model or another"
    + " dimension (GET /admin/reports/stats).")
final class StatsCommand extends AdminCommand {

  static final List<String> DIMENSIONS = List.of("model", "task_type", "complexity", "key", "day", "provider");

  @Mixin
  private PeriodOptions period;

  @Option(names = "--by", paramLabel = "DIMENSION", defaultValue = "model",
    description = "model, task_type, complexity, key, day or provider (default: ${DEFAULT-VALUE})")
  private String by;

  StatsCommand(Map<String, String> env) {
    super(env);
  }

  @Override
  void check() {
    if (!DIMENSIONS.contains(by)) {
      throw new CliException(Cli.USAGE, "--by: '" + by + "' is not one of " + String.join(", ", DIMENSIONS));
    }
    period.query();
  }

  @Override
  JsonObject exchange(AdminClient client) {
    return client.get(PeriodOptions.path("/admin/reports/stats", period.query(), "by=" + by));
  }

  @Override
  void print(JsonObject answer, PrintWriter out) {
    JsonObject totals = answer.getJsonObject("totals", new JsonObject());
    Reports.period(answer, out);
    out.println("requests:    " + Format.count(totals, "requests") + " (success " + Format.rate(totals, "success_rate")
      + ", escalated " + Format.rate(totals, "escalation_rate") + ", cache hits " + Format.rate(totals, "cache_hit_rate")
      + ")");
    out.println("tokens:      " + Format.count(totals, "prompt_tokens") + " prompt, "
      + Format.count(totals, "completion_tokens") + " completion");
    out.println("cost:        " + Reports.savings(totals));
    out.println("latency:     p50 " + Format.millis(totals, "p50_latency_ms") + ", p95 "
      + Format.millis(totals, "p95_latency_ms"));
    Table table = new Table(by.toUpperCase(Locale.ROOT).replace('_', ' '), "REQUESTS", "COST", "BASELINE",
      "SAVINGS", "SUCCESS", "ESCALATED", "P50", "P95");
    answer.getJsonArray("groups", new JsonArray()).stream().map(JsonObject.class::cast)
      .forEach(group -> table.row(Format.text(group, "key"), Format.count(group, "requests"),
        Format.usd(group, "cost_usd"), Format.usd(group, "baseline_cost_usd"), Reports.savingsPct(group),
        Format.rate(group, "success_rate"), Format.rate(group, "escalation_rate"),
        Format.millis(group, "p50_latency_ms"), Format.millis(group, "p95_latency_ms")));
    if (!table.isEmpty()) {
      out.println();
      table.print(out);
    }
  }
}
