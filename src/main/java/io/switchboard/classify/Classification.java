package io.switchboard.classify;

import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a classifier concluded about a request.
 *
 * @param pCheapOk probability that a cheaper model's answer is as good as the premium model's
 * @param confidence probability of the chosen task type
 * @param tier which classifier answered: {@code encoder} (tier 2), {@code static} (the tier-1 model),
 *             {@code heuristic}, or {@code unavailable} when none did in time
 */
public record Classification(TaskType taskType, Complexity complexity, boolean involvesCode, boolean needsReasoning,
                             double pCheapOk, double confidence, Map<String, Double> taskProbabilities,
                             Map<String, Double> complexityProbabilities, RequestFeatures features, String tier) {

  public Classification {
    taskProbabilities = Map.copyOf(taskProbabilities);
    complexityProbabilities = Map.copyOf(complexityProbabilities);
  }

  /** Used when no classifier answered: routes by the policy's default rule with zero confidence. */
  public static Classification unavailable(RequestFeatures features) {
    return new Classification(TaskType.CONVERSATION, Complexity.MEDIUM, false, false, 0.5, 0.0, Map.of(), Map.of(),
      features, "unavailable");
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("task_type", taskType.wireName())
      .put("complexity", complexity.wireName())
      .put("involves_code", involvesCode)
      .put("needs_reasoning", needsReasoning)
      .put("p_cheap_ok", round(pCheapOk))
      .put("confidence", round(confidence))
      .put("task_type_probabilities", probabilities(taskProbabilities))
      .put("complexity_probabilities", probabilities(complexityProbabilities))
      .put("features", features.toJson())
      .put("tier", tier);
  }

  public static Classification fromJson(JsonObject json) {
    return new Classification(
      TaskType.fromWireName(json.getString("task_type")).orElse(TaskType.CONVERSATION),
      Complexity.fromWireName(json.getString("complexity", "medium")),
      json.getBoolean("involves_code", false),
      json.getBoolean("needs_reasoning", false),
      json.getDouble("p_cheap_ok", 0.5),
      json.getDouble("confidence", 0.0),
      doubles(json.getJsonObject("task_type_probabilities")),
      doubles(json.getJsonObject("complexity_probabilities")),
      RequestFeatures.fromJson(json.getJsonObject("features", new JsonObject())),
      json.getString("tier", "unavailable"));
  }

  private static JsonObject probabilities(Map<String, Double> values) {
    JsonObject json = new JsonObject();
    values.entrySet().stream()
      .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
      .forEach(e -> json.put(e.getKey(), round(e.getValue())));
    return json;
  }

  private static Map<String, Double> doubles(JsonObject json) {
    Map<String, Double> result = new LinkedHashMap<>();
    if (json != null) {
      json.forEach(e -> result.put(e.getKey(), ((Number) e.getValue()).doubleValue()));
    }
    return result;
  }

  private static double round(double value) {
    return Math.round(value * 10_000) / 10_000.0;
  }
}
