package io.switchboard.cli;

import io.switchboard.classify.train.TrainCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code switchboard train-classifier ...}: trains the tier-1 classifier, reading its own arguments. */
@Command(name = "train-classifier", description = "Train the tier-1 task classifier (see README).")
final class TrainSubcommand implements Callable<Integer> {

  @Unmatched
  private List<String> arguments = new ArrayList<>();

  private final PrintStream out;
  private final PrintStream err;

  TrainSubcommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    return TrainCommand.run(arguments, out, err);
  }
}
