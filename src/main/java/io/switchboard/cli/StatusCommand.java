package io.switchboard.cli;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.Map;

/** {@code switchboard status}: whether the gateway runs, its ledger, and today's requests and savings. */
@Command(name = "status", mixinStandardHelpOptions = true,
  description = "The gateway's state, its ledger and today's spend (GET /admin/reports/status).")
final class StatusCommand extends AdminCommand {

  StatusCommand(Map<String, String> env) {
    super(env);
  }

  @Override
  JsonObject exchange(AdminClient client) {
    return client.get("/admin/reports/status");
  }

  @Override
  void print(JsonObject answer, PrintWriter out) {
    JsonObject today = answer.getJsonObject("today", new JsonObject());
    out.println("status:      " + Format.text(answer, "status") + " (version " + Format.text(answer, "version")
      + ", up " + Format.count(answer, "uptime_s") + " s)");
    out.println("ledger:      " + Format.text(answer, "ledger"));
    out.println("today:       " + Format.count(today, "requests") + " requests, " + Reports.savings(today));
    Table rows = new Table("TABLE", "ROWS");
    answer.getJsonObject("rows", new JsonObject()).forEach(e -> rows.row(e.getKey(), e.getValue()));
    if (!rows.isEmpty()) {
      out.println();
      rows.print(out);
    }
  }
}
