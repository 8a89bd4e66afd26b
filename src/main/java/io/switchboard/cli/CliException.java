package io.switchboard.cli;

/**
 * A command that cannot do what it was asked: the process prints {@code message} as one line on stderr and exits
 * with {@code exitCode} ({@link Cli#USAGE}, {@link Cli#FAILED} or {@link Cli#UNREACHABLE}).
 */
final class CliException extends RuntimeException {

  private final int exitCode;

  CliException(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
