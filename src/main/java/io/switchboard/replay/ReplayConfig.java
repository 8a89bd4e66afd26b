package io.switchboard.replay;

import io.switchboard.config.ConfigException;
import io.switchboard.config.GatewayConfig;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/**
 * The gateway configuration a replay routes with, built in memory: from a prices file for the outcome data sets,
 * or from the gateway's own configuration with some prices replaced. Generated policies are added to a copy.
 */
final class ReplayConfig {

  /** Name of the one policy a configuration built from a prices file needs: everything to the strong model. */
  static final String ALL_STRONG = "replay:all-strong";
  private static final String PROVIDER = "replay";

  private final JsonObject json;
  private final GatewayConfig config;

  private ReplayConfig(JsonObject json) {
    this.json = json;
    try {
      this.config = GatewayConfig.from(json.copy(), Map.of());
    } catch (ConfigException e) {
      throw new ReplayException("configuration: " + e.getMessage());
    }
  }

  /** Models {@code models} at the prices of {@code prices}, baseline {@code strong}; no upstream is ever called. */
  static ReplayConfig fromPrices(PriceList prices, List<String> models, String strong) {
    JsonObject catalog = new JsonObject();
    for (String model : models) {
      PriceList.ModelPrice price = prices.price(model);
      catalog.put(model, new JsonObject().put("provider", PROVIDER)
        .put("prices", new JsonObject().put("input", price.input()).put("output", price.output())));
    }
    return new ReplayConfig(new JsonObject()
      .put("providers", new JsonObject().put(PROVIDER, new JsonObject().put("base_url", "http://127.0.0.1:9/v1")))
      .put("models", catalog)
      .put("routing", new JsonObject().put("baseline_model", strong)
        .put("policies", new JsonObject().put(ALL_STRONG, new JsonObject()
          .put("description", "every prompt to the strong model")
          .put("default", new JsonObject().put("primary", strong))))));
  }

  /** The gateway's configuration, with the prices of the models {@code prices} lists replaced (may be null). */
  static ReplayConfig fromGateway(JsonObject gateway, PriceList prices) {
    JsonObject json = gateway.copy();
    if (prices != null) {
      JsonObject models = json.getJsonObject("models", new JsonObject());
      prices.models().forEach((id, price) -> {
        JsonObject model = models.getJsonObject(id);
        if (model == null) {
          throw new ReplayException(prices.origin() + ": '" + id + "' is not a model of the configuration");
        }
        model.put("prices", new JsonObject().put("input", price.input()).put("output", price.output()));
      });
    }
    return new ReplayConfig(json);
  }

  /** A copy with {@code policy} added under {@code name} (replacing one of that name). */
  ReplayConfig withPolicy(String name, JsonObject policy) {
    JsonObject copy = json.copy();
    JsonObject routing = copy.getJsonObject("routing");
    JsonObject policies = routing.getJsonObject("policies");
    policies.put(name, policy);
    return new ReplayConfig(copy);
  }

  GatewayConfig config() {
    return config;
  }
}
