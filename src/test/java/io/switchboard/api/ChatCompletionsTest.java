package io.switchboard.api;

import io.switchboard.testkit.GatewayTest;
import io.switchboard.testkit.Chats;
import io.switchboard.testkit.FakeProvider;
import io.switchboard.testkit.GatewayUnderTest;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ChatCompletionsTest extends GatewayTest {

  @Test
  void a_pinned_model_is_called_with_its_upstream_name_and_the_provider_key() {
    TestClient.Result result = client.post("/v1/chat/completions", Chats.chat("fake-cheap", "hello there"));

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.json().getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content"))
      .isEqualTo(FakeProvider.ANSWER);
    assertThat(result.headers().get("x-switchboard-model")).isEqualTo("fake-cheap");
    assertThat(result.headers().get("x-switchboard-decision-id")).isNotBlank();
    assertThat(result.headers().get("x-switchboard-task-type")).isEqualTo("conversation");
    assertThat(upstream.attempts()).hasSize(1);
    assertThat(upstream.lastAttempt().headers().get("authorization")).isEqualTo("Bearer " + TestConfig.FAKE_KEY);
  }

  @Test
  void cost_baseline_and_savings_come_back_in_headers() {
    TestClient.Result result = client.post("/v1/chat/completions", Chats.chat("fake-cheap", "hello"));

    // fake usage: 12 prompt + 5 completion tokens. fake-cheap 0.10/0.40 $/M: 1.2 + 2.0 = 3.2 → 3 µ$;
    // baseline fake-premium 2/8 $/M: 24 + 40 = 64 µ$
    assertThat(result.headers().get("x-switchboard-cost-usd")).isEqualTo("0.000003");
    assertThat(result.headers().get("x-switchboard-baseline-cost-usd")).isEqualTo("0.000064");
    assertThat(result.headers().get("x-switchboard-savings-usd")).isEqualTo("0.000061");
    assertThat(result.headers().get("x-switchboard-usage-estimated")).isEqualTo("false");
  }

  @Test
  void unknown_fields_reach_the_upstream_untouched() {
    JsonObject body = Chats.chat("fake-cheap", "hello")
      .put("tools", new JsonArray().add(new JsonObject().put("type", "function")
        .put("function", new JsonObject().put("name", "lookup").put("parameters", new JsonObject()))))
      .put("tool_choice", "auto")
      .put("response_format", new JsonObject().put("type", "json_object"))
      .put("max_completion_tokens", 100)
      .put("seed", 7)
      .put("some_future_field", new JsonObject().put("nested", true));

    assertThat(client.post("/v1/chat/completions", body).status()).isEqualTo(200);

    JsonObject sent = upstream.lastAttempt().body();
    assertThat(sent.getString("model")).isEqualTo("fake-cheap");
    for (String field : new String[] {"tools", "tool_choice", "response_format", "max_completion_tokens", "seed",
      "some_future_field", "messages"}) {
      assertThat(sent.getValue(field)).as(field).isEqualTo(body.getValue(field));
    }
  }

  @Test
  void an_alias_is_resolved_to_its_model() {
    TestClient.Result result = client.post("/v1/chat/completions", Chats.chat("cheap", "hello"));

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.headers().get("x-switchboard-model")).isEqualTo("fake-cheap");
  }

  @Test
  void auto_routes_by_task_type_and_names_the_policy() {
    TestClient.Result security = client.post("/v1/chat/completions",
      Chats.chat("auto", "Find the SQL injection vulnerability and the XSS exploit in this login handler"));
    TestClient.Result chat = client.post("/v1/chat/completions", Chats.chat("auto", "hi, how are you?"));

    assertThat(security.headers().get("x-switchboard-model")).isEqualTo("fake-premium");
    assertThat(security.headers().get("x-switchboard-task-type")).isEqualTo("security");
    assertThat(security.headers().get("x-switchboard-policy")).isEqualTo("auto");
    assertThat(chat.headers().get("x-switchboard-model")).isEqualTo("fake-cheap");
  }

  @Test
  void provider_headers_from_config_are_sent_and_the_clients_credentials_are_not() {
    Vertx other = Vertx.vertx();
    try {
      JsonObject config = TestConfig.singleProvider(upstream.baseUrl());
      config.getJsonObject("providers").getJsonObject("fake")
        .put("headers", new JsonObject().put("OpenAI-Organization", "org-test"));
      TestClient otherClient = GatewayUnderTest.start(other, config).client(other);

      TestClient.Result result = otherClient.send(io.vertx.core.http.HttpMethod.POST, "/v1/chat/completions",
        Chats.chat("fake-cheap", "hello").toBuffer(),
        java.util.Map.of("content-type", "application/json", "authorization", "Bearer client-own-key"));

      assertThat(result.status()).isEqualTo(200);
      assertThat(upstream.lastAttempt().headers()).containsEntry("openai-organization", "org-test")
        .containsEntry("authorization", "Bearer " + TestConfig.FAKE_KEY);
    } finally {
      other.close().await();
    }
  }
}
