package io.switchboard.cost;

import io.vertx.core.json.JsonObject;

/**
 * The published fact for one finished request: what ran, what it consumed and cost, and what the baseline
 * model would have cost for the same tokens. Money in micro-dollars, times in the units their names say.
 *
 * @param policy the routing policy, or empty when the client named a model
 * @param overheadMicros time spent in the gateway itself, upstream time excluded
 */
public record UsageRecord(String decisionId, String policy, String model, String provider, String taskType,
                          String complexity, Usage usage, long costMicros, long baselineCostMicros, Outcome outcome,
                          boolean streaming, long latencyMillis, long ttfbMillis, long overheadMicros, long epochMillis) {

  public long savingsMicros() {
    return baselineCostMicros - costMicros;
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("decision_id", decisionId)
      .put("policy", policy)
      .put("model", model)
      .put("provider", provider)
      .put("task_type", taskType)
      .put("complexity", complexity)
      .put("prompt_tokens", usage.promptTokens())
      .put("completion_tokens", usage.completionTokens())
      .put("cached_tokens", usage.cachedTokens())
      .put("cache_write_tokens", usage.cacheWriteTokens())
      .put("estimated", usage.estimated())
      .put("cost_micros", costMicros)
      .put("baseline_cost_micros", baselineCostMicros)
      .put("outcome", outcome.wireName())
      .put("streaming", streaming)
      .put("latency_ms", latencyMillis)
      .put("ttfb_ms", ttfbMillis)
      .put("overhead_us", overheadMicros)
      .put("epoch_ms", epochMillis);
  }

  public static UsageRecord fromJson(JsonObject json) {
    Usage usage = new Usage(json.getLong("prompt_tokens", 0L), json.getLong("completion_tokens", 0L),
      json.getLong("cached_tokens", 0L), json.getLong("cache_write_tokens", 0L), json.getBoolean("estimated", false));
    return new UsageRecord(json.getString("decision_id"), json.getString("policy", ""), json.getString("model"),
      json.getString("provider"), json.getString("task_type"), json.getString("complexity"), usage,
      json.getLong("cost_micros", 0L), json.getLong("baseline_cost_micros", 0L),
      Outcome.fromWireName(json.getString("outcome", "ok")), json.getBoolean("streaming", false),
      json.getLong("latency_ms", 0L), json.getLong("ttfb_ms", 0L), json.getLong("overhead_us", 0L),
      json.getLong("epoch_ms", 0L));
  }
}
