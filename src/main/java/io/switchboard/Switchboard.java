package io.switchboard;

import io.switchboard.cli.Cli;

/**
 * Entry point: {@code java -jar switchboard.jar [COMMAND] ...}. Without a command, or with {@code serve}, it runs the
 * gateway until the process is stopped; every other command runs and exits with its code (see {@link Cli}).
 */
public final class Switchboard {

  private Switchboard() {
  }

  public static void main(String[] args) {
    Cli cli = new Cli(System.getenv(), System.out, System.err);
    int code = cli.run(args);
    if (!cli.serving()) {
      System.exit(code);
    }
  }
}
