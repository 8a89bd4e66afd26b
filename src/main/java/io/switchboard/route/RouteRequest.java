package io.switchboard.route;

import io.switchboard.classify.Classification;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * What the router decides on.
 *
 * @param model the request's model field: a model id, an alias or a policy name such as {@code auto:cost}
 * @param maxOutputTokens the output the client asked for ({@code max_tokens}); 0 when it set none
 * @param constraints the request's limits on cost, quality and latency
 * @param budgetUtilization spent share of the tightest global budget (0-1, more when over), for economy mode
 */
public record RouteRequest(String model, Classification classification, long maxOutputTokens, Constraints constraints,
                           double budgetUtilization) {

  public RouteRequest {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(classification, "classification");
    Objects.requireNonNull(constraints, "constraints");
  }

  /** A request without constraints, at no budget utilization (offline routing, tests). */
  public RouteRequest(String model, Classification classification, long maxOutputTokens) {
    this(model, classification, maxOutputTokens, Constraints.NONE, 0);
  }

  public JsonObject toJson() {
    return new JsonObject().put("model", model).put("classification", classification.toJson())
      .put("max_output_tokens", maxOutputTokens).put("constraints", constraints.toJson())
      .put("budget_utilization", budgetUtilization);
  }

  public static RouteRequest fromJson(JsonObject json) {
    return new RouteRequest(json.getString("model"), Classification.fromJson(json.getJsonObject("classification")),
      json.getLong("max_output_tokens", 0L), Constraints.fromJson(json.getJsonObject("constraints")),
      json.getDouble("budget_utilization", 0.0));
  }
}
