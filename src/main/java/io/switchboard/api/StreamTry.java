package io.switchboard.api;

import io.switchboard.cost.Usage;
import io.switchboard.execute.StreamRelay;
import io.switchboard.openai.ApiError;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/** One try of a stream in a front door's dialect: how the upstream's chunks become its events, and how it ends. */
interface StreamTry {

  /** Rewrites each chunk into the dialect's events; null: the chunks go out as the relay reads them. */
  StreamRelay.Transform transform();

  /** Whether the relay passes the upstream's usage chunk on to the client; a translated stream reports its own. */
  default boolean clientWantsUsage() {
    return false;
  }

  /**
   * The end of a stream that finished: writes what must precede its last bytes and resolves with them (the cost
   * comment among them), once they may be sent.
   */
  Future<Buffer> finished(HttpServerResponse response, StreamRelay relay, Usage usage, Buffer costComment);

  /** The event that tells the client the stream was cut after it started. */
  Buffer cut(ApiError error);

  /** Called once the stream ended and was accounted, whatever the end. */
  default void accounted() {
  }
}
