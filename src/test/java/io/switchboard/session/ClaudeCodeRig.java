package io.switchboard.session;

import io.switchboard.testkit.TestConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A gateway configuration with a {@code claude-code} tree policy routing each scenario to its own fake model, and
 * models priced for session-pinning arithmetic.
 */
final class ClaudeCodeRig {

  /** Prompts above this many tokens are long_context in this configuration. */
  static final long LONG_CONTEXT_TOKENS = 2_000;

  private ClaudeCodeRig() {
  }

  static JsonObject config(String fakeBaseUrl) {
    JsonObject config = TestConfig.singleProvider(fakeBaseUrl);
    config.getJsonObject("models")
      .put("fake-fast", model(0.05, 0.20, 0.05, 128_000))
      .put("fake-mid", model(0.50, 2.00, 0.05, 128_000))
      .put("fake-reasoner", model(1.10, 4.40, 0.275, 200_000))
      .put("fake-long", model(0.40, 1.60, 0.10, 1_000_000))
      // for pinning: a model with cheap cache reads, a cheaper one, and a far cheaper one
      .put("fake-a", model(1.00, 1.00, 0.10, 128_000))
      .put("fake-b", model(0.50, 1.00, 0.50, 128_000))
      .put("fake-c", model(0.01, 0.01, 0.01, 128_000));
    config.put("scenarios", new JsonObject().put("long_context_tokens", LONG_CONTEXT_TOKENS));
    config.put("sessions", new JsonObject().put("min_cacheable_tokens", 100));
    JsonObject policies = config.getJsonObject("routing").getJsonObject("policies");
    policies.put("claude-code", new JsonObject()
      .put("default", rule("fake-cheap"))
      .put("scenarios", new JsonObject()
        .put("background", rule("fake-fast"))
        .put("long_context", rule("fake-long"))
        .put("thinking", rule("fake-reasoner"))
        .put("main", rule("fake-premium"))
        .put("subagent", rule("fake-mid"))));
    // conversation stays on fake-a; debugging goes to fake-b (a little cheaper) or, in "pinned-far", to fake-c
    policies.put("pinned", new JsonObject().put("default", rule("fake-a"))
      .put("task_types", new JsonObject().put("debugging", rule("fake-b"))));
    policies.put("pinned-far", new JsonObject().put("default", rule("fake-a"))
      .put("task_types", new JsonObject().put("debugging", rule("fake-c"))));
    return config;
  }

  private static JsonObject rule(String primary) {
    return new JsonObject().put("primary", primary).put("min_confidence", 0);
  }

  private static JsonObject model(double input, double output, double cachedInput, long contextWindow) {
    return new JsonObject().put("provider", "fake")
      .put("prices", new JsonObject().put("input", input).put("output", output).put("cached_input", cachedInput))
      .put("context_window", contextWindow)
      .put("fallbacks", new JsonArray());
  }
}
