package io.switchboard.provider;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import io.switchboard.testkit.FakeAnthropic;
import io.switchboard.testkit.FakeGemini;
import io.switchboard.testkit.FakeProvider;
import io.switchboard.testkit.GatewayUnderTest;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Base of the provider-dialect tests: the real gateway in front of a fake Anthropic, a fake Gemini and the fake
 * OpenAI-compatible provider (a fallback target), all on 127.0.0.1; the official OpenAI SDK and a plain HTTP
 * client talk to the gateway.
 */
abstract class DialectRig {

  static final String ANTHROPIC_KEY = "sk-ant-test-0123456789abcdef";
  static final String GEMINI_KEY = "AIza-test-0123456789abcdef";

  protected Vertx vertx;
  protected FakeProvider openai;
  protected FakeAnthropic anthropic;
  protected FakeGemini gemini;
  protected GatewayUnderTest gateway;
  protected TestClient client;
  protected OpenAIClient sdk;

  @BeforeEach
  final void startRig() {
    vertx = Vertx.vertx();
    openai = new FakeProvider(vertx).start();
    anthropic = new FakeAnthropic(vertx).start();
    gemini = new FakeGemini(vertx).start();
    Map<String, String> env = new HashMap<>(TestConfig.ENV);
    env.put("ANTHROPIC_TEST_KEY", ANTHROPIC_KEY);
    env.put("GEMINI_TEST_KEY", GEMINI_KEY);
    gateway = GatewayUnderTest.start(vertx, config(), env);
    client = gateway.client(vertx);
    sdk = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + gateway.port() + "/v1").apiKey("unused")
      .maxRetries(0).timeout(Duration.ofSeconds(10)).build();
  }

  @AfterEach
  final void stopRig() {
    sdk.close();
    client.close();
    anthropic.stop();
    gemini.stop();
    openai.stop();
    vertx.close().await();
  }

  /**
   * Models: {@code claude} (3 / 15 $ per M tokens, cache reads 0.30, cache writes 3.75, max output 8192),
   * {@code claude-failing} (falls back to the OpenAI-compatible {@code fake-cheap}), {@code gemini} (0.30 / 2.50,
   * cached 0.075).
   */
  private JsonObject config() {
    JsonObject config = TestConfig.singleProvider(openai.baseUrl());
    config.getJsonObject("providers")
      .put("anthropic", provider("anthropic", anthropic.baseUrl(), "ANTHROPIC_TEST_KEY"))
      .put("gemini", provider("gemini", gemini.baseUrl(), "GEMINI_TEST_KEY"));
    config.getJsonObject("models")
      .put("claude", model("anthropic", "claude-fake-sonnet", 3.00, 15.00, 0.30, 3.75).put("max_output", 8192))
      .put("claude-failing", model("anthropic", "claude-fake-overloaded", 3.00, 15.00, 0.30, 3.75)
        .put("fallbacks", new JsonArray().add("fake-cheap")))
      .put("gemini", model("gemini", "gemini-fake-flash", 0.30, 2.50, 0.075, 0.30));
    configure(config);
    return config;
  }

  /** Adds to the rig's configuration (providers, models) before the gateway starts. */
  protected void configure(JsonObject config) {
  }

  static JsonObject provider(String type, String baseUrl, String keyEnv) {
    return new JsonObject().put("type", type).put("base_url", baseUrl).put("api_key_env", keyEnv)
      .put("first_byte_timeout_ms", 2_000).put("idle_timeout_ms", 2_000).put("connect_timeout_ms", 1_000);
  }

  static JsonObject model(String provider, String upstream, double input, double output, double cached,
                                  double cacheWrite) {
    return new JsonObject().put("provider", provider).put("upstream", upstream)
      .put("prices", new JsonObject().put("input", input).put("output", output).put("cached_input", cached)
        .put("cache_write", cacheWrite))
      .put("context_window", 200_000);
  }

  static JsonObject chat(String model, String text) {
    return new JsonObject().put("model", model)
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", text)));
  }
}
