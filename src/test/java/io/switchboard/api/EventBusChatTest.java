package io.switchboard.api;

import io.switchboard.bus.Addresses;
import io.switchboard.testkit.GatewayTest;
import io.switchboard.testkit.Behaviour;
import io.switchboard.testkit.Chats;
import io.switchboard.testkit.FakeProvider;
import io.switchboard.testkit.TestConfig;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The event-bus front door, {@code switchboard.chat}: same execution as HTTP, answers as bus replies. */
@Timeout(30)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EventBusChatTest extends GatewayTest {

  private Message<JsonObject> request(Object body) throws TimeoutException {
    Future<Message<JsonObject>> reply = vertx.eventBus().request(Addresses.CHAT, body);
    return reply.await(10, TimeUnit.SECONDS);
  }

  /** The failure of a request that must fail, as the {@link ReplyException} the caller receives. */
  private ReplyException failure(Object body) {
    Throwable[] caught = new Throwable[1];
    assertThatThrownBy(() -> request(body)).isInstanceOfSatisfying(ReplyException.class, e -> caught[0] = e);
    ReplyException e = (ReplyException) caught[0];
    assertThat(e.failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
    return e;
  }

  private static JsonObject error(ReplyException e) {
    return new JsonObject(e.getMessage()).getJsonObject("error");
  }

  @Test
  void the_reply_is_the_completion_with_the_decision_and_cost_in_headers() throws TimeoutException {
    Message<JsonObject> reply = request(Chats.chat("fake-cheap", "hello there"));

    assertThat(reply.body().getString("object")).isEqualTo("chat.completion");
    assertThat(reply.body().getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content"))
      .isEqualTo(FakeProvider.ANSWER);
    assertThat(reply.body().getJsonObject("usage").getInteger("prompt_tokens")).isEqualTo(FakeProvider.PROMPT_TOKENS);
    assertThat(reply.headers().get("x-switchboard-model")).isEqualTo("fake-cheap");
    assertThat(reply.headers().get("x-switchboard-decision-id")).isNotBlank();
    assertThat(reply.headers().get("x-switchboard-task-type")).isEqualTo("conversation");
    // 12 prompt + 5 completion tokens: 3 µ$ on fake-cheap, 64 µ$ on the baseline fake-premium
    assertThat(reply.headers().get("x-switchboard-cost-usd")).isEqualTo("0.000003");
    assertThat(reply.headers().get("x-switchboard-baseline-cost-usd")).isEqualTo("0.000064");
    assertThat(reply.headers().get("x-switchboard-savings-usd")).isEqualTo("0.000061");
  }

  @Test
  void the_upstream_is_called_once_with_its_key_and_the_client_fields() throws TimeoutException {
    JsonObject body = Chats.chat("cheap", "hello").put("temperature", 0.2).put("seed", 7);

    request(body);

    assertThat(upstream.attempts()).hasSize(1);
    assertThat(upstream.lastAttempt().model()).isEqualTo("fake-cheap");
    assertThat(upstream.lastAttempt().headers().get("authorization")).isEqualTo("Bearer " + TestConfig.FAKE_KEY);
    assertThat(upstream.lastAttempt().body().getValue("temperature")).isEqualTo(0.2);
    assertThat(upstream.lastAttempt().body().getValue("seed")).isEqualTo(7);
    assertThat(upstream.lastAttempt().body().getValue("stream")).isNotEqualTo(true);
  }

  @Test
  void auto_routes_over_the_bus_like_over_http() throws TimeoutException {
    Message<JsonObject> reply = request(Chats.chat("auto",
      "Find the SQL injection vulnerability and the XSS exploit in this login handler"));

    assertThat(reply.headers().get("x-switchboard-model")).isEqualTo("fake-premium");
    assertThat(reply.headers().get("x-switchboard-task-type")).isEqualTo("security");
    assertThat(reply.headers().get("x-switchboard-savings-usd")).isEqualTo("0.000000");
  }

  @Test
  void each_reply_has_its_own_decision_id() throws TimeoutException {
    String first = request(Chats.chat("fake-cheap", "hello")).headers().get("x-switchboard-decision-id");
    String second = request(Chats.chat("fake-cheap", "hello")).headers().get("x-switchboard-decision-id");

    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void a_request_without_messages_fails_with_400_and_the_openai_error() {
    JsonObject body = new JsonObject().put("model", "fake-cheap");

    ReplyException e = failure(body);

    assertThat(e.failureCode()).isEqualTo(400);
    assertThat(error(e).getString("type")).isEqualTo("invalid_request_error");
    assertThat(error(e).getString("code")).isEqualTo("missing_required_parameter");
    assertThat(error(e).getString("param")).isEqualTo("messages");
    assertThat(error(e).getString("message")).isNotBlank();
    assertThat(upstream.attempts()).isEmpty();
  }

  @Test
  void invalid_fields_are_refused_as_over_http() {
    ReplyException temperature = failure(Chats.chat("fake-cheap", "hi").put("temperature", 5));
    ReplyException role = failure(Chats.chat("fake-cheap", "hi")
      .put("messages", new JsonArray().add(new JsonObject().put("role", "robot").put("content", "hi"))));
    ReplyException forbidden = failure(Chats.chat("fake-cheap", "hi").put("base_url", "http://evil.example/v1"));

    assertThat(temperature.failureCode()).isEqualTo(400);
    assertThat(error(temperature).getString("param")).isEqualTo("temperature");
    assertThat(role.failureCode()).isEqualTo(400);
    assertThat(error(role).getString("param")).isEqualTo("messages[0].role");
    assertThat(forbidden.failureCode()).isEqualTo(400);
    assertThat(error(forbidden).getString("code")).isEqualTo("forbidden_parameter");
    assertThat(upstream.attempts()).isEmpty();
  }

  @Test
  void a_streaming_request_fails_with_400() {
    ReplyException e = failure(Chats.streaming("fake-cheap", "hello"));

    assertThat(e.failureCode()).isEqualTo(400);
    assertThat(error(e).getString("param")).isEqualTo("stream");
    assertThat(error(e).getString("code")).isEqualTo("invalid_value");
    assertThat(upstream.attempts()).isEmpty();
  }

  @Test
  void an_unknown_model_fails_with_404() {
    ReplyException e = failure(Chats.chat("gpt-9-ultra", "hello"));

    assertThat(e.failureCode()).isEqualTo(404);
    assertThat(error(e).getString("code")).isEqualTo("model_not_found");
    assertThat(error(e).getString("param")).isEqualTo("model");
    assertThat(error(e).getString("message")).contains("gpt-9-ultra");
    assertThat(upstream.attempts()).isEmpty();
  }

  @Test
  void a_body_that_is_not_a_json_object_fails_with_400() {
    ReplyException text = failure("{\"model\":\"fake-cheap\"}");
    ReplyException array = failure(new JsonArray().add(Chats.chat("fake-cheap", "hi")));

    assertThat(text.failureCode()).isEqualTo(400);
    assertThat(error(text).getString("code")).isEqualTo("invalid_json");
    assertThat(array.failureCode()).isEqualTo(400);
  }

  @Test
  void a_prompt_too_long_for_the_model_fails_with_400() {
    ReplyException e = failure(Chats.chat("fake-tiny", "lorem ipsum dolor sit amet ".repeat(60)));

    assertThat(e.failureCode()).isEqualTo(400);
    assertThat(error(e).getString("code")).isEqualTo("context_length_exceeded");
    assertThat(upstream.attempts()).isEmpty();
  }

  @Test
  void an_upstream_error_comes_back_with_its_status() {
    upstream.on("fake-cheap", Behaviour.error(400, "invalid_value", "bad 'logit_bias'"));

    ReplyException e = failure(Chats.chat("fake-cheap", "hello"));

    assertThat(e.failureCode()).isEqualTo(400);
    assertThat(error(e).getString("message")).isNotBlank();
    assertThat(e.getMessage()).doesNotContain(TestConfig.FAKE_KEY);
  }

  @Test
  void a_provider_without_its_key_fails_without_calling_it() {
    ReplyException e = failure(Chats.chat("keyless", "hello"));

    assertThat(e.failureCode()).isGreaterThanOrEqualTo(400);
    assertThat(error(e).getString("message")).contains("SWITCHBOARD_TEST_UNSET_KEY");
    assertThat(upstream.attempts()).isEmpty();
  }
}
