package io.switchboard.limit;

import io.vertx.core.json.JsonObject;

/**
 * The published fact that the gateway's own rate limiter turned a call away.
 *
 * @param scope     what was limited: {@code model:<id>}, {@code key:<provider>:<label>} or {@code vkey:<id>}
 * @param dimension the exhausted dimension: {@code requests}, {@code input_tokens} or {@code output_tokens}
 */
public record RateLimitRefusal(String scope, String dimension, long retryAfterMillis, long epochMillis) {

  public JsonObject toJson() {
    return new JsonObject()
      .put("scope", scope)
      .put("dimension", dimension)
      .put("retry_after_ms", retryAfterMillis)
      .put("epoch_ms", epochMillis);
  }

  public static RateLimitRefusal fromJson(JsonObject json) {
    return new RateLimitRefusal(json.getString("scope"), json.getString("dimension"),
      json.getLong("retry_after_ms", 0L), json.getLong("epoch_ms", 0L));
  }
}
