package io.switchboard.route;

import io.vertx.core.json.JsonObject;

/** One model the router considered, with its score (0-1, higher is better) and estimated cost. */
public record Candidate(String model, double score, long estimatedCostMicros, int quality, boolean fits) {

  public JsonObject toJson() {
    return new JsonObject()
      .put("model", model)
      .put("score", Math.round(score * 1000) / 1000.0)
      .put("quality", quality)
      .put("estimated_cost_micros", estimatedCostMicros)
      .put("fits_context", fits);
  }

  public static Candidate fromJson(JsonObject json) {
    return new Candidate(json.getString("model"), json.getDouble("score", 0.0), json.getLong("estimated_cost_micros", 0L),
      json.getInteger("quality", 0), json.getBoolean("fits_context", true));
  }
}
