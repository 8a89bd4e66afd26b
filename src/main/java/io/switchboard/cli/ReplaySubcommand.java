package io.switchboard.cli;

import io.switchboard.replay.ReplayCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code switchboard replay ...}: the offline replay, which reads its own arguments (see {@link ReplayCommand}). */
@Command(name = "replay", description = "Replay a workload through classification and routing, offline.")
final class ReplaySubcommand implements Callable<Integer> {

  @Unmatched
  private List<String> arguments = new ArrayList<>();

  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;

  ReplaySubcommand(Map<String, String> env, PrintStream out, PrintStream err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    return ReplayCommand.run(arguments, env, out, err);
  }
}
