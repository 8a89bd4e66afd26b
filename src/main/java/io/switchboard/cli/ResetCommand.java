package io.switchboard.cli;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.Map;

/** {@code switchboard reset --yes}: empties the ledger; without {@code --yes} nothing is sent. */
@Command(name = "reset", mixinStandardHelpOptions = true,
  description = "Delete every row of the analytics ledger (POST /admin/reports/reset). Needs --yes.")
final class ResetCommand extends AdminCommand {

  @Option(names = "--yes", description = "Confirm: the ledger's rows are gone for good")
  private boolean yes;

  ResetCommand(Map<String, String> env) {
    super(env);
  }

  @Override
  void check() {
    if (!yes) {
      throw new CliException(Cli.USAGE, "this deletes every row of the gateway's ledger; add --yes to confirm");
    }
  }

  @Override
  JsonObject exchange(AdminClient client) {
    return client.post("/admin/reports/reset?confirm=yes", new JsonObject());
  }

  @Override
  void print(JsonObject answer, PrintWriter out) {
    out.println("ledger reset");
    Table table = new Table("TABLE", "ROWS DELETED");
    answer.getJsonObject("deleted", new JsonObject()).forEach(e -> table.row(e.getKey(), e.getValue()));
    table.print(out);
  }
}
