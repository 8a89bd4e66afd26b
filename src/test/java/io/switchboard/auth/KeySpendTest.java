package io.switchboard.auth;

import io.switchboard.testkit.Chats;
import io.switchboard.testkit.FakeProvider;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a virtual key's holder may spend: the key's own budget and rate limits, the team and user budgets it
 * carries, cached answers kept per key, and the budgets the admin API shows and changes. A request with
 * {@code max_tokens: 5} costs exactly $0.001 here.
 */
class KeySpendTest {

  private Vertx vertx;
  private FakeProvider upstream;
  private KeyedGateway gateway;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    upstream = new FakeProvider(vertx).start();
    JsonObject config = TestConfig.singleProvider(upstream.baseUrl())
      .put("budgets", new JsonObject().put("teams", new JsonObject().put("ml", new JsonObject().put("daily_usd", 0.003))));
    config.getJsonObject("models").getJsonObject("fake-cheap")
      .put("prices", new JsonObject().put("input", 0).put("output", 200));
    gateway = new KeyedGateway(vertx, config);
  }

  @AfterEach
  void stop() {
    gateway.close();
    upstream.stop();
    vertx.close().await();
  }

  private TestClient.Result chat(String secret, JsonObject body) {
    return gateway.post("/v1/chat/completions", body, KeyedGateway.bearer(secret));
  }

  private static JsonObject fiveTokens(String text) {
    return Chats.chat("fake-cheap", text).put("max_tokens", 5);
  }

  @Test
  void a_keys_own_daily_budget_is_enforced_and_shown_by_the_admin_api() {
    JsonObject key = gateway.createKey(new JsonObject().put("name", "ci").put("budget",
      new JsonObject().put("daily_usd", 0.002)));
    String secret = key.getString("key");
    assertThat(chat(secret, fiveTokens("one")).status()).isEqualTo(200);
    assertThat(chat(secret, fiveTokens("two")).status()).isEqualTo(200);
    TestClient.Result refused = chat(secret, fiveTokens("three"));
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.error().getString("code")).isEqualTo("budget_exceeded");
    assertThat(refused.error().getString("message")).contains("key:" + key.getString("id") + " daily");

    String scope = "key:" + key.getString("id");
    JsonObject shown = gateway.admin(HttpMethod.GET, "/admin/budgets?scope=" + scope, null).json();
    JsonObject daily = shown.getJsonArray("budgets").getJsonObject(0);
    assertThat(daily.getString("scope")).isEqualTo(scope);
    assertThat(daily.getString("period")).isEqualTo("daily");
    assertThat(daily.getString("spent_usd")).isEqualTo("0.002000");
    assertThat(daily.getString("limit_usd")).isEqualTo("0.002000");

    // raising the key's budget through the admin API lets it spend again
    TestClient.Result raised = gateway.admin(HttpMethod.PUT, "/admin/budgets",
      new JsonObject().put("scope", scope).put("period", "daily").put("limit_usd", 0.01));
    assertThat(raised.status()).isEqualTo(200);
    assertThat(raised.json().getJsonArray("budgets").getJsonObject(0).getString("limit_source")).isEqualTo("override");
    assertThat(chat(secret, fiveTokens("four")).status()).isEqualTo(200);
  }

  @Test
  void keys_of_one_team_share_its_budget() {
    String first = gateway.createKey(new JsonObject().put("name", "a").put("team", "ml")).getString("key");
    String second = gateway.createKey(new JsonObject().put("name", "b").put("team", "ml")).getString("key");
    assertThat(chat(first, fiveTokens("1")).status()).isEqualTo(200);
    assertThat(chat(second, fiveTokens("2")).status()).isEqualTo(200);
    assertThat(chat(first, fiveTokens("3")).status()).isEqualTo(200);
    TestClient.Result refused = chat(second, fiveTokens("4"));
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.error().getString("message")).contains("team:ml daily");
  }

  @Test
  void a_keys_request_rate_limit_answers_429_with_retry_after() {
    String secret = gateway.createKey(new JsonObject().put("name", "slow")
      .put("limits", new JsonObject().put("requests_per_minute", 1))).getString("key");
    assertThat(chat(secret, fiveTokens("one")).status()).isEqualTo(200);
    TestClient.Result limited = chat(secret, fiveTokens("two"));
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.error().getString("code")).isEqualTo("rate_limit_exceeded");
    assertThat(Long.parseLong(limited.headers().get("retry-after"))).isPositive();
    assertThat(upstream.attempts("fake-cheap")).hasSize(1);
  }

  @Test
  void cached_answers_are_never_served_to_another_key() {
    String first = gateway.createKey(new JsonObject().put("name", "a")).getString("key");
    String second = gateway.createKey(new JsonObject().put("name", "b")).getString("key");
    JsonObject deterministic = fiveTokens("what is 2+2").put("temperature", 0);
    assertThat(chat(first, deterministic).headers().get("x-switchboard-cache")).isEqualTo("miss");
    assertThat(chat(first, deterministic).headers().get("x-switchboard-cache")).isEqualTo("hit");
    assertThat(chat(second, deterministic).headers().get("x-switchboard-cache")).isEqualTo("miss");
    assertThat(upstream.attempts("fake-cheap")).hasSize(2);
  }

  @Test
  void budget_admin_input_is_validated() {
    Map<String, JsonObject> bad = Map.of(
      "scope", new JsonObject().put("scope", "planet:mars").put("period", "daily").put("limit_usd", 1),
      "period", new JsonObject().put("scope", "global").put("period", "weekly").put("limit_usd", 1),
      "limit_usd", new JsonObject().put("scope", "global").put("period", "daily").put("limit_usd", -1));
    bad.forEach((param, body) -> {
      TestClient.Result answer = gateway.admin(HttpMethod.PUT, "/admin/budgets", body);
      assertThat(answer.status()).as(param).isEqualTo(400);
      assertThat(answer.error().getString("param")).isEqualTo(param);
    });
    assertThat(gateway.admin(HttpMethod.PUT, "/admin/budgets", new JsonObject().put("scope", "global")
      .put("period", "daily").put("limit_usd", 1).put("extra", new JsonArray())).status()).isEqualTo(400);
    assertThat(gateway.adminAs(null, HttpMethod.GET, "/admin/budgets", null).status()).isEqualTo(401);
  }
}
