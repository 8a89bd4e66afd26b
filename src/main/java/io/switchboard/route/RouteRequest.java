package io.switchboard.route;

import io.switchboard.classify.Classification;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * What the router decides on.
 *
 * @param model the request's model field: a model id, an alias or a policy name such as {@code auto:cost}
 * @param maxOutputTokens the output the client asked for ({@code max_tokens}); 0 when it set none
 */
public record RouteRequest(String model, Classification classification, long maxOutputTokens) {

  public RouteRequest {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(classification, "classification");
  }

  public JsonObject toJson() {
    return new JsonObject().put("model", model).put("classification", classification.toJson())
      .put("max_output_tokens", maxOutputTokens);
  }

  public static RouteRequest fromJson(JsonObject json) {
    return new RouteRequest(json.getString("model"), Classification.fromJson(json.getJsonObject("classification")),
      json.getLong("max_output_tokens", 0L));
  }
}
