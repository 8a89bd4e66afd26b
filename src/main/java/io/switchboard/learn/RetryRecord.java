package io.switchboard.learn;

import io.vertx.core.json.JsonObject;

/**
 * The published fact that a caller sent the prompt of a finished decision again within the retry window: the
 * answer of {@code model} was, as far as the gateway can tell, not good enough. Counted once per answer.
 *
 * @param decisionId the request that asked again (the first one is known only by a digest)
 * @param model      the model whose answer was asked again
 * @param taskType   that answer's task type
 */
public record RetryRecord(String decisionId, String model, String taskType, long epochMillis) {

  public JsonObject toJson() {
    return new JsonObject()
      .put("decision_id", decisionId)
      .put("model", model)
      .put("task_type", taskType)
      .put("epoch_ms", epochMillis);
  }

  public static RetryRecord fromJson(JsonObject json) {
    return new RetryRecord(json.getString("decision_id"), json.getString("model"), json.getString("task_type"),
      json.getLong("epoch_ms", 0L));
  }
}
