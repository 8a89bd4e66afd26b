package io.switchboard.cost;

import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.TreeMap;

/** Running totals of requests, tokens and money, overall and by model and by task type. Not thread-safe. */
final class CostTotals {

  private final Bucket all = new Bucket();
  private final Map<String, Bucket> byModel = new TreeMap<>();
  private final Map<String, Bucket> byTaskType = new TreeMap<>();

  void add(UsageRecord record) {
    all.add(record);
    byModel.computeIfAbsent(record.model(), k -> new Bucket()).add(record);
    byTaskType.computeIfAbsent(record.taskType(), k -> new Bucket()).add(record);
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

    void add(UsageRecord record) {
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
        .put("savings_percent", Money.savingsPercent(costMicros, baselineMicros));
    }
  }
}
