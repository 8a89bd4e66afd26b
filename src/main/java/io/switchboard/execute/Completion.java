package io.switchboard.execute;

import io.switchboard.cost.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * A whole non-streaming answer: the upstream's bytes as received, their parsed form, and the usage.
 *
 * @param usage what the provider reported, or the gateway's own count (marked estimated)
 * @param sameDialect {@code body} is the upstream's answer in the client's own dialect, relayed as received;
 *                    {@code json} is still its chat-completion form
 */
public record Completion(Buffer body, JsonObject json, Usage usage, long upstreamEndNanos, boolean sameDialect) {

  public Completion(Buffer body, JsonObject json, Usage usage, long upstreamEndNanos) {
    this(body, json, usage, upstreamEndNanos, false);
  }
}
