package io.switchboard.execute;

import io.switchboard.testkit.FakeProvider;
import io.switchboard.testkit.GatewayUnderTest;
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

/** A policy's context budget through the gateway: what goes upstream, the reasons, the metrics. */
@Timeout(30)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ContextFitGatewayTest {

  // four questions of about 2.5 KB each: a body over 8 KB, fitted on a worker thread
  private static final String BULK = "the build log shows one more warning about a deprecated call ".repeat(40);

  private Vertx vertx;
  private FakeProvider upstream;
  private GatewayUnderTest gateway;
  private TestClient client;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    upstream = new FakeProvider(vertx).start();
    JsonObject config = TestConfig.singleProvider(upstream.baseUrl());
    config.getJsonObject("routing").getJsonObject("policies").put("fitted", new JsonObject()
      .put("default", new JsonObject().put("primary", "fake-cheap"))
      .put("context", new JsonObject().put("max_prompt_tokens", 600).put("keep_last_turns", 2)
        .put("max_tokens_by_task", new JsonObject().put("conversation", 100))));
    gateway = GatewayUnderTest.start(vertx, config);
    client = gateway.client(vertx);
  }

  @AfterEach
  void stop() {
    client.close();
    upstream.stop();
    vertx.close().await();
  }

  private static JsonObject conversation(String model, boolean stream) {
    JsonArray messages = new JsonArray().add(new JsonObject().put("role", "system").put("content", "Be brief."));
    for (int turn = 1; turn <= 4; turn++) {
      messages.add(new JsonObject().put("role", "user").put("content", "Question " + turn + ": " + BULK));
      messages.add(new JsonObject().put("role", "assistant").put("content", "Answer " + turn + "."));
    }
    messages.add(new JsonObject().put("role", "user").put("content", "Hello, how are you today?"));
    return new JsonObject().put("model", model).put("messages", messages).put("stream", stream);
  }

  @Test
  void the_trimmed_and_capped_request_is_what_goes_upstream_and_the_reasons_say_so() {
    TestClient.Result result = client.post("/v1/chat/completions", conversation("fitted", false));
    assertThat(result.status()).as(result.body().toString()).isEqualTo(200);
    JsonObject sent = upstream.lastAttempt().body();
    JsonArray messages = sent.getJsonArray("messages");
    assertThat(messages.getJsonObject(0).getString("content")).isEqualTo("Be brief.");
    assertThat(messages.getJsonObject(1).getString("content")).matches("\\[\\d earlier turns of this conversation "
      + "were removed to fit the context budget]");
    assertThat(messages.getJsonObject(messages.size() - 1).getString("content")).isEqualTo("Hello, how are you today?");
    assertThat(messages.size()).isLessThan(conversation("fitted", false).getJsonArray("messages").size());
    assertThat(sent.getLong("max_tokens")).isEqualTo(100);
    assertThat(result.headers().get("x-switchboard-task-type")).isEqualTo("conversation");
    assertThat(result.headers().get("x-switchboard-reasons")).contains("context trimmed: the ")
      .contains("removed to fit 600 prompt tokens").contains("max_tokens capped at 100 for conversation");
    assertThat(gateway.metric("switchboard.context.trimmed", Map.of("policy", "fitted"))).isEqualTo(1.0);
    assertThat(gateway.metric("switchboard.context.trimmed.tokens", Map.of("policy", "fitted"))).isPositive();
    assertThat(gateway.metric("switchboard.context.capped", Map.of("policy", "fitted"))).isEqualTo(1.0);
  }

  @Test
  void a_stream_is_trimmed_alike() {
    TestClient.Result result = client.post("/v1/chat/completions", conversation("fitted", true));
    assertThat(result.status()).isEqualTo(200);
    assertThat(upstream.lastAttempt().body().getJsonArray("messages").getJsonObject(1).getString("content"))
      .contains("earlier turns of this conversation were removed");
  }

  @Test
  void a_named_model_or_another_policy_is_sent_whole() {
    client.post("/v1/chat/completions", conversation("fake-cheap", false));
    assertThat(upstream.lastAttempt().body().getJsonArray("messages"))
      .isEqualTo(conversation("fake-cheap", false).getJsonArray("messages"));
    client.post("/v1/chat/completions", conversation("auto", false));
    assertThat(upstream.lastAttempt().body().getJsonArray("messages"))
      .isEqualTo(conversation("auto", false).getJsonArray("messages"));
    assertThat(upstream.lastAttempt().body().containsKey("max_tokens")).isFalse();
  }
}
