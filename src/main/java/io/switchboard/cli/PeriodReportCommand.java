package io.switchboard.cli;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Mixin;

import java.util.Map;

/** A report of the admin API over a period ({@code --period} or {@code --from/--to}) and nothing else. */
abstract class PeriodReportCommand extends AdminCommand {

  @Mixin
  PeriodOptions period;

  private final String path;

  /** @param path the report's endpoint, e.g. {@code /admin/reports/cost} */
  PeriodReportCommand(Map<String, String> env, String path) {
    super(env);
    this.path = path;
  }

  @Override
  final void check() {
    period.query();
  }

  @Override
  final JsonObject exchange(AdminClient client) {
    return client.get(PeriodOptions.path(path, period.query()));
  }
}
