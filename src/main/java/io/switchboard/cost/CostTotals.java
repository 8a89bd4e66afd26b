package io.switchboard.cost;

import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.TreeMap;

/**
 * Running totals of requests, tokens and money, overall and by model and by task type, with what providers' prompt
 * caches read and saved. Not thread-safe.
 */
final class CostTotals {

  private final Bucket all = new Bucket();
  private final Map<String, Bucket> byModel = new TreeMap<>();
  private final Map<String, Bucket> byTaskType = new TreeMap<>();

  /** @param cacheSavingsMicros what the record's cached prompt tokens saved (see {@link CacheSavings}) */
  void add(UsageRecord record, long cacheSavingsMicros) {
    all.add(record, cacheSavingsMicros);
    byModel.computeIfAbsent(record.model(), k -> new Bucket()).add(record, cacheSavingsMicros);
    byTaskType.computeIfAbsent(record.taskType(), k -> new Bucket()).add(record, cacheSavingsMicros);
  }

  JsonObject toJson() {
    JsonObject models = new JsonObject();
    byModel.forEach((model, bucket) -> models.put(model, bucket.toJson()));
    JsonObject tasks = new JsonObject();
    byTaskType.forEach((task, bucket) -> tasks.put(task, bucket.toJson()));
    return all.toJson().put("by_model", models).put("by_task_type", tasks);
  }

  private static final class Bucket {
    long requests;
    long failed;
    long estimated;
    long promptTokens;
    long completionTokens;
    long costMicros;
    long baselineMicros;
    long cachedTokens;
    long cacheSavingsMicros;

    void add(UsageRecord record, long cacheSavings) {
      requests++;
      if (record.outcome() != Outcome.OK) {
        failed++;
      }
      if (record.usage().estimated()) {
        estimated++;
      }
      promptTokens += record.usage().promptTokens();
      completionTokens += record.usage().completionTokens();
      costMicros += record.costMicros();
      baselineMicros += record.baselineCostMicros();
      cachedTokens += Math.min(record.usage().cachedTokens(), record.usage().promptTokens());
      cacheSavingsMicros += cacheSavings;
    }

    JsonObject toJson() {
      return new JsonObject()
        .put("requests", requests)
        .put("failed", failed)
        .put("estimated_usage", estimated)
        .put("prompt_tokens", promptTokens)
        .put("completion_tokens", completionTokens)
        .put("cost_micros", costMicros)
        .put("baseline_cost_micros", baselineMicros)
        .put("savings_micros", baselineMicros - costMicros)
        .put("cost_usd", Money.usd(costMicros))
        .put("baseline_cost_usd", Money.usd(baselineMicros))
        .put("savings_usd", Money.usd(baselineMicros - costMicros))
        .put("savings_percent", Money.savingsPercent(costMicros, baselineMicros))
        .put("cache_read_tokens", cachedTokens)
        .put("cache_hit_ratio", promptTokens == 0 ? 0.0 : Math.round(10_000.0 * cachedTokens / promptTokens) / 10_000.0)
        .put("cache_savings_micros", cacheSavingsMicros)
        .put("cache_savings_usd", Money.usd(cacheSavingsMicros));
    }
  }
}
