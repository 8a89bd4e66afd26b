package io.switchboard.auth;

import io.switchboard.config.AdminConfig;
import io.switchboard.config.ConfigException;
import io.switchboard.config.GatewayConfig;
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
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.Optional;

import static io.switchboard.auth.KeyedGateway.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Virtual keys through a single gateway (in-memory store): the admin API and authentication on {@code /v1/*}. */
@Timeout(30)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class VirtualKeyGatewayTest {

  private Vertx vertx;
  private FakeProvider upstream;
  private KeyedGateway gateway;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    upstream = new FakeProvider(vertx).start();
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    upstream.stop();
    vertx.close().await();
  }

  private KeyedGateway gateway(JsonObject config) {
    gateway = new KeyedGateway(vertx, config);
    return gateway;
  }

  private KeyedGateway gateway() {
    return gateway(TestConfig.singleProvider(upstream.baseUrl()));
  }

  private static void assertRefused(TestClient.Result result, int status, String code) {
    assertThat(result.status()).as("status of %s", result.body()).isEqualTo(status);
    assertThat(result.headers().get("content-type")).startsWith("application/json");
    assertThat(result.error().getString("code")).isEqualTo(code);
  }

  private static void assertUnauthenticated(TestClient.Result result) {
    assertRefused(result, 401, "invalid_api_key");
    assertThat(result.error().getString("type")).isEqualTo("invalid_request_error");
  }

  @Test
  void without_keys_the_gateway_is_open_as_before_whatever_credential_an_sdk_sends() {
    KeyedGateway gw = gateway();

    assertThat(gw.chat("fake-cheap", Map.of()).status()).isEqualTo(200);
    assertThat(gw.chat("fake-cheap", bearer("unused")).status()).isEqualTo(200);
    assertThat(gw.get("/v1/models", Map.of()).status()).isEqualTo(200);
  }

  @Test
  void once_a_key_exists_only_that_key_is_let_in_by_either_header_until_it_is_revoked() {
    KeyedGateway gw = gateway();
    JsonObject created = gw.createKey(new JsonObject().put("name", "ci"));
    String secret = created.getString("key");
    String id = created.getString("id");
    assertThat(secret).matches("sk-sb-[0-9A-Za-z]{43}");
    assertThat(id).matches("vk_[0-9A-Za-z]{12}");

    assertUnauthenticated(gw.chat("fake-cheap", Map.of()));
    assertUnauthenticated(gw.chat("fake-cheap", bearer("unused")));
    assertUnauthenticated(gw.chat("fake-cheap", bearer(KeySecrets.newSecret())));
    assertUnauthenticated(gw.chat("fake-cheap", Map.of("authorization", "Basic " + secret)));
    assertUnauthenticated(gw.get("/v1/models", Map.of()));
    assertThat(gw.chat("fake-cheap", bearer(secret)).status()).isEqualTo(200);
    assertThat(gw.chat("fake-cheap", Map.of("x-api-key", secret)).status()).isEqualTo(200);
    assertThat(gw.post("/v1/route", Chats.chat("auto", "hi"), bearer(secret)).status()).isEqualTo(200);
    assertThat(gw.get("/health", Map.of()).status()).isEqualTo(200);

    TestClient.Result revoked = gw.admin(HttpMethod.DELETE, "/admin/keys/" + id, null);
    assertThat(revoked.status()).isEqualTo(200);
    assertThat(revoked.json().getBoolean("revoked")).isTrue();

    TestClient.Result refused = gw.chat("fake-cheap", bearer(secret));
    assertUnauthenticated(refused);
    assertThat(refused.error().getString("message")).contains("revoked");
    assertUnauthenticated(gw.chat("fake-cheap", Map.of("x-api-key", secret)));
    assertThat(upstream.attempts()).hasSize(2);
  }

  @Test
  void with_require_keys_a_gateway_without_keys_refuses_everyone() {
    JsonObject config = TestConfig.singleProvider(upstream.baseUrl())
      .put("auth", new JsonObject().put("require_keys", true));
    KeyedGateway gw = gateway(config);

    TestClient.Result refused = gw.chat("fake-cheap", Map.of());

    assertUnauthenticated(refused);
    assertThat(refused.error().getString("message")).contains("Authorization: Bearer").contains("x-api-key");
    assertUnauthenticated(gw.chat("fake-cheap", bearer("unused")));
    assertThat(upstream.attempts()).isEmpty();
  }

  @Test
  void a_key_with_an_allow_list_may_use_only_those_models_by_name_or_by_alias() {
    KeyedGateway gw = gateway();
    String cheapOnly = gw.createKey(new JsonObject().put("name", "cheap only")
      .put("models", new JsonArray().add("fake-cheap"))).getString("key");
    String aliasOnly = gw.createKey(new JsonObject().put("name", "alias only")
      .put("models", new JsonArray().add("cheap"))).getString("key");

    assertThat(gw.chat("fake-cheap", bearer(cheapOnly)).status()).isEqualTo(200);
    assertThat(gw.chat("cheap", bearer(cheapOnly)).status()).isEqualTo(200);
    assertRefused(gw.chat("fake-premium", bearer(cheapOnly)), 403, "model_not_allowed");
    assertRefused(gw.chat("auto", bearer(cheapOnly)), 403, "model_not_allowed");
    assertRefused(gw.post("/v1/route", Chats.chat("fake-premium", "hi"), bearer(cheapOnly)), 403, "model_not_allowed");
    assertThat(gw.chat("cheap", bearer(aliasOnly)).status()).isEqualTo(200);
    assertRefused(gw.chat("fake-cheap", bearer(aliasOnly)), 403, "model_not_allowed");
    assertThat(upstream.attempts()).hasSize(3);
  }

  @Test
  void a_request_the_allow_list_cannot_read_gets_the_usual_validation_error() {
    KeyedGateway gw = gateway();
    String secret = gw.createKey(new JsonObject().put("name", "cheap only")
      .put("models", new JsonArray().add("fake-cheap"))).getString("key");

    TestClient.Result noModel = gw.post("/v1/chat/completions", Chats.chat("fake-cheap", "hi").put("model", 7),
      bearer(secret));

    assertRefused(noModel, 400, "invalid_type");
  }

  @Test
  void the_admin_api_needs_the_master_key() {
    KeyedGateway gw = gateway();
    JsonObject spec = new JsonObject().put("name", "x");

    assertUnauthenticated(gw.adminAs(null, HttpMethod.POST, "/admin/keys", spec));
    assertUnauthenticated(gw.adminAs("Bearer wrong-master-key-0123456789", HttpMethod.POST, "/admin/keys", spec));
    assertUnauthenticated(gw.adminAs("Bearer " + KeyedGateway.MASTER_KEY + "x", HttpMethod.GET, "/admin/keys", null));
    assertUnauthenticated(gw.adminAs(null, HttpMethod.GET, "/admin/stats", null));
    assertThat(gw.admin(HttpMethod.GET, "/admin/keys", null).json().getJsonArray("data")).isEmpty();
    assertThat(gw.admin(HttpMethod.GET, "/admin/stats", null).status()).isEqualTo(200);
    // nothing was created: the gateway is still open
    assertThat(gw.chat("fake-cheap", Map.of()).status()).isEqualTo(200);
  }

  @Test
  void keys_are_listed_and_shown_with_their_metadata_but_never_their_secret() {
    KeyedGateway gw = gateway();
    JsonObject created = gw.createKey(new JsonObject().put("name", "search backend").put("user", "alice")
      .put("team", "search").put("models", new JsonArray().add("auto").add("cheap"))
      .put("budget", new JsonObject().put("daily_usd", 5).put("monthly_usd", 100.25))
      .put("limits", new JsonObject().put("requests_per_minute", 60).put("output_tokens_per_minute", 10_000)));
    String secret = created.getString("key");
    String id = created.getString("id");

    JsonObject shown = gw.admin(HttpMethod.GET, "/admin/keys/" + id, null).json();
    assertThat(shown).isEqualTo(new JsonObject().put("id", id).put("name", "search backend").put("user", "alice")
      .put("team", "search").put("models", new JsonArray().add("auto").add("cheap"))
      .put("budget", new JsonObject().put("daily_usd", "5.000000").put("monthly_usd", "100.250000"))
      .put("limits", new JsonObject().put("requests_per_minute", 60).putNull("input_tokens_per_minute")
        .put("output_tokens_per_minute", 10_000))
      .put("created_at", created.getString("created_at")).put("revoked", false));
    created.remove("key");
    assertThat(created).isEqualTo(shown);

    TestClient.Result list = gw.admin(HttpMethod.GET, "/admin/keys", null);
    assertThat(list.json().getJsonArray("data")).containsExactly(shown);
    assertThat(list.body().toString()).doesNotContain(secret).doesNotContain(KeySecrets.hash(secret));
    assertRefused(gw.admin(HttpMethod.GET, "/admin/keys/vk_nosuchkey00", null), 404, "key_not_found");
    assertRefused(gw.admin(HttpMethod.DELETE, "/admin/keys/vk_nosuchkey00", null), 404, "key_not_found");
  }

  @Test
  void a_bad_key_request_is_a_400_naming_the_field() {
    KeyedGateway gw = gateway();

    assertBadField(gw, new JsonObject(), "missing_required_parameter", "name");
    assertBadField(gw, new JsonObject().put("name", ""), "invalid_value", "name");
    assertBadField(gw, new JsonObject().put("name", "x").put("owner", "bob"), "invalid_value", "owner");
    assertBadField(gw, new JsonObject().put("name", "x").put("user", 7), "invalid_type", "user");
    assertBadField(gw, new JsonObject().put("name", "x").put("team", "a:b"), "invalid_value", "team");
    assertBadField(gw, new JsonObject().put("name", "x").put("models", "fake-cheap"), "invalid_type", "models");
    assertBadField(gw, new JsonObject().put("name", "x").put("models", new JsonArray().add("fake-cheap").add("gpt-9")),
      "invalid_value", "models[1]");
    assertBadField(gw, new JsonObject().put("name", "x").put("budget", new JsonObject().put("daily_usd", -1)),
      "invalid_value", "budget.daily_usd");
    assertBadField(gw, new JsonObject().put("name", "x").put("budget", new JsonObject().put("daily_usd", 0.0000001)),
      "invalid_value", "budget.daily_usd");
    assertBadField(gw, new JsonObject().put("name", "x").put("budget", new JsonObject().put("weekly_usd", 1)),
      "invalid_value", "budget.weekly_usd");
    assertBadField(gw, new JsonObject().put("name", "x").put("limits", new JsonObject().put("requests_per_minute", 1.5)),
      "invalid_type", "limits.requests_per_minute");
    assertBadField(gw, new JsonObject().put("name", "x").put("limits", new JsonObject().put("requests_per_minute", 0)),
      "invalid_value", "limits.requests_per_minute");
    TestClient.Result duplicate = gw.admin(HttpMethod.POST, "/admin/keys", null);
    assertRefused(duplicate, 400, "invalid_json");
    assertThat(gw.admin(HttpMethod.GET, "/admin/keys", null).json().getJsonArray("data")).isEmpty();
  }

  private static void assertBadField(KeyedGateway gw, JsonObject spec, String code, String param) {
    TestClient.Result result = gw.admin(HttpMethod.POST, "/admin/keys", spec);
    assertRefused(result, 400, code);
    assertThat(result.error().getString("param")).isEqualTo(param);
  }

  @Test
  void an_admin_api_without_a_master_key_may_only_listen_on_loopback() {
    JsonObject exposed = TestConfig.singleProvider(upstream.baseUrl())
      .put("admin", new JsonObject().put("host", "0.0.0.0").put("port", 0));

    assertThatThrownBy(() -> GatewayConfig.from(exposed, TestConfig.ENV))
      .isInstanceOf(ConfigException.class)
      .hasMessageContaining("admin.host").hasMessageContaining("SWITCHBOARD_MASTER_KEY");
    assertThat(GatewayConfig.from(exposed, KeyedGateway.ENV).admin().host()).isEqualTo("0.0.0.0");
    assertThat(GatewayConfig.from(exposed.put("admin", new JsonObject().put("host", "::1")), TestConfig.ENV)
      .admin().masterKey()).isEmpty();
    assertThat(GatewayConfig.from(exposed, KeyedGateway.ENV).admin().toString()).doesNotContain(KeyedGateway.MASTER_KEY);
  }

  @Test
  void a_short_master_key_or_an_unknown_key_in_the_new_sections_stops_the_start() {
    JsonObject config = TestConfig.singleProvider(upstream.baseUrl());

    assertThatThrownBy(() -> GatewayConfig.from(config, Map.of("SWITCHBOARD_MASTER_KEY", "short")))
      .isInstanceOf(ConfigException.class).hasMessageContaining("admin.master_key_env").hasMessageContaining("16")
      .hasMessageNotContaining("short");
    assertThatThrownBy(() -> GatewayConfig.from(config.copy().put("auth", new JsonObject().put("require_key", true)),
      TestConfig.ENV)).isInstanceOf(ConfigException.class).hasMessageContaining("auth.require_key");
    assertThatThrownBy(() -> GatewayConfig.from(config.copy().put("admin", new JsonObject().put("prot", 1)),
      TestConfig.ENV)).isInstanceOf(ConfigException.class).hasMessageContaining("admin.prot");
    JsonObject defaults = config.copy();
    defaults.remove("admin");
    GatewayConfig parsed = GatewayConfig.from(defaults, TestConfig.ENV);
    assertThat(parsed.admin()).isEqualTo(new AdminConfig("127.0.0.1", 8081, "SWITCHBOARD_MASTER_KEY", Optional.empty()));
    assertThat(parsed.auth().requireKeys()).isFalse();
  }
}
