package io.switchboard.route;

import io.switchboard.classify.Classification;
import io.switchboard.classify.Scenario;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * What the router decides on.
 *
 * @param model the request's model field: a model id, an alias or a policy name such as {@code auto:cost}
 * @param maxOutputTokens the output the client asked for ({@code max_tokens}); 0 when it set none
 * @param constraints the request's limits on cost, quality and latency
 * @param budgetUtilization spent share of the tightest global budget (0-1, more when over), for economy mode
 * @param scenario the request's scenario (background, main, thinking, ...), for a policy's scenario rules
 * @param pin the model the request's session is pinned to, or null (no session, or none known)
 */
public record RouteRequest(String model, Classification classification, long maxOutputTokens, Constraints constraints,
                           double budgetUtilization, Scenario scenario, CachePin pin) {

  public RouteRequest {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(classification, "classification");
    Objects.requireNonNull(constraints, "constraints");
    Objects.requireNonNull(scenario, "scenario");
  }

  /** A request of the default scenario, without a session pin. */
  public RouteRequest(String model, Classification classification, long maxOutputTokens, Constraints constraints,
                      double budgetUtilization) {
    this(model, classification, maxOutputTokens, constraints, budgetUtilization, Scenario.DEFAULT, null);
  }

  /** A request without constraints, at no budget utilization (offline routing, tests). */
  public RouteRequest(String model, Classification classification, long maxOutputTokens) {
    this(model, classification, maxOutputTokens, Constraints.NONE, 0);
  }

  public JsonObject toJson() {
    return new JsonObject().put("model", model).put("classification", classification.toJson())
      .put("max_output_tokens", maxOutputTokens).put("constraints", constraints.toJson())
      .put("budget_utilization", budgetUtilization).put("scenario", scenario.wireName())
      .put("pin", pin == null ? null : pin.toJson());
  }

  public static RouteRequest fromJson(JsonObject json) {
    return new RouteRequest(json.getString("model"), Classification.fromJson(json.getJsonObject("classification")),
      json.getLong("max_output_tokens", 0L), Constraints.fromJson(json.getJsonObject("constraints")),
      json.getDouble("budget_utilization", 0.0),
      Scenario.fromWireName(json.getString("scenario", "")).orElse(Scenario.DEFAULT),
      CachePin.fromJson(json.getJsonObject("pin")));
  }
}
