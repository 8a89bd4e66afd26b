package io.switchboard.provider.anthropic;

import io.switchboard.anthropic.MessagesRequest;
import io.switchboard.config.GatewayConfig;
import io.switchboard.config.ModelConfig;
import io.switchboard.openai.ChatRequest;
import io.switchboard.testkit.TestConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the same-dialect path sends, and which requests may take it. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AnthropicPassthroughDialectTest {

  private final AnthropicPassthroughDialect dialect = new AnthropicPassthroughDialect(null);
  private final ModelConfig model = GatewayConfig.from(TestConfig.singleProvider("http://127.0.0.1:9/v1"),
    TestConfig.ENV).models().get("fake-cheap");

  private static JsonObject client() {
    return new JsonObject().put("model", "auto").put("max_tokens", 4000).put("stream", true).put("top_k", 3)
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
  }

  private static ChatRequest parsed(JsonObject body) {
    return MessagesRequest.parse(body.toBuffer(), MultiMap.caseInsensitiveMultiMap()).chat();
  }

  @Test
  void the_clients_body_goes_with_the_upstream_model_name_only() {
    ChatRequest request = parsed(client());

    assertThat(AnthropicPassthroughDialect.applies(request)).isTrue();
    assertThat(dialect.body(request, model).toJsonObject()).isEqualTo(client().put("model", model.upstream()));
  }

  @Test
  void a_lower_max_tokens_of_the_gateway_and_the_calls_stream_flag_are_applied() {
    ChatRequest request = parsed(client());
    ChatRequest capped = new ChatRequest(request.body(), request.model(), request.messages(), false, false, 1000,
      request.toolsPresent(), request.toolsChars(), request.bodyBytes(), request.options(), request.anthropicHeaders(),
      request.anthropic());

    JsonObject sent = dialect.body(capped, model).toJsonObject();

    assertThat(sent.getLong("max_tokens")).isEqualTo(1000);
    assertThat(sent.containsKey("stream")).as("asked whole").isFalse();
    assertThat(sent.getInteger("top_k")).isEqualTo(3);
  }

  @Test
  void a_request_whose_conversation_the_gateway_rewrote_is_translated_instead() {
    ChatRequest request = parsed(client());
    JsonArray reviewed = request.messages().copy().add(new JsonObject().put("role", "user").put("content", "Review."));
    ChatRequest rewritten = new ChatRequest(request.body().copy().put("messages", reviewed), request.model(), reviewed,
      request.stream(), false, request.maxOutputTokens(), false, 0, request.bodyBytes(), request.options(),
      request.anthropicHeaders(), request.anthropic());

    assertThat(AnthropicPassthroughDialect.applies(rewritten)).isFalse();
    assertThat(AnthropicPassthroughDialect.applies(ChatRequest.from(new JsonObject().put("model", "m")
      .put("messages", request.messages().copy()), 10))).as("an OpenAI client").isFalse();
  }
}
