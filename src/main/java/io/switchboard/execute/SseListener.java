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

  /**
   * Bytes of the upstream stream to reach the client as they are, in order with what {@link #onEvent} makes it
   * send: a same-dialect stream's own events ({@link ProviderDialect#sameDialect()}). Only the relay takes them.
   */
  default void passOn(Buffer raw) {
  }

  /** The stream ended cleanly (EOF) after its last event; not called when it failed. */
  default void onEnd() {
  }
}
