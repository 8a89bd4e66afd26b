package io.switchboard.testkit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/** Gateway configurations for tests: everything on 127.0.0.1, one HTTP instance, a fake upstream. */
public final class TestConfig {

  /** The key the fake provider's entry reads from the (test) environment. */
  public static final String FAKE_KEY = "sk-test-fake-key-0123456789";
  public static final Map<String, String> ENV = Map.of("FAKE_API_KEY", FAKE_KEY);
  public static final long MAX_BODY_BYTES = 64 * 1024;

  private TestConfig() {
  }

  /**
   * Models: {@code fake-cheap} (0.10/0.40 $ per M tokens), {@code fake-premium} (2/8, the baseline),
   * {@code fake-tiny} (context window 100), {@code keyless} (its provider's key variable is unset).
   * Policy {@code auto}: everything to fake-cheap, security to fake-premium.
   */
  public static JsonObject singleProvider(String fakeBaseUrl) {
    return new JsonObject()
      .put("server", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("instances", 1)
        .put("access_log", false).put("max_body_bytes", MAX_BODY_BYTES))
      .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", 0))
      // every gateway its own ledger file, so no two tests (or runs) share one
      .put("analytics", new JsonObject().put("data_dir", TempDirs.fresh("ledger").toString()))
      .put("providers", new JsonObject()
        .put("fake", new JsonObject().put("base_url", fakeBaseUrl).put("api_key_env", "FAKE_API_KEY")
          .put("first_byte_timeout_ms", 2_000).put("idle_timeout_ms", 2_000).put("connect_timeout_ms", 1_000))
        .put("unkeyed", new JsonObject().put("base_url", fakeBaseUrl).put("api_key_env", "SWITCHBOARD_TEST_UNSET_KEY")))
      .put("models", new JsonObject()
        .put("fake-cheap", model("fake", 0.10, 0.40, 128_000))
        .put("fake-premium", model("fake", 2.00, 8.00, 128_000))
        .put("fake-tiny", model("fake", 0.10, 0.40, 100).put("max_output", 50))
        .put("keyless", model("unkeyed", 0.10, 0.40, 128_000)))
      .put("aliases", new JsonObject().put("cheap", "fake-cheap"))
      // one try per model: tests of retries, fallbacks and breakers configure their own
      .put("resilience", new JsonObject().put("max_attempts", 1).put("breaker", new JsonObject().put("failures", 1_000)))
      .put("routing", new JsonObject()
        .put("baseline_model", "fake-premium")
        .put("default_policy", "auto")
        .put("policies", new JsonObject()
          .put("auto", new JsonObject()
            .put("default", new JsonObject().put("primary", "fake-cheap"))
            .put("task_types", new JsonObject()
              .put("security", new JsonObject().put("primary", "fake-premium").put("min_confidence", 0))))));
  }

  private static JsonObject model(String provider, double input, double output, long contextWindow) {
    return new JsonObject().put("provider", provider)
      .put("prices", new JsonObject().put("input", input).put("output", output))
      .put("context_window", contextWindow)
      .put("fallbacks", new JsonArray());
  }
}
