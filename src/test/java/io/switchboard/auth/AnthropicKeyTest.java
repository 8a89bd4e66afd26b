package io.switchboard.auth;

import io.switchboard.testkit.FakeProvider;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestConfig;
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

/** Virtual keys on the Anthropic front door: {@code x-api-key} as Anthropic clients send it, refusals in its shape. */
@Timeout(30)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AnthropicKeyTest {

  private Vertx vertx;
  private FakeProvider upstream;
  private KeyedGateway gateway;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    upstream = new FakeProvider(vertx).start();
    gateway = new KeyedGateway(vertx, TestConfig.singleProvider(upstream.baseUrl()));
  }

  @AfterEach
  void stop() {
    gateway.close();
    upstream.stop();
    vertx.close().await();
  }

  private static JsonObject hello(String model) {
    return new JsonObject().put("model", model).put("max_tokens", 50)
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
  }

  @Test
  void a_virtual_key_in_x_api_key_is_accepted_and_refusals_are_anthropic_shaped() {
    String secret = gateway.createKey(new JsonObject().put("name", "claude code").put("models",
      new JsonArray().add("fake-cheap"))).getString("key");

    TestClient.Result served = gateway.post("/v1/messages", hello("fake-cheap"), Map.of("x-api-key", secret,
      "anthropic-version", "2023-06-01"));
    assertThat(served.status()).isEqualTo(200);
    assertThat(served.json().getString("type")).isEqualTo("message");

    TestClient.Result missing = gateway.post("/v1/messages", hello("fake-cheap"), Map.of());
    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.json()).isEqualTo(new JsonObject().put("type", "error").put("error", new JsonObject()
      .put("type", "authentication_error").put("message", missing.json().getJsonObject("error").getString("message"))));

    TestClient.Result forbidden = gateway.post("/v1/messages", hello("fake-premium"), Map.of("x-api-key", secret));
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.json().getJsonObject("error").getString("type")).isEqualTo("permission_error");

    JsonObject count = hello("fake-cheap");
    count.remove("max_tokens");
    TestClient.Result counted = gateway.post("/v1/messages/count_tokens", count,
      Map.of("authorization", "Bearer " + secret));
    assertThat(counted.status()).as(counted.body().toString()).isEqualTo(200);
    assertThat(upstream.attempts()).hasSize(1);
  }
}
