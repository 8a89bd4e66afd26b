package io.switchboard.cli;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code switchboard budget [--set-daily USD] [--set-monthly USD]}: the budgets with their spend
 * ({@code GET /admin/budgets}), after setting the given limits ({@code PUT /admin/budgets}) when asked.
 */
@Command(name = "budget", mixinStandardHelpOptions = true,
  description = "Show budgets and their spend; set a daily or monthly limit (an override of the configuration).")
final class BudgetCommand extends AdminCommand {

  @Option(names = "--set-daily", paramLabel = "USD", description = "Set the daily limit in dollars ('none' removes"
    + " the override)")
  private String daily;

  @Option(names = "--set-monthly", paramLabel = "USD", description = "Set the monthly limit in dollars ('none'"
    + " removes the override)")
  private String monthly;

  @Option(names = "--scope", paramLabel = "SCOPE", defaultValue = "global",
    description = "global, key:ID, user:NAME or team:NAME (default: ${DEFAULT-VALUE})")
  private String scope;

  BudgetCommand(Map<String, String> env) {
    super(env);
  }

  @Override
  void check() {
    limit("--set-daily", daily);
    limit("--set-monthly", monthly);
  }

  @Override
  JsonObject exchange(AdminClient client) {
    if (daily != null) {
      client.put("/admin/budgets", new JsonObject().put("scope", scope).put("period", "daily")
        .put("limit_usd", limit("--set-daily", daily)));
    }
    if (monthly != null) {
      client.put("/admin/budgets", new JsonObject().put("scope", scope).put("period", "monthly")
        .put("limit_usd", limit("--set-monthly", monthly)));
    }
    return client.get(daily == null && monthly == null && scope.equals("global") ? "/admin/budgets"
      : "/admin/budgets?scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8));
  }

  /** The limit as the endpoint takes it: dollars, or null to remove the override. */
  private static Double limit(String option, String value) {
    if (value == null || value.equals("none")) {
      return null;
    }
    try {
      BigDecimal usd = new BigDecimal(value.startsWith("$") ? value.substring(1) : value);
      if (usd.signum() < 0) {
        throw new CliException(Cli.USAGE, option + ": a limit cannot be negative");
      }
      return usd.doubleValue();
    } catch (NumberFormatException e) {
      throw new CliException(Cli.USAGE, option + ": '" + value + "' is not an amount of dollars (or 'none')");
    }
  }

  @Override
  void print(JsonObject answer, PrintWriter out) {
    Table table = new Table("SCOPE", "PERIOD", "WINDOW", "LIMIT", "SOURCE", "SPENT", "RESERVED", "USED", "RESETS AT");
    answer.getJsonArray("budgets").stream().map(JsonObject.class::cast).forEach(line -> table.row(
      Format.text(line, "scope"), Format.text(line, "period"), Format.text(line, "window"),
      Format.usd(line, "limit_usd"), Format.text(line, "limit_source"), Format.usd(line, "spent_usd"),
      Format.usd(line, "reserved_usd"), Format.rate(line, "utilization"), Format.text(line, "resets_at")));
    table.print(out);
  }
}
