package io.switchboard.execute;

import io.switchboard.cost.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * A whole non-streaming answer: the upstream's bytes as received, their parsed form, and the usage.
 *
 * @param usage what the provider reported, or the gateway's own count (marked estimated)
 */
public record Completion(Buffer body, JsonObject json, Usage usage, long upstreamEndNanos) {
}
