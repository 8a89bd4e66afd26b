package io.switchboard.anthropic;

import io.switchboard.openai.AnthropicOrigin;
import io.switchboard.openai.ApiException;
import io.switchboard.openai.ChatRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MessagesRequestTest {

  private static MessagesRequest parse(JsonObject body, MultiMap headers) {
    return MessagesRequest.parse(body.toBuffer(), headers);
  }

  @Test
  void the_anthropic_headers_and_body_stay_on_the_internal_request_for_anthropic_upstreams() {
    JsonObject body = MessagesEndpointTest.hello("auto").put("top_k", 5).put("service_tier", "auto")
      .put("thinking", new JsonObject().put("type", "enabled").put("budget_tokens", 2048));
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Anthropic-Version", "2023-06-01")
      .add("anthropic-beta", "prompt-caching-2024-07-31,interleaved-thinking-2025-05-14");

    MessagesRequest request = parse(body, headers);

    AnthropicOrigin origin = request.chat().anthropic().orElseThrow();
    assertThat(request.chat().anthropicHeaders()).isEqualTo(Map.of("anthropic-version", "2023-06-01",
      "anthropic-beta", "prompt-caching-2024-07-31,interleaved-thinking-2025-05-14"));
    assertThat(origin.body()).isEqualTo(body);
    assertThat(origin.thinkingRequested()).isTrue();
    assertThat(request.dropped()).containsExactlyInAnyOrder("thinking", "top_k", "service_tier");
    assertThat(request.chat().body().fieldNames()).containsExactlyInAnyOrder("model", "messages", "max_tokens");
    assertThat(ChatRequest.parse(Buffer.buffer("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
      .anthropic()).isEmpty();
  }

  @Test
  void without_headers_the_origin_names_none_and_disabled_thinking_is_not_a_request_for_it() {
    MessagesRequest request = parse(MessagesEndpointTest.hello("auto")
      .put("thinking", new JsonObject().put("type", "disabled")), MultiMap.caseInsensitiveMultiMap());

    assertThat(request.chat().anthropicHeaders()).isEmpty();
    assertThat(request.chat().anthropic().orElseThrow().thinkingRequested()).isFalse();
    assertThat(request.dropped()).isEmpty();
  }

  @Test
  void a_tool_result_with_an_image_becomes_a_tool_message_then_a_user_message_with_the_image() {
    JsonArray result = new JsonArray().add(new JsonObject().put("type", "text").put("text", "screenshot taken"))
      .add(new JsonObject().put("type", "image").put("source", new JsonObject().put("type", "base64")
        .put("media_type", "image/jpeg").put("data", "AAAA")));
    JsonObject body = MessagesEndpointTest.hello("auto").put("messages", new JsonArray()
      .add(new JsonObject().put("role", "user").put("content", "take a screenshot"))
      .add(new JsonObject().put("role", "assistant").put("content", new JsonArray().add(new JsonObject()
        .put("type", "tool_use").put("id", "toolu_1").put("name", "screenshot").put("input", new JsonObject()))))
      .add(new JsonObject().put("role", "user").put("content", new JsonArray().add(new JsonObject()
        .put("type", "tool_result").put("tool_use_id", "toolu_1").put("content", result)))));

    JsonArray messages = parse(body, MultiMap.caseInsensitiveMultiMap()).chat().messages();

    assertThat(messages).hasSize(4);
    assertThat(messages.getJsonObject(1).getJsonArray("tool_calls").getJsonObject(0).getJsonObject("function")
      .getString("arguments")).isEqualTo("{}");
    assertThat(messages.getJsonObject(2)).isEqualTo(new JsonObject().put("role", "tool").put("tool_call_id", "toolu_1")
      .put("content", "screenshot taken"));
    assertThat(messages.getJsonObject(3)).isEqualTo(new JsonObject().put("role", "user").put("content",
      new JsonArray().add(new JsonObject().put("type", "image_url")
        .put("image_url", new JsonObject().put("url", "data:image/jpeg;base64,AAAA")))));
  }

  @Test
  void tool_choice_maps_onto_openai_and_server_tools_are_dropped() {
    JsonObject tool = new JsonObject().put("name", "lookup").put("input_schema", new JsonObject().put("type", "object"));
    JsonObject body = MessagesEndpointTest.hello("auto").put("tools", new JsonArray().add(tool)
        .add(new JsonObject().put("type", "web_search_20250305").put("name", "web_search")))
      .put("tool_choice", new JsonObject().put("type", "tool").put("name", "lookup"));

    MessagesRequest request = parse(body, MultiMap.caseInsensitiveMultiMap());

    assertThat(request.chat().body().getJsonArray("tools")).hasSize(1);
    assertThat(request.chat().body().getJsonObject("tool_choice")).isEqualTo(new JsonObject().put("type", "function")
      .put("function", new JsonObject().put("name", "lookup")));
    assertThat(request.dropped()).containsExactly("server tools");
  }

  @Test
  void invalid_requests_name_the_field() {
    assertThatThrownBy(() -> parse(MessagesEndpointTest.hello("auto").put("max_tokens", 0),
      MultiMap.caseInsensitiveMultiMap()))
      .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.error().param()).isEqualTo("max_tokens"));
    assertThatThrownBy(() -> parse(MessagesEndpointTest.hello("auto").put("messages", new JsonArray().add(
        new JsonObject().put("role", "assistant").put("content", new JsonArray().add(new JsonObject()
          .put("type", "tool_use").put("name", "x").put("input", new JsonObject()))))),
      MultiMap.caseInsensitiveMultiMap()))
      .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.error().param()).isEqualTo("messages[0].content[0].id"));
    assertThatThrownBy(() -> parse(MessagesEndpointTest.hello("auto").put("thinking", new JsonObject()
      .put("type", "enabled").put("budget_tokens", 10)), MultiMap.caseInsensitiveMultiMap()))
      .isInstanceOfSatisfying(ApiException.class, e ->
        assertThat(e.error().param()).isEqualTo("thinking.budget_tokens"));
    assertThatThrownBy(() -> parse(MessagesEndpointTest.hello("auto").put("temperature", 1.2),
      MultiMap.caseInsensitiveMultiMap()))
      .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.error().param()).isEqualTo("temperature"));
  }
}
