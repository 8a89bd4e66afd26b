package io.switchboard.provider;

import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.InternalServerException;
import com.openai.errors.RateLimitException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.completions.CompletionUsage;
import io.switchboard.testkit.FakeAnthropic;
import io.switchboard.testkit.FakeAnthropic.Reply;
import io.switchboard.testkit.FakeProvider;
import io.switchboard.testkit.TestClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** OpenAI SDK → gateway → Anthropic Messages upstream, and the answers back as OpenAI chat completions. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AnthropicProviderTest extends DialectRig {

  private static final String UPSTREAM = "claude-fake-sonnet";
  /** 100 fresh input tokens, 2000 read from the cache, 500 written to it, 50 out. */
  private static final JsonObject CACHED_USAGE = FakeAnthropic.usage(100, 2_000, 500, 50);
  /** 100 x 3 + 2000 x 0.30 + 500 x 3.75 + 50 x 15 = 3525 micro-dollars. */
  private static final String CACHED_COST = "0.003525";

  private static final JsonObject WEATHER_SCHEMA = new JsonObject().put("type", "object")
    .put("properties", new JsonObject().put("city", new JsonObject().put("type", "string")))
    .put("required", new JsonArray().add("city"));

  @Test
  void a_text_answer_comes_back_as_a_chat_completion_with_cache_tokens_priced_at_their_rates() {
    anthropic.on(UPSTREAM, Reply.text("Paris is the capital.", CACHED_USAGE));
    HttpResponseFor<ChatCompletion> raw = sdk.chat().completions().withRawResponse().create(
      ChatCompletionCreateParams.builder().model("claude").addSystemMessage("Answer briefly.")
        .addUserMessage("Capital of France?").temperature(0.2).stopOfStrings(List.of("\n\n"))
        .safetyIdentifier("u-42").build());
    ChatCompletion completion = raw.parse();

    assertThat(completion.choices().get(0).message().content()).contains("Paris is the capital.");
    assertThat(completion.choices().get(0).finishReason().asString()).isEqualTo("stop");
    CompletionUsage usage = completion.usage().orElseThrow();
    assertThat(usage.promptTokens()).isEqualTo(2_600);
    assertThat(usage.completionTokens()).isEqualTo(50);
    assertThat(usage.promptTokensDetails().orElseThrow().cachedTokens()).contains(2_000L);
    assertThat(raw.headers().values("x-switchboard-cost-usd")).containsExactly(CACHED_COST);
    assertThat(raw.headers().values("x-switchboard-model")).containsExactly("claude");

    FakeAnthropic.Received sent = anthropic.last();
    assertThat(sent.headers()).containsEntry("x-api-key", ANTHROPIC_KEY)
      .containsEntry("anthropic-version", "2023-06-01").doesNotContainKey("authorization");
    JsonObject body = sent.body();
    assertThat(body.getString("model")).isEqualTo(UPSTREAM);
    assertThat(body.getJsonArray("system")).isEqualTo(new JsonArray()
      .add(new JsonObject().put("type", "text").put("text", "Answer briefly.")));
    assertThat(body.getJsonArray("messages")).isEqualTo(new JsonArray().add(new JsonObject().put("role", "user")
      .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", "Capital of France?")))));
    assertThat(body.getLong("max_tokens")).as("Anthropic needs max_tokens: the model's max_output").isEqualTo(8_192);
    assertThat(body.getDouble("temperature")).isEqualTo(0.2);
    assertThat(body.getJsonArray("stop_sequences")).containsExactly("\n\n");
    assertThat(body.getJsonObject("metadata")).isEqualTo(new JsonObject().put("user_id", "u-42"));
  }

  @Test
  void a_stream_arrives_chunk_by_chunk_with_usage_and_thinking_dropped() {
    anthropic.on(UPSTREAM, Reply.blocks(new JsonArray()
      .add(new JsonObject().put("type", "thinking").put("thinking", "SECRET-REASONING").put("signature", "sig-abc"))
      .add(new JsonObject().put("type", "text").put("text", "Streamed from Claude.")), "end_turn", CACHED_USAGE));
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream = sdk.chat().completions().createStreaming(
      ChatCompletionCreateParams.builder().model("claude").addUserMessage("Say something.")
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
      stream.stream().forEach(chunks::add);
    }

    StringBuilder text = new StringBuilder();
    List<String> finishes = new ArrayList<>();
    chunks.forEach(chunk -> chunk.choices().forEach(choice -> {
      choice.delta().content().ifPresent(text::append);
      choice.finishReason().ifPresent(f -> finishes.add(f.asString()));
    }));
    assertThat(text.toString()).isEqualTo("Streamed from Claude.");
    assertThat(finishes).containsExactly("stop");
    assertThat(chunks.stream().filter(c -> c.choices().stream().anyMatch(ch -> ch.delta().content().isPresent())))
      .as("text arrives in the pieces the upstream sent").hasSizeGreaterThanOrEqualTo(2);
    CompletionUsage usage = chunks.get(chunks.size() - 1).usage().orElseThrow();
    assertThat(usage.promptTokens()).isEqualTo(2_600);
    assertThat(usage.completionTokens()).isEqualTo(50);
    assertThat(chunks.toString()).doesNotContain("SECRET-REASONING").doesNotContain("sig-abc");
  }

  @Test
  void a_raw_stream_ends_with_the_exact_cost_and_done() {
    anthropic.on(UPSTREAM, Reply.text("Priced stream.", CACHED_USAGE));
    TestClient.Result result = client.post("/v1/chat/completions", chat("claude", "hi").put("stream", true));

    assertThat(result.status()).isEqualTo(200);
    List<String> events = result.events();
    assertThat(events.get(events.size() - 1)).isEqualTo("data: [DONE]");
    JsonObject cost = new JsonObject(events.get(events.size() - 2).substring(": switchboard ".length()));
    assertThat(cost.getString("cost_usd")).isEqualTo(CACHED_COST);
    assertThat(cost.getLong("prompt_tokens")).isEqualTo(2_600);
    assertThat(cost.getBoolean("estimated")).isFalse();
    assertThat(result.body().toString()).as("the client did not ask for usage: its chunk is stripped")
      .doesNotContain("\"usage\"");
  }

  @Test
  void tool_calls_come_back_with_json_string_arguments_and_results_go_up_as_tool_result_blocks() {
    anthropic.on(UPSTREAM, Reply.blocks(new JsonArray()
        .add(new JsonObject().put("type", "text").put("text", "Let me check."))
        .add(new JsonObject().put("type", "tool_use").put("id", "toolu_01").put("name", "get_weather")
          .put("input", new JsonObject().put("city", "Paris"))), "tool_use", FakeAnthropic.usage(30, 0, 0, 12)),
      Reply.text("It is 18 degrees in Paris.", FakeAnthropic.usage(60, 0, 0, 9)));
    ChatCompletionCreateParams first = ChatCompletionCreateParams.builder().model("claude")
      .addUserMessage("Weather in Paris?").addFunctionTool(weatherTool())
      .toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED).build();
    ChatCompletion asked = sdk.chat().completions().create(first);

    ChatCompletionMessage message = asked.choices().get(0).message();
    assertThat(asked.choices().get(0).finishReason().asString()).isEqualTo("tool_calls");
    assertThat(message.content()).contains("Let me check.");
    ChatCompletionMessageFunctionToolCall call = message.toolCalls().orElseThrow().get(0).asFunction();
    assertThat(call.id()).isEqualTo("toolu_01");
    assertThat(call.function().name()).isEqualTo("get_weather");
    assertThat(new JsonObject(call.function().arguments())).isEqualTo(new JsonObject().put("city", "Paris"));
    JsonObject firstSent = anthropic.last().body();
    assertThat(firstSent.getJsonArray("tools")).isEqualTo(new JsonArray().add(new JsonObject()
      .put("name", "get_weather").put("description", "Current weather of a city").put("input_schema", WEATHER_SCHEMA)));
    assertThat(firstSent.getJsonObject("tool_choice")).isEqualTo(new JsonObject().put("type", "any"));

    ChatCompletion answered = sdk.chat().completions().create(first.toBuilder().addMessage(message)
      .addMessage(ChatCompletionToolMessageParam.builder().toolCallId("toolu_01").content("18C, sunny").build())
      .toolChoice(ChatCompletionToolChoiceOption.Auto.AUTO).build());

    assertThat(answered.choices().get(0).message().content()).contains("It is 18 degrees in Paris.");
    JsonArray messages = anthropic.last().body().getJsonArray("messages");
    assertThat(messages).hasSize(3);
    assertThat(messages.getJsonObject(1)).isEqualTo(new JsonObject().put("role", "assistant")
      .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", "Let me check."))
      .add(new JsonObject().put("type", "tool_use").put("id", "toolu_01").put("name", "get_weather")
        .put("input", new JsonObject().put("city", "Paris")))));
    assertThat(messages.getJsonObject(2)).isEqualTo(new JsonObject().put("role", "user").put("content", new JsonArray()
      .add(new JsonObject().put("type", "tool_result").put("tool_use_id", "toolu_01").put("content", "18C, sunny"))));
  }

  @Test
  void a_streamed_tool_call_is_assembled_from_input_json_deltas() {
    anthropic.on(UPSTREAM, Reply.blocks(new JsonArray()
      .add(new JsonObject().put("type", "tool_use").put("id", "toolu_02").put("name", "get_weather")
        .put("input", new JsonObject().put("city", "Lyon"))), "tool_use", FakeAnthropic.usage(30, 0, 0, 12)));
    StringBuilder arguments = new StringBuilder();
    List<String> ids = new ArrayList<>();
    List<String> finishes = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream = sdk.chat().completions().createStreaming(
      ChatCompletionCreateParams.builder().model("claude").addUserMessage("Weather in Lyon?")
        .addFunctionTool(weatherTool()).build())) {
      stream.stream().flatMap(chunk -> chunk.choices().stream()).forEach(choice -> {
        choice.finishReason().ifPresent(f -> finishes.add(f.asString()));
        choice.delta().toolCalls().ifPresent(calls -> calls.forEach(call -> {
          call.id().ifPresent(ids::add);
          call.function().flatMap(ChatCompletionChunk.Choice.Delta.ToolCall.Function::arguments)
            .ifPresent(arguments::append);
        }));
      });
    }

    assertThat(ids).containsExactly("toolu_02");
    assertThat(new JsonObject(arguments.toString())).isEqualTo(new JsonObject().put("city", "Lyon"));
    assertThat(finishes).containsExactly("tool_calls");
  }

  @Test
  void a_rate_limited_upstream_is_a_429_with_its_retry_after() {
    anthropic.on(UPSTREAM, Reply.error(429, "rate_limit_error", "Number of request tokens has exceeded your limit",
      Map.of("retry-after", "7")));

    assertThatThrownBy(() -> sdk.chat().completions().create(params("claude")))
      .isInstanceOfSatisfying(RateLimitException.class, e -> {
        assertThat(e.code()).contains("upstream_rate_limited");
        assertThat(e.headers().values("retry-after")).containsExactly("7");
      });
  }

  @Test
  void a_rejected_key_is_an_upstream_auth_error_naming_where_the_key_comes_from() {
    anthropic.on(UPSTREAM, Reply.error(401, "authentication_error", "invalid x-api-key", Map.of()));

    assertThatThrownBy(() -> sdk.chat().completions().create(params("claude")))
      .isInstanceOfSatisfying(InternalServerException.class, e -> {
        assertThat(e.statusCode()).isEqualTo(502);
        assertThat(e.code()).contains("upstream_auth_error");
        assertThat(e.getMessage()).contains("ANTHROPIC_TEST_KEY").doesNotContain(ANTHROPIC_KEY);
      });
  }

  @Test
  void a_request_error_keeps_its_status_and_anthropic_message() {
    anthropic.on(UPSTREAM, Reply.error(400, "invalid_request_error", "messages: text content blocks must be non-empty",
      Map.of()));

    TestClient.Result result = client.post("/v1/chat/completions", chat("claude", "hi"));

    assertThat(result.status()).isEqualTo(400);
    assertThat(result.error().getString("type")).isEqualTo("invalid_request_error");
    assertThat(result.error().getString("message")).contains("text content blocks must be non-empty");
  }

  @Test
  void an_overloaded_anthropic_model_fails_over_to_the_next_model_of_another_provider() {
    anthropic.on("claude-fake-overloaded", Reply.error(529, "overloaded_error", "Overloaded", Map.of()));

    HttpResponseFor<ChatCompletion> raw = sdk.chat().completions().withRawResponse().create(params("claude-failing"));

    assertThat(raw.parse().choices().get(0).message().content()).contains(FakeProvider.ANSWER);
    assertThat(raw.headers().values("x-switchboard-model")).containsExactly("fake-cheap");
    assertThat(raw.headers().values("x-switchboard-attempts")).containsExactly("2");
    assertThat(anthropic.received()).hasSize(1);
  }

  @Test
  void an_in_band_error_before_any_text_fails_the_stream_over_unseen() {
    anthropic.on("claude-fake-overloaded", Reply.overloadedMidStream());

    TestClient.Result result = client.post("/v1/chat/completions", chat("claude-failing", "hi").put("stream", true));

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.headers().get("x-switchboard-model")).isEqualTo("fake-cheap");
    assertThat(result.events().get(result.events().size() - 1)).isEqualTo("data: [DONE]");
  }

  @Test
  void a_stream_cut_after_its_text_started_ends_with_an_error_event_and_no_done() {
    // message_start, ping, content_block_start, the first half of the text: then the connection drops
    anthropic.on(UPSTREAM, Reply.text("Half of this arrives.", CACHED_USAGE).cutAfter(4));

    TestClient.Result result = client.post("/v1/chat/completions", chat("claude", "hi").put("stream", true));

    List<String> events = result.events();
    assertThat(result.body().toString()).contains("Half of").doesNotContain("[DONE]");
    // a dropped connection is upstream_error, an orderly end before message_stop upstream_stream_cut
    assertThat(new JsonObject(events.get(events.size() - 1).substring("data: ".length())).getJsonObject("error")
      .getString("code")).isIn("upstream_error", "upstream_stream_cut");
  }

  @Test
  void images_tool_turns_and_cache_control_are_translated_into_anthropic_blocks() {
    String png = "iVBORw0KGgo=";
    JsonObject cache = new JsonObject().put("type", "ephemeral");
    JsonObject request = new JsonObject().put("model", "claude").put("max_tokens", 300).put("stop", "END")
      .put("parallel_tool_calls", false).put("presence_penalty", 0.5)
      .put("tools", new JsonArray().add(new JsonObject().put("type", "function").put("cache_control", cache)
        .put("function", new JsonObject().put("name", "get_weather").put("parameters", WEATHER_SCHEMA))))
      .put("messages", new JsonArray()
        .add(new JsonObject().put("role", "developer").put("content", new JsonArray()
          .add(new JsonObject().put("type", "text").put("text", "Long static prompt.").put("cache_control", cache))))
        .add(new JsonObject().put("role", "user").put("content", new JsonArray()
          .add(new JsonObject().put("type", "text").put("text", "What is in these?"))
          .add(new JsonObject().put("type", "image_url")
            .put("image_url", new JsonObject().put("url", "data:image/png;base64," + png)))
          .add(new JsonObject().put("type", "image_url")
            .put("image_url", new JsonObject().put("url", "https://example.com/cat.jpg")))))
        .add(new JsonObject().put("role", "assistant").put("content", null).put("tool_calls", new JsonArray()
          .add(toolCall("call_a", "{\"city\":\"Oslo\"}")).add(toolCall("call_b", "{\"city\":\"Rome\"}"))))
        .add(new JsonObject().put("role", "tool").put("tool_call_id", "call_a").put("content", "-3C"))
        .add(new JsonObject().put("role", "tool").put("tool_call_id", "call_b").put("content", "21C"))
        .add(new JsonObject().put("role", "user").put("content", "Compare them.")));

    TestClient.Result result = client.post("/v1/chat/completions", request);

    assertThat(result.status()).isEqualTo(200);
    JsonObject sent = anthropic.last().body();
    assertThat(sent.getJsonArray("system").getJsonObject(0).getJsonObject("cache_control")).isEqualTo(cache);
    assertThat(sent.getJsonArray("tools").getJsonObject(0).getJsonObject("cache_control")).isEqualTo(cache);
    assertThat(sent.getJsonObject("tool_choice")).isEqualTo(new JsonObject().put("type", "auto")
      .put("disable_parallel_tool_use", true));
    assertThat(sent.getLong("max_tokens")).isEqualTo(300);
    assertThat(sent.getJsonArray("stop_sequences")).containsExactly("END");
    assertThat(sent.containsKey("presence_penalty")).as("no Anthropic equivalent: dropped").isFalse();
    JsonArray messages = sent.getJsonArray("messages");
    assertThat(messages.stream().map(m -> ((JsonObject) m).getString("role")))
      .as("consecutive tool results and the next user text merge into one user turn")
      .containsExactly("user", "assistant", "user");
    JsonArray images = messages.getJsonObject(0).getJsonArray("content");
    assertThat(images.getJsonObject(1)).isEqualTo(new JsonObject().put("type", "image").put("source", new JsonObject()
      .put("type", "base64").put("media_type", "image/png").put("data", png)));
    assertThat(images.getJsonObject(2)).isEqualTo(new JsonObject().put("type", "image").put("source", new JsonObject()
      .put("type", "url").put("url", "https://example.com/cat.jpg")));
    JsonArray last = messages.getJsonObject(2).getJsonArray("content");
    assertThat(last.stream().map(b -> ((JsonObject) b).getString("type")))
      .containsExactly("tool_result", "tool_result", "text");
    assertThat(last.getJsonObject(1)).isEqualTo(new JsonObject().put("type", "tool_result").put("tool_use_id", "call_b")
      .put("content", "21C"));
  }

  @Test
  void tool_call_arguments_that_are_not_a_json_object_are_refused_before_the_call() {
    JsonObject request = chat("claude", "hi");
    request.getJsonArray("messages")
      .add(new JsonObject().put("role", "assistant")
        .put("tool_calls", new JsonArray().add(toolCall("call_x", "not json"))))
      .add(new JsonObject().put("role", "tool").put("tool_call_id", "call_x").put("content", "ok"));

    TestClient.Result result = client.post("/v1/chat/completions", request);

    assertThat(result.status()).isEqualTo(400);
    assertThat(result.error().getString("param")).isEqualTo("messages[1].tool_calls[0].function.arguments");
    assertThat(anthropic.received()).isEmpty();
  }

  private static JsonObject toolCall(String id, String arguments) {
    return new JsonObject().put("id", id).put("type", "function")
      .put("function", new JsonObject().put("name", "get_weather").put("arguments", arguments));
  }

  private static ChatCompletionCreateParams params(String model) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage("hi").build();
  }

  static FunctionDefinition weatherTool() {
    FunctionParameters.Builder parameters = FunctionParameters.builder();
    // decoded, the schema's nested values are plain maps and lists, which the SDK's JsonValue takes
    new JsonObject(WEATHER_SCHEMA.encode()).getMap().forEach((key, value) ->
      parameters.putAdditionalProperty(key, JsonValue.from(value)));
    return FunctionDefinition.builder().name("get_weather").description("Current weather of a city")
      .parameters(parameters.build()).build();
  }
}
