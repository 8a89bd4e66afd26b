package io.switchboard.route;

import io.vertx.core.json.JsonObject;

/**
 * The published fact for one escalation: the answer of {@code fromModel} failed the quality check for
 * {@code reason}, so {@code toModel} was asked. Joinable to the decision and its usage by {@code decisionId}.
 *
 * @param reason a closed set: refusal, hedging, empty, too_short, truncated, invalid_json, invalid_tool_call
 */
public record EscalationRecord(String decisionId, String policy, String taskType, String fromModel, String toModel,
                               String reason, long epochMillis) {

  public JsonObject toJson() {
    return new JsonObject()
      .put("decision_id", decisionId)
      .put("policy", policy)
      .put("task_type", taskType)
      .put("from_model", fromModel)
      .put("to_model", toModel)
      .put("reason", reason)
      .put("epoch_ms", epochMillis);
  }

  public static EscalationRecord fromJson(JsonObject json) {
    return new EscalationRecord(json.getString("decision_id"), json.getString("policy", ""),
      json.getString("task_type"), json.getString("from_model"), json.getString("to_model"), json.getString("reason"),
      json.getLong("epoch_ms", 0L));
  }
}
