package io.switchboard.provider.anthropic;

import io.switchboard.config.GatewayConfig;
import io.switchboard.config.ProviderConfig;
import io.switchboard.execute.KeyPool;
import io.switchboard.openai.ChatRequest;
import io.switchboard.testkit.TestConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The headers an Anthropic upstream gets: the key as x-api-key, and the client's version and betas. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AnthropicHeadersTest {

  private static final String KEY = "sk-ant-headers-test-0123456789";

  private final ProviderConfig provider = provider();
  private final KeyPool.Lease lease = new KeyPool(provider, System::currentTimeMillis).acquire("claude");
  private final ChatRequest request = ChatRequest.from(new JsonObject().put("model", "claude").put("messages",
    new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))), 64);

  @Test
  void the_clients_anthropic_version_and_beta_are_forwarded() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("anthropic-version", "2023-01-01");

    AnthropicDialect.INSTANCE.headers(headers, request.withAnthropicHeaders(Map.of("Anthropic-Version", "2024-10-22",
      "anthropic-beta", "prompt-caching-2024-07-31,interleaved-thinking-2025-05-14", "x-other", "not forwarded")),
      lease);

    assertThat(headers.get("x-api-key")).isEqualTo(KEY);
    assertThat(headers.get("anthropic-version")).isEqualTo("2024-10-22");
    assertThat(headers.get("anthropic-beta")).isEqualTo("prompt-caching-2024-07-31,interleaved-thinking-2025-05-14");
    assertThat(headers.contains("x-other")).isFalse();
    assertThat(headers.contains("authorization")).isFalse();
  }

  @Test
  void the_clients_betas_join_the_configured_ones() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("anthropic-beta", "a-1, b-2");

    AnthropicDialect.INSTANCE.headers(headers, request.withAnthropicHeaders(Map.of("anthropic-beta", "b-2,c-3")),
      lease);

    assertThat(headers.getAll("anthropic-beta")).containsExactly("a-1,b-2,c-3");
  }

  @Test
  void without_a_client_version_the_configured_one_or_the_default_is_sent() {
    MultiMap configured = MultiMap.caseInsensitiveMultiMap().add("anthropic-version", "2023-01-01");
    MultiMap bare = MultiMap.caseInsensitiveMultiMap();

    AnthropicDialect.INSTANCE.headers(configured, request, lease);
    AnthropicDialect.INSTANCE.headers(bare, request, lease);

    assertThat(configured.get("anthropic-version")).isEqualTo("2023-01-01");
    assertThat(bare.get("anthropic-version")).isEqualTo("2023-06-01");
    assertThat(bare.contains("anthropic-beta")).isFalse();
  }

  private static ProviderConfig provider() {
    JsonObject config = TestConfig.singleProvider("http://127.0.0.1:9/v1");
    config.getJsonObject("providers").put("anthropic", new JsonObject().put("type", "anthropic")
      .put("base_url", "http://127.0.0.1:9/v1").put("api_key_env", "ANTHROPIC_HEADERS_KEY"));
    return GatewayConfig.from(config, Map.of("ANTHROPIC_HEADERS_KEY", KEY, "FAKE_API_KEY", TestConfig.FAKE_KEY))
      .providers().get("anthropic");
  }
}
