package io.switchboard.route;

import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One model the router considered, with its score (0-1, higher is better) and estimated cost.
 *
 * @param fits the model can hold the prompt plus the requested output
 * @param excludedBy the request constraint the model breaks, described; empty when it breaks none
 * @param factors a scoring policy's factors (capability, cost, quality, latency, history; each 0-1), else empty
 */
public record Candidate(String model, double score, long estimatedCostMicros, int quality, boolean fits,
                        String excludedBy, Map<String, Double> factors) {

  public Candidate {
    factors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(factors));
  }

  /** Fits the request and breaks none of its constraints. */
  public boolean allowed() {
    return fits && excludedBy.isEmpty();
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
      .put("model", model)
      .put("score", round(score))
      .put("quality", quality)
      .put("estimated_cost_micros", estimatedCostMicros)
      .put("fits_context", fits);
    if (!excludedBy.isEmpty()) {
      json.put("excluded_by", excludedBy);
    }
    if (!factors.isEmpty()) {
      JsonObject f = new JsonObject();
      factors.forEach((name, value) -> f.put(name, round(value)));
      json.put("factors", f);
    }
    return json;
  }

  public static Candidate fromJson(JsonObject json) {
    Map<String, Double> factors = new LinkedHashMap<>();
    json.getJsonObject("factors", new JsonObject()).forEach(e -> factors.put(e.getKey(),
      ((Number) e.getValue()).doubleValue()));
    return new Candidate(json.getString("model"), json.getDouble("score", 0.0), json.getLong("estimated_cost_micros", 0L),
      json.getInteger("quality", 0), json.getBoolean("fits_context", true), json.getString("excluded_by", ""), factors);
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
