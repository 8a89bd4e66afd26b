package io.switchboard.budget;

import io.vertx.core.json.JsonObject;

/**
 * The published fact that a budget refused a request or crossed an alert threshold.
 *
 * @param scope     {@code global}, {@code key:...}, {@code user:...}, {@code team:...} or {@code conversation:...}
 * @param period    {@code daily} or {@code monthly}
 * @param event     {@code refused} or {@code alert}
 * @param threshold the alert's threshold as a fraction (0.8 for 80 %); NaN for a refusal
 */
public record BudgetEvent(String scope, String period, String event, long limitMicros, long spentMicros,
                          double threshold, long epochMillis) {

  public static final String REFUSED = "refused";
  public static final String ALERT = "alert";

  public JsonObject toJson() {
    return new JsonObject()
      .put("scope", scope)
      .put("period", period)
      .put("event", event)
      .put("limit_micros", limitMicros)
      .put("spent_micros", spentMicros)
      .put("threshold", Double.isNaN(threshold) ? null : threshold)
      .put("epoch_ms", epochMillis);
  }

  public static BudgetEvent fromJson(JsonObject json) {
    Double threshold = json.getDouble("threshold");
    return new BudgetEvent(json.getString("scope"), json.getString("period"), json.getString("event"),
      json.getLong("limit_micros", 0L), json.getLong("spent_micros", 0L), threshold == null ? Double.NaN : threshold,
      json.getLong("epoch_ms", 0L));
  }
}
