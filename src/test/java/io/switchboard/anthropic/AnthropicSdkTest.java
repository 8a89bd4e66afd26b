package io.switchboard.anthropic;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.ObjectMappers;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import io.switchboard.testkit.Attempt;
import io.switchboard.testkit.Behaviour;
import io.switchboard.testkit.FakeProvider;
import io.switchboard.testkit.GatewayTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The official Anthropic Java SDK as the client of {@code /v1/messages}, against the OpenAI-dialect fake upstream. */
@Timeout(60)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AnthropicSdkTest extends GatewayTest {

  private static final JsonArray WEATHER_CALL = new JsonArray().add(new JsonObject().put("id", "call_w1")
    .put("name", "get_weather").put("arguments", "{\"city\":\"Paris\",\"unit\":\"celsius\"}"));

  private AnthropicClient sdk;

  @BeforeEach
  void connect() {
    sdk = AnthropicOkHttpClient.builder()
      .baseUrl("http://127.0.0.1:" + gateway.port())
      .apiKey("unused")
      .maxRetries(0)
      .timeout(Duration.ofSeconds(20))
      .build();
  }

  @AfterEach
  void disconnect() {
    sdk.close();
  }

  private static MessageCreateParams.Builder ask(String text) {
    return MessageCreateParams.builder().model("auto").maxTokens(256).addUserMessage(text);
  }

  private static Tool weatherTool() {
    return Tool.builder().name("get_weather").description("Current weather for a city")
      .inputSchema(Tool.InputSchema.builder()
        .properties(Tool.InputSchema.Properties.builder()
          .putAdditionalProperty("city", JsonValue.from(Map.of("type", "string")))
          .putAdditionalProperty("unit", JsonValue.from(Map.of("type", "string")))
          .build())
        .addRequired("city")
        .build())
      .build();
  }

  private Message streamed(MessageCreateParams params) {
    MessageAccumulator accumulator = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream = sdk.messages().createStreaming(params)) {
      stream.stream().forEach(accumulator::accumulate);
    }
    return accumulator.message();
  }

  @Test
  void a_text_message_round_trips() {
    Message message = sdk.messages().create(ask("Say hello").build());

    assertThat(message.content()).hasSize(1);
    assertThat(message.content().get(0).asText().text()).isEqualTo(FakeProvider.ANSWER);
    assertThat(message.stopReason()).contains(StopReason.END_TURN);
    assertThat(message.usage().inputTokens()).isEqualTo(FakeProvider.PROMPT_TOKENS);
    assertThat(message.usage().outputTokens()).isEqualTo(5);
    assertThat(message.usage().cacheReadInputTokens()).contains(0L);
    assertThat(upstream.lastAttempt().body().getJsonArray("messages")).containsExactly(
      new JsonObject().put("role", "user").put("content", "Say hello"));
    assertThat(upstream.lastAttempt().body().getInteger("max_tokens")).isEqualTo(256);
  }

  @Test
  void a_text_stream_accumulates_into_the_same_message() {
    Message message = streamed(ask("Say hello").build());

    assertThat(message.content()).hasSize(1);
    assertThat(message.content().get(0).asText().text()).isEqualTo(FakeProvider.ANSWER);
    assertThat(message.stopReason()).contains(StopReason.END_TURN);
    assertThat(message.usage().outputTokens()).isEqualTo(FakeProvider.ANSWER.split("(?<= )").length);
    assertThat(message.usage().inputTokens()).isEqualTo(FakeProvider.PROMPT_TOKENS);
    assertThat(upstream.lastAttempt().body().getBoolean("stream")).isTrue();
  }

  @Test
  void a_tool_use_round_trip_sends_the_tool_result_back_as_a_tool_message() {
    upstream.answerWithToolCalls("fake-cheap", WEATHER_CALL);
    MessageCreateParams first = ask("Weather in Paris?").addTool(weatherTool()).build();

    Message call = sdk.messages().create(first);

    assertThat(call.stopReason()).contains(StopReason.TOOL_USE);
    ToolUseBlock toolUse = call.content().get(0).asToolUse();
    assertThat(toolUse.id()).isEqualTo("call_w1");
    assertThat(toolUse.name()).isEqualTo("get_weather");
    assertThat(toolUse._input()).isEqualTo(JsonValue.from(Map.of("city", "Paris", "unit", "celsius")));

    Message answer = sdk.messages().create(first.toBuilder()
      .addMessage(call)
      .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(ToolResultBlockParam.builder()
        .toolUseId(toolUse.id()).content("18 degrees, sunny").build())))
      .build());

    assertThat(answer.content().get(0).asText().text()).isEqualTo(FakeProvider.ANSWER);
    JsonArray sent = upstream.lastAttempt().body().getJsonArray("messages");
    assertThat(sent).hasSize(3);
    JsonObject assistant = sent.getJsonObject(1);
    assertThat(assistant.getString("role")).isEqualTo("assistant");
    JsonObject function = assistant.getJsonArray("tool_calls").getJsonObject(0).getJsonObject("function");
    assertThat(assistant.getJsonArray("tool_calls").getJsonObject(0).getString("id")).isEqualTo("call_w1");
    assertThat(function.getString("name")).isEqualTo("get_weather");
    assertThat(new JsonObject(function.getString("arguments")))
      .isEqualTo(new JsonObject().put("city", "Paris").put("unit", "celsius"));
    assertThat(sent.getJsonObject(2)).isEqualTo(new JsonObject().put("role", "tool").put("tool_call_id", "call_w1")
      .put("content", "18 degrees, sunny"));
  }

  @Test
  void a_streamed_tool_call_accumulates_into_a_tool_use_block() {
    upstream.answerWithToolCalls("fake-cheap", WEATHER_CALL);

    Message message = streamed(ask("Weather in Paris?").addTool(weatherTool()).build());

    assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
    assertThat(message.content()).hasSize(1);
    ToolUseBlock toolUse = message.content().get(0).asToolUse();
    assertThat(toolUse.id()).isEqualTo("call_w1");
    assertThat(toolUse._input()).isEqualTo(JsonValue.from(Map.of("city", "Paris", "unit", "celsius")));
  }

  @Test
  void errors_reach_the_sdk_as_its_typed_exceptions() {
    assertThatThrownBy(() -> sdk.messages().create(MessageCreateParams.builder().model("no-such-model").maxTokens(10)
      .addUserMessage("hi").build()))
      .isInstanceOfSatisfying(NotFoundException.class, e -> {
        assertThat(e.statusCode()).isEqualTo(404);
        assertThat(e.body().toString()).contains("not_found_error").contains("no-such-model");
      });
    assertThatThrownBy(() -> sdk.messages().create(ask("hi")
      .putAdditionalBodyProperty("temperature", JsonValue.from(1.5)).build()))
      .isInstanceOfSatisfying(BadRequestException.class, e ->
        assertThat(e.body().toString()).contains("invalid_request_error").contains("temperature"));

    upstream.on("fake-cheap", Behaviour.error(429, "rate_limit_exceeded", "slow down"));
    assertThatThrownBy(() -> sdk.messages().create(ask("hi").model("fake-cheap").build()))
      .isInstanceOfSatisfying(RateLimitException.class, e -> assertThat(e.body().toString()).contains("rate_limit_error"));
  }

  @Test
  void a_claude_code_turn_reaches_the_openai_upstream_with_every_translatable_block_and_comes_back_whole()
    throws IOException {
    JsonObject fixture = fixture();
    upstream.answerWithToolCalls("fake-cheap", new JsonArray().add(new JsonObject().put("id", "call_e1")
      .put("name", "Read").put("arguments", "{\"file_path\":\"/repo/src/Foo.java\",\"offset\":1}")));
    MessageCreateParams params = MessageCreateParams.builder()
      .body(ObjectMappers.jsonMapper().readValue(fixture.encode(), MessageCreateParams.Body.class))
      .putAdditionalHeader("anthropic-beta", "interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14")
      .build();

    Message message = streamed(params);

    Attempt attempt = upstream.lastAttempt();
    JsonObject sent = attempt.body();
    JsonArray system = fixture.getJsonArray("system");
    assertThat(sent.getJsonArray("messages")).containsExactly(
      new JsonObject().put("role", "system").put("content", new JsonArray()
        .add(text(system.getJsonObject(0).getString("text"))).add(text(system.getJsonObject(1).getString("text")))),
      new JsonObject().put("role", "user").put("content", new JsonArray()
        .add(text(block(fixture, 0, 0).getString("text"))).add(text("Why does the build fail?"))),
      new JsonObject().put("role", "assistant").put("content", "Let me run the build.")
        .put("tool_calls", new JsonArray().add(call("toolu_01A", "Bash", "{\"command\":\"mvn -q compile\"}"))),
      new JsonObject().put("role", "tool").put("tool_call_id", "toolu_01A")
        .put("content", block(fixture, 2, 0).getString("content")),
      new JsonObject().put("role", "assistant").putNull("content")
        .put("tool_calls", new JsonArray().add(call("toolu_01B", "Read", "{\"file_path\":\"/repo/src/Foo.java\"}"))),
      new JsonObject().put("role", "tool").put("tool_call_id", "toolu_01B")
        .put("content", block(fixture, 4, 0).getJsonArray("content").getJsonObject(0).getString("text")),
      new JsonObject().put("role", "user").put("content", new JsonArray().add(text("Fix it."))));
    JsonArray tools = sent.getJsonArray("tools");
    assertThat(tools).hasSize(2);
    for (int i = 0; i < 2; i++) {
      JsonObject tool = fixture.getJsonArray("tools").getJsonObject(i);
      assertThat(tools.getJsonObject(i)).isEqualTo(new JsonObject().put("type", "function").put("function",
        new JsonObject().put("name", tool.getString("name")).put("description", tool.getString("description"))
          .put("parameters", tool.getJsonObject("input_schema"))));
    }
    assertThat(sent.getInteger("max_tokens")).isEqualTo(4096);
    assertThat(sent.getString("user")).isEqualTo("user_5e1f_account_9c2d_session_0b7a");
    // what an OpenAI-compatible upstream cannot take is left out, not sent to be refused
    assertThat(sent.encode()).doesNotContain("cache_control").doesNotContain("thinking").doesNotContain("signature")
      .doesNotContain("is_error");
    assertThat(attempt.headers()).doesNotContainKeys("anthropic-version", "anthropic-beta", "x-api-key");

    assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
    assertThat(message.content()).hasSize(1);
    ContentBlock block = message.content().get(0);
    assertThat(block.asToolUse().id()).isEqualTo("call_e1");
    assertThat(block.asToolUse().name()).isEqualTo("Read");
    assertThat(block.asToolUse()._input())
      .isEqualTo(JsonValue.from(Map.of("file_path", "/repo/src/Foo.java", "offset", 1)));
  }

  @Test
  void count_tokens_is_within_two_percent_of_what_the_upstream_counts() throws IOException {
    upstream.countingPromptTokens();
    JsonObject fixture = fixture();
    JsonObject countable = new JsonObject();
    for (String key : List.of("model", "system", "tools", "messages", "thinking")) {
      countable.put(key, fixture.getValue(key));
    }

    long counted = sdk.messages().countTokens(MessageCountTokensParams.builder()
      .body(ObjectMappers.jsonMapper().readValue(countable.encode(), MessageCountTokensParams.Body.class))
      .build()).inputTokens();
    Message answered = sdk.messages().create(MessageCreateParams.builder()
      .body(ObjectMappers.jsonMapper().readValue(fixture.encode(), MessageCreateParams.Body.class)).build());

    long upstreamCount = answered.usage().inputTokens();
    assertThat(upstreamCount).isGreaterThan(300);
    assertThat((double) counted).isCloseTo(upstreamCount, within(upstreamCount * 0.02));
  }

  private static JsonObject fixture() throws IOException {
    try (InputStream in = AnthropicSdkTest.class.getResourceAsStream("/fixtures/claude-code-turn.json")) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static JsonObject block(JsonObject fixture, int message, int block) {
    return fixture.getJsonArray("messages").getJsonObject(message).getJsonArray("content").getJsonObject(block);
  }

  private static JsonObject text(String text) {
    return new JsonObject().put("type", "text").put("text", text);
  }

  private static JsonObject call(String id, String name, String arguments) {
    return new JsonObject().put("id", id).put("type", "function")
      .put("function", new JsonObject().put("name", name).put("arguments", arguments));
  }
}
