package io.switchboard.route;

import io.switchboard.classify.Classification;
import io.switchboard.classify.Complexity;
import io.switchboard.classify.RequestFeatures;
import io.switchboard.classify.TaskType;
import io.switchboard.testkit.TestConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * A catalog of three models and one policy of each kind, for routing tests.
 *
 * <pre>
 *   model         $/M in/out   quality (default, conversation, security)   latency_ms
 *   fake-cheap    0.10 / 0.40  60, 80, 30                                 2000 (fast)
 *   fake-mid      0.50 / 2.00  80, 80, 60                                 3000
 *   fake-premium  2.00 / 8.00  95, 95, 95  (the baseline)                  8000
 * </pre>
 * Policies: {@code auto} (tree: everything to fake-cheap, security to fake-premium, no_compromise),
 * {@code auto:tree} (tree: fake-premium, below confidence 0.5 fake-mid; security fake-premium no_compromise with a
 * cheaper low-confidence model), {@code auto:scored} (default weights), {@code auto:scored-cost} (cost weight 1),
 * {@code auto:threshold} (fake-premium / fake-cheap at 0.5), {@code auto:cascade} (cheap, mid, premium).
 */
final class PolicyFixture {

  static final String SECURITY_PROMPT = "Find the SQL injection vulnerability and the XSS exploit in this login handler";

  private PolicyFixture() {
  }

  static JsonObject config(String upstreamUrl) {
    JsonObject config = TestConfig.singleProvider(upstreamUrl);
    JsonObject models = config.getJsonObject("models");
    models.remove("fake-tiny");
    models.remove("keyless");
    models.getJsonObject("fake-cheap").put("latency", "fast")
      .put("quality", new JsonObject().put("default", 60).put("conversation", 80).put("security", 30));
    models.put("fake-mid", new JsonObject().put("provider", "fake")
      .put("prices", new JsonObject().put("input", 0.50).put("output", 2.00))
      .put("quality", new JsonObject().put("default", 80).put("conversation", 80).put("security", 60))
      .put("latency_ms", 3000));
    models.getJsonObject("fake-premium").put("latency_ms", 8000)
      .put("quality", new JsonObject().put("default", 95));
    JsonObject policies = new JsonObject()
      .put("auto", new JsonObject()
        .put("default", new JsonObject().put("primary", "fake-cheap"))
        .put("task_types", new JsonObject()
          .put("security", new JsonObject().put("primary", "fake-premium").put("no_compromise", true))))
      .put("auto:tree", new JsonObject().put("type", "tree")
        .put("default", new JsonObject().put("primary", "fake-premium").put("fallback", "fake-mid")
          .put("min_confidence", 0.5))
        .put("task_types", new JsonObject()
          .put("security", new JsonObject().put("primary", "fake-premium").put("fallback", "fake-cheap")
            .put("min_confidence", 0.99).put("no_compromise", true))))
      .put("auto:scored", new JsonObject().put("type", "scoring")
        .put("candidates", new JsonArray().add("fake-cheap").add("fake-mid").add("fake-premium")))
      .put("auto:scored-cost", new JsonObject().put("type", "scoring")
        .put("weights", new JsonObject().put("capability", 0).put("cost", 1).put("quality", 0).put("latency", 0)
          .put("history", 0)))
      .put("auto:threshold", new JsonObject().put("type", "threshold").put("strong", "fake-premium")
        .put("weak", "fake-cheap").put("threshold", 0.5))
      .put("auto:cascade", new JsonObject().put("type", "cascade")
        .put("tiers", new JsonArray().add("fake-cheap").add("fake-mid").add("fake-premium")));
    config.getJsonObject("routing").put("policies", policies);
    return config;
  }

  static Classification classified(TaskType task, Complexity complexity, double pCheapOk, double confidence,
                                   long promptTokens) {
    return new Classification(task, complexity, false, false, pCheapOk, confidence, Map.of(), Map.of(),
      new RequestFeatures(promptTokens, 1, false, 0, 0, false), "heuristic");
  }
}
