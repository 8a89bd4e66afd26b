package io.switchboard.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code switchboard export --format json|csv [--table T] [--out FILE]}: a ledger table as the gateway exports it
 * ({@code GET /admin/reports/export}), byte for byte, to stdout or a file.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
  description = "Export a ledger table as JSON or CSV (GET /admin/reports/export).")
final class ExportCommand implements Callable<Integer> {

  static final List<String> FORMATS = List.of("json", "csv");

  @Spec
  private CommandSpec spec;

  @Mixin
  private AdminOptions admin;

  @Mixin
  private PeriodOptions period;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "json", description = "json or csv"
    + " (default: ${DEFAULT-VALUE})")
  private String format;

  @Option(names = "--table", paramLabel = "TABLE", description = "The ledger table (default: cost_tracking)")
  private String table;

  @Option(names = "--out", paramLabel = "FILE", description = "Write to this file rather than stdout")
  private Path file;

  private final Map<String, String> env;
  private final PrintStream stdout;

  ExportCommand(Map<String, String> env, PrintStream stdout) {
    this.env = env;
    this.stdout = stdout;
  }

  @Override
  public Integer call() {
    Quiet.logs();
    if (!FORMATS.contains(format)) {
      throw new CliException(Cli.USAGE, "--format: '" + format + "' is not one of " + String.join(", ", FORMATS));
    }
    String query = PeriodOptions.path("/admin/reports/export", "format=" + format,
      table == null ? "" : "table=" + URLEncoder.encode(table, StandardCharsets.UTF_8), period.query());
    byte[] body = admin.client(env).download(query);
    if (file == null) {
      // bytes as they came: a CSV's quoting and a JSON's encoding are the gateway's, untouched by a Writer
      stdout.write(body, 0, body.length);
      stdout.flush();
      return Cli.OK;
    }
    try {
      Files.write(file, body);
    } catch (IOException e) {
      throw new CliException(Cli.FAILED, file + ": cannot be written (" + e.getClass().getSimpleName() + ")");
    }
    spec.commandLine().getErr().println("wrote " + body.length + " bytes to " + file);
    return Cli.OK;
  }
}
