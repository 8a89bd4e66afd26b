package io.switchboard.cli;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A command answered by a running gateway's admin API: one exchange ({@link #exchange}), then the answer printed as
 * the endpoint's JSON ({@code --json}) or as aligned text ({@link #print}).
 */
abstract class AdminCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  AdminOptions admin;

  @Option(names = "--json", description = "Print the admin API's JSON as it came")
  boolean json;

  private final Map<String, String> env;

  AdminCommand(Map<String, String> env) {
    this.env = env;
  }

  /** Refuses bad options (a {@link CliException} with {@link Cli#USAGE}) before anything is sent. */
  void check() {
  }

  /** Asks the gateway; the JSON it returns is what gets printed. */
  abstract JsonObject exchange(AdminClient client);

  abstract void print(JsonObject answer, PrintWriter out);

  @Override
  public final Integer call() {
    Quiet.logs();
    check();
    JsonObject answer = exchange(admin.client(env));
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(answer.encodePrettily());
    } else {
      print(answer, out);
    }
    out.flush();
    return Cli.OK;
  }
}
