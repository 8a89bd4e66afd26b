package io.switchboard.replay;

/** A replay that cannot run: bad arguments or an unreadable input; the message is one line naming the cause. */
final class ReplayException extends RuntimeException {

  ReplayException(String message) {
    super(message, null, false, false);
  }
}
