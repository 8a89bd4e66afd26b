package io.switchboard.execute;

import io.vertx.core.buffer.Buffer;

/**
 * Receives the events of a server-sent-events stream, one at a time, on the event loop that reads it. The
 * buffers are only valid during the call.
 */
public interface SseListener {

  /**
   * One complete event.
   *
   * @param raw the event's bytes, blank line included, as they arrived
   * @param data the payload of its {@code data:} lines; null for an event without any (a comment, a ping)
   */
  void onEvent(Buffer raw, Buffer data);

  /** The stream ended cleanly (EOF) after its last event; not called when it failed. */
  default void onEnd() {
  }
}
