package io.switchboard.route;

import io.vertx.core.json.JsonObject;

/**
 * The model that served a request's session last, whose provider likely holds the session's prompt prefix in its
 * cache.
 *
 * @param cacheableTokens prompt tokens that model would read from its cache: the prefix this request shares with
 *                        the session's last one (0 when too short for a provider to cache)
 */
public record CachePin(String model, long cacheableTokens) {

  public JsonObject toJson() {
    return new JsonObject().put("model", model).put("cacheable_tokens", cacheableTokens);
  }

  /** Null for null (no pin). */
  public static CachePin fromJson(JsonObject json) {
    return json == null ? null : new CachePin(json.getString("model"), json.getLong("cacheable_tokens", 0L));
  }
}
