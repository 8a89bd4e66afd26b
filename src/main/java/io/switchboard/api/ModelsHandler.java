package io.switchboard.api;

import io.switchboard.config.GatewayConfig;
import io.switchboard.config.ModelConfig;
import io.switchboard.cost.Money;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashSet;
import java.util.Set;

/** {@code GET /v1/models}: the configured models, their aliases, and the virtual {@code auto*} policy models. */
final class ModelsHandler {

  private final Buffer body;

  ModelsHandler(GatewayConfig config) {
    JsonArray data = new JsonArray();
    Set<String> policies = new LinkedHashSet<>();
    policies.add("auto");
    policies.addAll(config.routing().policies().keySet());
    for (String policy : policies) {
      String description = config.routing().policies().containsKey(policy)
        ? config.routing().policies().get(policy).description()
        : "the default policy, " + config.routing().defaultPolicy();
      data.add(entry(policy, "switchboard").put("switchboard", new JsonObject()
        .put("kind", "policy").put("description", description)));
    }
    for (ModelConfig model : config.models().values()) {
      data.add(entry(model.id(), model.provider()).put("switchboard", new JsonObject()
        .put("kind", "model")
        .put("upstream", model.upstream())
        .put("context_window", model.contextWindow())
        .put("max_output", model.maxOutput())
        .put("input_usd_per_million", Money.usd(model.prices().input()))
        .put("output_usd_per_million", Money.usd(model.prices().output()))));
    }
    config.aliases().forEach((alias, target) -> data.add(entry(alias, config.models().get(target).provider())
      .put("switchboard", new JsonObject().put("kind", "alias").put("target", target))));
    body = new JsonObject().put("object", "list").put("data", data).toBuffer();
  }

  private static JsonObject entry(String id, String owner) {
    return new JsonObject().put("id", id).put("object", "model").put("created", 0).put("owned_by", owner);
  }

  void handle(RoutingContext ctx) {
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body);
  }
}
