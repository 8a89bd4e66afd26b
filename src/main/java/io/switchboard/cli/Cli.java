package io.switchboard.cli;

import io.switchboard.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code switchboard [COMMAND] ...}: the gateway ({@code serve}, also what runs without a command) and the commands
 * that route and classify offline, check the configuration, or read and change a running gateway through its admin
 * API. Exit codes: {@link #OK}, {@link #FAILED}, {@link #USAGE}, {@link #UNREACHABLE}; every error is one line on
 * stderr.
 */
@Command(name = "switchboard", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
  description = "LLM routing gateway. Without a command, or with options only, it runs the gateway (serve).",
  commandListHeading = "%nCommands:%n", synopsisSubcommandLabel = "[COMMAND]")
public final class Cli {

  /** Done. */
  public static final int OK = 0;
  /** The gateway answered with an error, or the command failed. */
  public static final int FAILED = 1;
  /** Bad usage or a configuration that cannot be read. */
  public static final int USAGE = 2;
  /** The gateway's admin API cannot be reached. */
  public static final int UNREACHABLE = 3;

  /** Arguments that the top-level command answers itself rather than handing them to {@code serve}. */
  private static final Set<String> OWN_OPTIONS = Set.of("-h", "--help", "-V", "--version");

  private final ServeCommand serve;
  private final CommandLine line;

  public Cli(Map<String, String> env, PrintStream out, PrintStream err) {
    serve = new ServeCommand(env);
    CommandLine keys = new CommandLine(new KeysCommand())
      .addSubcommand(new KeysCommand.Create(env))
      .addSubcommand(new KeysCommand.ListKeys(env))
      .addSubcommand(new KeysCommand.Revoke(env));
    line = new CommandLine(this)
      .addSubcommand(serve)
      .addSubcommand(new RouteCommand(env))
      .addSubcommand(new ClassifyCommand(env))
      .addSubcommand(new ConfigCommand(env))
      .addSubcommand(new StatusCommand(env))
      .addSubcommand(new StatsCommand(env))
      .addSubcommand(new CostCommand(env))
      .addSubcommand(new BudgetCommand(env))
      .addSubcommand(new FallbackCommand(env))
      .addSubcommand(new RateLimitsCommand(env))
      .addSubcommand(new InsightsCommand(env))
      .addSubcommand(new ExportCommand(env, out))
      .addSubcommand(new ResetCommand(env))
      .addSubcommand("keys", keys)
      .addSubcommand(new ReplaySubcommand(env, out, err))
      .addSubcommand(new TrainSubcommand(out, err));
    line.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8))
      .setErr(new PrintWriter(err, true, StandardCharsets.UTF_8))
      // "@file" and quotes are a prompt's text, never a file to expand or quoting to strip
      .setExpandAtFiles(false)
      .setParameterExceptionHandler(Cli::usageError)
      .setExecutionExceptionHandler(Cli::failure);
  }

  /**
   * Runs the command {@code args} name and returns its exit code. Arguments that start with an option (or none at
   * all) are serve's, so the top-level command itself never runs.
   */
  public int run(String[] args) {
    List<String> arguments = new ArrayList<>(List.of(args));
    if (arguments.isEmpty() || arguments.get(0).startsWith("-") && !OWN_OPTIONS.contains(arguments.get(0))) {
      arguments.add(0, "serve");
    }
    return line.execute(arguments.toArray(String[]::new));
  }

  /** Whether {@code serve} started the gateway, which then runs until the process is stopped. */
  public boolean serving() {
    return serve.started();
  }

  /** {@code switchboard stats: --period: 'year' is not one of day, week, month, all (see switchboard stats --help)}. */
  private static int usageError(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    String name = command.getCommandSpec().qualifiedName();
    command.getErr().println(name + ": " + e.getMessage() + " (see '" + name + " --help')");
    return USAGE;
  }

  private static int failure(Exception e, CommandLine command, ParseResult parsed) {
    String name = command.getCommandSpec().qualifiedName();
    if (e instanceof CliException cli) {
      command.getErr().println(name + ": " + cli.getMessage());
      return cli.exitCode();
    }
    if (e instanceof ConfigException config) {
      command.getErr().println(name + ": " + config.getMessage());
      return USAGE;
    }
    String message = e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("");
    command.getErr().println(name + ": " + e.getClass().getSimpleName() + message);
    return FAILED;
  }

  /** The version of the jar, from its manifest when built by Maven. */
  static final class Version implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
      String version = Cli.class.getPackage().getImplementationVersion();
      return new String[] {"switchboard " + (version == null ? "(development build)" : version)};
    }
  }
}
