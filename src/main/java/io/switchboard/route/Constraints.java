package io.switchboard.route;

import io.switchboard.cost.Money;
import io.vertx.core.json.JsonObject;

import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A request's own limits on the model that serves it; every policy leaves out the models that break one.
 *
 * @param maxCostMicros the most the request may cost, by the router's estimate, in micro-dollars
 * @param minQuality the least quality (0-100) for the request's task type
 * @param maxLatencyMillis the longest typical answer time ({@code latency_ms} of the model)
 */
public record Constraints(OptionalLong maxCostMicros, OptionalInt minQuality, OptionalLong maxLatencyMillis) {

  public static final Constraints NONE = new Constraints(OptionalLong.empty(), OptionalInt.empty(), OptionalLong.empty());

  public static final String MAX_COST = "max_cost_usd";
  public static final String MIN_QUALITY = "min_quality";
  public static final String MAX_LATENCY = "max_latency_ms";

  public boolean none() {
    return maxCostMicros.isEmpty() && minQuality.isEmpty() && maxLatencyMillis.isEmpty();
  }

  /** The first constraint the model breaks, described for a reason or an error; null when it breaks none. */
  String broken(long costMicros, int quality, long latencyMillis) {
    if (maxCostMicros.isPresent() && costMicros > maxCostMicros.getAsLong()) {
      return MAX_COST + " " + Money.usd(maxCostMicros.getAsLong()) + " (estimate $" + Money.usd(costMicros) + ")";
    }
    if (minQuality.isPresent() && quality < minQuality.getAsInt()) {
      return MIN_QUALITY + " " + minQuality.getAsInt() + " (quality " + quality + ")";
    }
    if (maxLatencyMillis.isPresent() && latencyMillis > maxLatencyMillis.getAsLong()) {
      return MAX_LATENCY + " " + maxLatencyMillis.getAsLong() + " (latency " + latencyMillis + " ms)";
    }
    return null;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    maxCostMicros.ifPresent(v -> json.put("max_cost_micros", v));
    minQuality.ifPresent(v -> json.put(MIN_QUALITY, v));
    maxLatencyMillis.ifPresent(v -> json.put(MAX_LATENCY, v));
    return json;
  }

  public static Constraints fromJson(JsonObject json) {
    if (json == null || json.isEmpty()) {
      return NONE;
    }
    return new Constraints(
      json.containsKey("max_cost_micros") ? OptionalLong.of(json.getLong("max_cost_micros")) : OptionalLong.empty(),
      json.containsKey(MIN_QUALITY) ? OptionalInt.of(json.getInteger(MIN_QUALITY)) : OptionalInt.empty(),
      json.containsKey(MAX_LATENCY) ? OptionalLong.of(json.getLong(MAX_LATENCY)) : OptionalLong.empty());
  }
}
