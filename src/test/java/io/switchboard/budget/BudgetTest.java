package io.switchboard.budget;

import io.switchboard.testkit.Behaviour;
import io.switchboard.testkit.Chats;
import io.switchboard.testkit.FakeProvider;
import io.switchboard.testkit.GatewayUnderTest;
import io.switchboard.testkit.Poll;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Budgets through the gateway on the in-memory store. Prices are chosen so that a request with
 * {@code max_tokens: 5} costs exactly what the fake provider's answer (5 completion tokens) costs: $0.001.
 */
class BudgetTest {

  static final long REQUEST_MICROS = 1_000;

  private Vertx vertx;
  private FakeProvider upstream;
  private GatewayUnderTest gateway;
  private TestClient client;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    upstream = new FakeProvider(vertx).start();
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    upstream.stop();
    vertx.close().await();
  }

  /** The test gateway with fake-cheap at $0 input and $200 per million output tokens, and these budgets. */
  static JsonObject config(String upstreamUrl, JsonObject budgets) {
    JsonObject config = TestConfig.singleProvider(upstreamUrl).put("budgets", budgets);
    config.getJsonObject("models").getJsonObject("fake-cheap")
      .put("prices", new JsonObject().put("input", 0).put("output", 200));
    return config;
  }

  private void startGateway(JsonObject budgets) {
    gateway = GatewayUnderTest.start(vertx, config(upstream.baseUrl(), budgets));
    client = gateway.client(vertx);
  }

  static JsonObject chat(int maxTokens) {
    return Chats.chat("fake-cheap", "Hello there").put("max_tokens", maxTokens);
  }

  private TestClient.Result post(JsonObject body, Map<String, String> headers) {
    Map<String, String> all = new HashMap<>(headers);
    all.put("content-type", "application/json");
    return client.send(HttpMethod.POST, "/v1/chat/completions", body.toBuffer(), all);
  }

  @Test
  void requests_are_admitted_while_their_worst_case_fits_then_refused_with_budget_exceeded() {
    startGateway(new JsonObject().put("global", new JsonObject().put("daily_usd", 0.0035)));
    for (int i = 0; i < 3; i++) {
      assertThat(client.post("/v1/chat/completions", chat(5)).status()).isEqualTo(200);
    }
    TestClient.Result refused = client.post("/v1/chat/completions", chat(5));
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.error().getString("code")).isEqualTo("budget_exceeded");
    assertThat(refused.error().getString("message"))
      .contains("global daily limit $0.003500", "spent $0.003000", "resets at ");
    assertThat(Long.parseLong(refused.headers().get("retry-after"))).isBetween(1L, 86_400L);
    assertThat(upstream.attempts("fake-cheap")).hasSize(3);
  }

  @Test
  void without_max_tokens_the_reservation_assumes_the_models_max_output_unless_configured() {
    startGateway(new JsonObject().put("global", new JsonObject().put("daily_usd", 0.01)));
    // 4,096 output tokens at $200 per million: $0.82, far above the $0.01 left
    TestClient.Result refused = client.post("/v1/chat/completions", Chats.chat("fake-cheap", "Hi"));
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.error().getString("message")).contains("needs up to $0.819200");
    client.close();
    vertx.close().await();
    vertx = Vertx.vertx();
    upstream = new FakeProvider(vertx).start();
    startGateway(new JsonObject().put("global", new JsonObject().put("daily_usd", 0.01)).put("default_output_tokens", 5));
    assertThat(client.post("/v1/chat/completions", Chats.chat("fake-cheap", "Hi")).status()).isEqualTo(200);
  }

  @Test
  void a_request_whose_worst_case_passes_the_per_request_ceiling_is_refused_before_any_call() {
    startGateway(new JsonObject().put("max_request_usd", 0.0005));
    TestClient.Result refused = client.post("/v1/chat/completions", chat(5));
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.error().getString("code")).isEqualTo("budget_exceeded");
    assertThat(refused.error().getString("param")).isEqualTo("max_tokens");
    assertThat(client.post("/v1/chat/completions", chat(2)).status()).isEqualTo(200);
    assertThat(upstream.attempts("fake-cheap")).hasSize(1);
  }

  @Test
  void user_and_conversation_budgets_are_separate_per_user_and_per_conversation() {
    startGateway(new JsonObject()
      .put("users", new JsonObject().put("ann", new JsonObject().put("daily_usd", 0.001)))
      .put("conversation", new JsonObject().put("daily_usd", 0.002)));
    assertThat(client.post("/v1/chat/completions", chat(5).put("user", "ann")).status()).isEqualTo(200);
    TestClient.Result ann = client.post("/v1/chat/completions", chat(5).put("user", "ann"));
    assertThat(ann.status()).isEqualTo(429);
    assertThat(ann.error().getString("message")).contains("user:ann daily");
    assertThat(client.post("/v1/chat/completions", chat(5).put("user", "bob")).status()).isEqualTo(200);

    Map<String, String> first = Map.of("x-switchboard-conversation-id", "thread-1");
    assertThat(post(chat(5), first).status()).isEqualTo(200);
    assertThat(post(chat(5), first).status()).isEqualTo(200);
    TestClient.Result third = post(chat(5), first);
    assertThat(third.status()).isEqualTo(429);
    assertThat(third.error().getString("message")).contains("conversation:sha256-").doesNotContain("thread-1");
    assertThat(post(chat(5), Map.of("x-switchboard-conversation-id", "thread-2")).status()).isEqualTo(200);
  }

  @Test
  void streams_and_failed_calls_settle_their_reservations() {
    startGateway(new JsonObject().put("global", new JsonObject().put("daily_usd", 0.002)));
    upstream.on("fake-cheap", Behaviour.error(500, "server_error", "boom"), Behaviour.ok());
    assertThat(client.post("/v1/chat/completions", chat(5)).status()).isEqualTo(502);
    // the failed request cost nothing and released its reservation: two requests still fit
    JsonObject stream = Chats.streaming("fake-cheap", "Hello there").put("max_tokens", 5);
    TestClient.Result streamed = FakeProvider.await(client.stream("/v1/chat/completions", stream, (r, b) -> { }));
    assertThat(streamed.body().toString()).contains("data: [DONE]");
    assertThat(client.post("/v1/chat/completions", chat(5)).status()).isEqualTo(200);
    assertThat(client.post("/v1/chat/completions", chat(5)).status()).isEqualTo(429);
  }

  @Test
  void alerts_fire_once_per_threshold_to_the_log_metric_and_webhook_which_is_retried() {
    List<JsonObject> posts = new CopyOnWriteArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    HttpServer hook = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      if (calls.incrementAndGet() == 1) {
        request.response().setStatusCode(503).end();
        return;
      }
      posts.add(body.toJsonObject());
      request.response().setStatusCode(204).end();
    }));
    int hookPort = hook.listen(0, "127.0.0.1").await().actualPort();
    startGateway(new JsonObject().put("global", new JsonObject().put("daily_usd", 0.004))
      .put("webhook_url", "http://127.0.0.1:" + hookPort + "/alerts"));
    for (int i = 0; i < 4; i++) {
      assertThat(client.post("/v1/chat/completions", chat(5)).status()).isEqualTo(200);
    }
    Poll.until(() -> assertThat(posts).extracting(post -> post.getInteger("threshold_percent"))
      .containsExactlyInAnyOrder(75, 90, 100));
    JsonObject full = posts.stream().filter(p -> p.getInteger("threshold_percent") == 100).findFirst().orElseThrow();
    assertThat(full.getString("scope")).isEqualTo("global");
    assertThat(full.getString("spent_usd")).isEqualTo("0.004000");
    assertThat(full.getString("limit_usd")).isEqualTo("0.004000");
    assertThat(gateway.metric("switchboard.budget.alerts", Map.of("threshold", "90"))).isEqualTo(1.0);
  }
}
