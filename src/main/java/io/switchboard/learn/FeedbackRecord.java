package io.switchboard.learn;

import io.vertx.core.json.JsonObject;

/**
 * The published fact that feedback on a finished decision was accepted: the score its caller gave the answer of
 * {@code model}, 0 (bad) to 1 (good). A later score on the same decision replaces this one.
 */
public record FeedbackRecord(String decisionId, String model, String taskType, double score, boolean replaced,
                             long epochMillis) {

  public JsonObject toJson() {
    return new JsonObject()
      .put("decision_id", decisionId)
      .put("model", model)
      .put("task_type", taskType)
      .put("score", score)
      .put("replaced", replaced)
      .put("epoch_ms", epochMillis);
  }

  public static FeedbackRecord fromJson(JsonObject json) {
    return new FeedbackRecord(json.getString("decision_id"), json.getString("model"), json.getString("task_type"),
      json.getDouble("score", 0.0), json.getBoolean("replaced", false), json.getLong("epoch_ms", 0L));
  }
}
