package io.switchboard.session;

import io.switchboard.testkit.Behaviour;
import io.switchboard.testkit.Chats;
import io.switchboard.testkit.FakeProvider;
import io.switchboard.testkit.GatewayUnderTest;
import io.switchboard.testkit.Poll;
import io.switchboard.testkit.TestClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Stats and metrics count the prompt tokens providers read from their caches and what that saved. */
@Timeout(30)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PromptCacheStatsTest {

  private Vertx vertx;
  private FakeProvider upstream;
  private GatewayUnderTest gateway;
  private TestClient client;
  private TestClient admin;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    upstream = new FakeProvider(vertx).start();
    gateway = GatewayUnderTest.start(vertx, ClaudeCodeRig.config(upstream.baseUrl()));
    client = gateway.client(vertx);
    admin = gateway.adminClient(vertx);
  }

  @AfterEach
  void stop() {
    client.close();
    admin.close();
    upstream.stop();
    vertx.close().await();
  }

  /** An answer whose usage says {@code cached} of its {@code prompt} tokens came from the provider's cache. */
  private static Behaviour cachedAnswer(int prompt, int cached) {
    JsonObject completion = new JsonObject().put("id", "chatcmpl-cached").put("object", "chat.completion")
      .put("created", 1).put("model", "fake-a")
      .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("finish_reason", "stop")
        .put("message", new JsonObject().put("role", "assistant").put("content", "ok"))))
      .put("usage", new JsonObject().put("prompt_tokens", prompt).put("completion_tokens", 10)
        .put("total_tokens", prompt + 10).put("prompt_tokens_details", new JsonObject().put("cached_tokens", cached)));
    return Behaviour.ok().withRawBody(completion.encode());
  }

  @Test
  void the_hit_ratio_and_the_saving_are_in_the_stats_and_the_metrics() {
    upstream.on("fake-a", cachedAnswer(1_000, 800), cachedAnswer(1_000, 0));
    assertThat(client.post("/v1/chat/completions", Chats.chat("fake-a", "hello")).status()).isEqualTo(200);
    assertThat(client.post("/v1/chat/completions", Chats.chat("fake-a", "hello again")).status()).isEqualTo(200);

    Poll.until(() -> assertThat(admin.get("/admin/stats").json().getJsonObject("since_start").getLong("requests"))
      .isEqualTo(2));
    JsonObject totals = admin.get("/admin/stats").json().getJsonObject("since_start");
    // 800 cached of 2000 prompt tokens; each read at 0.10 instead of 1.00 $/M: 800 x 0.90 = 720 micro-dollars
    assertThat(totals.getLong("cache_read_tokens")).isEqualTo(800);
    assertThat(totals.getDouble("cache_hit_ratio")).isEqualTo(0.4);
    assertThat(totals.getLong("cache_savings_micros")).isEqualTo(720);
    assertThat(totals.getString("cache_savings_usd")).isEqualTo("0.000720");
    JsonObject model = totals.getJsonObject("by_model").getJsonObject("fake-a");
    assertThat(model.getLong("cache_read_tokens")).isEqualTo(800);
    assertThat(model.getDouble("cache_hit_ratio")).isEqualTo(0.4);
    // the cost itself priced the cached tokens at their rate: 200 x 1.00 + 800 x 0.10 + 10 x 1.00, then 1010
    assertThat(totals.getLong("cost_micros")).isEqualTo(290 + 1_010);

    Poll.until(() -> assertThat(gateway.metric("switchboard.tokens", Map.of("model", "fake-a", "direction", "cached")))
      .isEqualTo(800.0));
    assertThat(gateway.metric("switchboard.prompt.cache.savings.usd", Map.of("model", "fake-a")))
      .isCloseTo(0.00072, org.assertj.core.data.Offset.offset(1e-9));
  }
}
