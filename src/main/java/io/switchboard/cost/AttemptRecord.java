package io.switchboard.cost;

import io.vertx.core.json.JsonObject;

/**
 * The published fact for one call to an upstream, whether it answered or not: a request that was retried or
 * failed over has several. The ones that answered carry the usage its {@link UsageRecord} prices: the last one,
 * or several when the request was escalated or drafted and reviewed.
 *
 * @param attempt 1 for a request's first call, counting across every model tried
 * @param keyLabel the label of the API key used, empty for providers without keys (never the key)
 * @param outcome {@code ok}, or the error code that ended the call ({@code upstream_rate_limited}...)
 * @param usage what the call consumed: {@link Usage#NONE} for a call that produced nothing
 */
public record AttemptRecord(String decisionId, int attempt, String model, String provider, String keyLabel,
                            String outcome, long latencyMillis, Usage usage, long epochMillis) {

  /** Whether the provider can charge for this call: it produced tokens. */
  public boolean billable() {
    return usage.promptTokens() + usage.completionTokens() > 0;
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("decision_id", decisionId)
      .put("attempt", attempt)
      .put("model", model)
      .put("provider", provider)
      .put("key", keyLabel)
      .put("outcome", outcome)
      .put("latency_ms", latencyMillis)
      .put("prompt_tokens", usage.promptTokens())
      .put("completion_tokens", usage.completionTokens())
      .put("cached_tokens", usage.cachedTokens())
      .put("cache_write_tokens", usage.cacheWriteTokens())
      .put("estimated", usage.estimated())
      .put("billable", billable())
      .put("epoch_ms", epochMillis);
  }

  public static AttemptRecord fromJson(JsonObject json) {
    Usage usage = new Usage(json.getLong("prompt_tokens", 0L), json.getLong("completion_tokens", 0L),
      json.getLong("cached_tokens", 0L), json.getLong("cache_write_tokens", 0L), json.getBoolean("estimated", false));
    return new AttemptRecord(json.getString("decision_id"), json.getInteger("attempt", 1), json.getString("model"),
      json.getString("provider"), json.getString("key", ""), json.getString("outcome", "ok"),
      json.getLong("latency_ms", 0L), usage, json.getLong("epoch_ms", 0L));
  }
}
