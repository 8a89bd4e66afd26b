package io.switchboard.provider;

import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.InternalServerException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.completions.CompletionUsage;
import io.switchboard.testkit.FakeGemini;
import io.switchboard.testkit.FakeGemini.Reply;
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

/** OpenAI SDK → gateway → Gemini generateContent / streamGenerateContent, and the answers back. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GeminiProviderTest extends DialectRig {

  private static final String UPSTREAM = "gemini-fake-flash";
  /** 1200 prompt tokens of which 1000 cached, 40 answer and 10 thinking tokens. */
  private static final JsonObject CACHED_USAGE = FakeGemini.usage(1_200, 1_000, 40, 10);
  /** 200 x 0.30 + 1000 x 0.075 + (40 + 10) x 2.50 = 260 micro-dollars. */
  private static final String CACHED_COST = "0.000260";

  @Test
  void a_text_answer_comes_back_as_a_chat_completion_with_cached_tokens_priced() {
    gemini.on(UPSTREAM, Reply.parts(new JsonArray()
      .add(new JsonObject().put("text", "Hidden musing.").put("thought", true))
      .add(new JsonObject().put("text", "Bonjour.")), "STOP", CACHED_USAGE));
    HttpResponseFor<ChatCompletion> raw = sdk.chat().completions().withRawResponse().create(
      ChatCompletionCreateParams.builder().model("gemini").addSystemMessage("Answer in French.")
        .addUserMessage("Hello?").maxCompletionTokens(100).temperature(0.7).topP(0.9)
        .stopOfStrings(List.of("END")).build());
    ChatCompletion completion = raw.parse();

    assertThat(completion.choices().get(0).message().content()).contains("Bonjour.");
    assertThat(completion.choices().get(0).finishReason().asString()).isEqualTo("stop");
    CompletionUsage usage = completion.usage().orElseThrow();
    assertThat(usage.promptTokens()).isEqualTo(1_200);
    assertThat(usage.completionTokens()).isEqualTo(50);
    assertThat(usage.promptTokensDetails().orElseThrow().cachedTokens()).contains(1_000L);
    assertThat(raw.headers().values("x-switchboard-cost-usd")).containsExactly(CACHED_COST);

    FakeGemini.Received sent = gemini.last();
    assertThat(sent.path()).isEqualTo("/v1beta/models/" + UPSTREAM + ":generateContent");
    assertThat(sent.headers()).containsEntry("x-goog-api-key", GEMINI_KEY).doesNotContainKey("authorization");
    assertThat(sent.body().getJsonObject("systemInstruction")).isEqualTo(new JsonObject()
      .put("parts", new JsonArray().add(new JsonObject().put("text", "Answer in French."))));
    assertThat(sent.body().getJsonArray("contents")).isEqualTo(new JsonArray().add(new JsonObject().put("role", "user")
      .put("parts", new JsonArray().add(new JsonObject().put("text", "Hello?")))));
    assertThat(sent.body().getJsonObject("generationConfig")).isEqualTo(new JsonObject().put("maxOutputTokens", 100)
      .put("temperature", 0.7).put("topP", 0.9).put("stopSequences", new JsonArray().add("END")));
  }

  @Test
  void a_stream_arrives_chunk_by_chunk_and_ends_with_usage_once_gemini_closes_it() {
    gemini.on(UPSTREAM, Reply.parts(new JsonArray()
      .add(new JsonObject().put("text", "SECRET-THOUGHT").put("thought", true))
      .add(new JsonObject().put("text", "Streamed from Gemini.")), "STOP", CACHED_USAGE));
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream = sdk.chat().completions().createStreaming(
      ChatCompletionCreateParams.builder().model("gemini").addUserMessage("Say something.")
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
      stream.stream().forEach(chunks::add);
    }

    StringBuilder text = new StringBuilder();
    List<String> finishes = new ArrayList<>();
    chunks.forEach(chunk -> chunk.choices().forEach(choice -> {
      choice.delta().content().ifPresent(text::append);
      choice.finishReason().ifPresent(f -> finishes.add(f.asString()));
    }));
    assertThat(text.toString()).isEqualTo("Streamed from Gemini.");
    assertThat(finishes).containsExactly("stop");
    CompletionUsage usage = chunks.get(chunks.size() - 1).usage().orElseThrow();
    assertThat(usage.promptTokens()).isEqualTo(1_200);
    assertThat(usage.completionTokens()).isEqualTo(50);
    assertThat(chunks.toString()).doesNotContain("SECRET-THOUGHT");
    assertThat(gemini.last().path()).endsWith(":streamGenerateContent");
    assertThat(gemini.last().query()).isEqualTo("alt=sse");
  }

  @Test
  void a_raw_stream_carries_the_exact_cost_and_done() {
    gemini.on(UPSTREAM, Reply.text("Priced.", CACHED_USAGE));

    TestClient.Result result = client.post("/v1/chat/completions", chat("gemini", "hi").put("stream", true));

    List<String> events = result.events();
    assertThat(events.get(events.size() - 1)).isEqualTo("data: [DONE]");
    JsonObject cost = new JsonObject(events.get(events.size() - 2).substring(": switchboard ".length()));
    assertThat(cost.getString("cost_usd")).isEqualTo(CACHED_COST);
    assertThat(cost.getBoolean("estimated")).isFalse();
  }

  @Test
  void a_stream_closed_before_its_finish_reason_ends_with_an_error_event_and_no_done() {
    gemini.on(UPSTREAM, Reply.parts(new JsonArray().add(new JsonObject().put("text", "Unfinished answer")), null,
      CACHED_USAGE));

    TestClient.Result result = client.post("/v1/chat/completions", chat("gemini", "hi").put("stream", true));

    List<String> events = result.events();
    assertThat(result.body().toString()).contains("Unfinish", "ed answer").doesNotContain("[DONE]");
    assertThat(new JsonObject(events.get(events.size() - 1).substring("data: ".length())).getJsonObject("error")
      .getString("code")).isEqualTo("upstream_stream_cut");
  }

  @Test
  void function_calls_come_back_as_tool_calls_and_results_go_up_as_function_responses() {
    gemini.on(UPSTREAM, Reply.parts(new JsonArray().add(new JsonObject().put("functionCall", new JsonObject()
        .put("name", "get_weather").put("args", new JsonObject().put("city", "Paris")))), "STOP",
      FakeGemini.usage(30, 0, 8, 0)));
    ChatCompletionCreateParams first = ChatCompletionCreateParams.builder().model("gemini")
      .addUserMessage("Weather in Paris?").addFunctionTool(AnthropicProviderTest.weatherTool()).build();
    ChatCompletion asked = sdk.chat().completions().create(first);

    ChatCompletionMessage message = asked.choices().get(0).message();
    assertThat(asked.choices().get(0).finishReason().asString()).isEqualTo("tool_calls");
    ChatCompletionMessageFunctionToolCall call = message.toolCalls().orElseThrow().get(0).asFunction();
    assertThat(call.function().name()).isEqualTo("get_weather");
    assertThat(new JsonObject(call.function().arguments())).isEqualTo(new JsonObject().put("city", "Paris"));
    JsonObject declaration = gemini.last().body().getJsonArray("tools").getJsonObject(0)
      .getJsonArray("functionDeclarations").getJsonObject(0);
    assertThat(declaration.getString("name")).isEqualTo("get_weather");
    assertThat(declaration.getJsonObject("parametersJsonSchema").getString("type")).isEqualTo("object");

    gemini.on(UPSTREAM, Reply.text("18 degrees.", FakeGemini.usage(50, 0, 4, 0)));
    sdk.chat().completions().create(first.toBuilder().addMessage(message)
      .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content("18C").build()).build());

    JsonArray contents = gemini.last().body().getJsonArray("contents");
    assertThat(contents.stream().map(c -> ((JsonObject) c).getString("role"))).containsExactly("user", "model", "user");
    assertThat(contents.getJsonObject(1).getJsonArray("parts").getJsonObject(0)).isEqualTo(new JsonObject()
      .put("functionCall", new JsonObject().put("name", "get_weather")
        .put("args", new JsonObject().put("city", "Paris"))));
    assertThat(contents.getJsonObject(2).getJsonArray("parts").getJsonObject(0)).isEqualTo(new JsonObject()
      .put("functionResponse", new JsonObject().put("name", "get_weather")
        .put("response", new JsonObject().put("content", "18C"))));
  }

  @Test
  void a_streamed_function_call_arrives_as_one_tool_call_chunk() {
    gemini.on(UPSTREAM, Reply.parts(new JsonArray().add(new JsonObject().put("functionCall", new JsonObject()
        .put("name", "get_weather").put("args", new JsonObject().put("city", "Lyon")))), "STOP",
      FakeGemini.usage(30, 0, 8, 0)));
    StringBuilder arguments = new StringBuilder();
    List<String> finishes = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream = sdk.chat().completions().createStreaming(
      ChatCompletionCreateParams.builder().model("gemini").addUserMessage("Weather in Lyon?")
        .addFunctionTool(AnthropicProviderTest.weatherTool()).build())) {
      stream.stream().flatMap(chunk -> chunk.choices().stream()).forEach(choice -> {
        choice.finishReason().ifPresent(f -> finishes.add(f.asString()));
        choice.delta().toolCalls().ifPresent(calls -> calls.forEach(call -> call.function()
          .flatMap(ChatCompletionChunk.Choice.Delta.ToolCall.Function::arguments).ifPresent(arguments::append)));
      });
    }

    assertThat(new JsonObject(arguments.toString())).isEqualTo(new JsonObject().put("city", "Lyon"));
    assertThat(finishes).containsExactly("tool_calls");
  }

  @Test
  void a_max_tokens_finish_is_length_and_images_go_up_inline() {
    gemini.on(UPSTREAM, Reply.parts(new JsonArray().add(new JsonObject().put("text", "Cut sh")), "MAX_TOKENS",
      FakeGemini.usage(20, 0, 2, 0)));
    JsonObject request = new JsonObject().put("model", "gemini").put("messages", new JsonArray()
      .add(new JsonObject().put("role", "user").put("content", new JsonArray()
        .add(new JsonObject().put("type", "text").put("text", "Describe."))
        .add(new JsonObject().put("type", "image_url")
          .put("image_url", new JsonObject().put("url", "data:image/jpeg;base64,/9j/4AAQ"))))));

    TestClient.Result result = client.post("/v1/chat/completions", request);

    assertThat(result.json().getJsonArray("choices").getJsonObject(0).getString("finish_reason")).isEqualTo("length");
    assertThat(gemini.last().body().getJsonArray("contents").getJsonObject(0).getJsonArray("parts").getJsonObject(1))
      .isEqualTo(new JsonObject().put("inlineData",
        new JsonObject().put("mimeType", "image/jpeg").put("data", "/9j/4AAQ")));
  }

  @Test
  void resource_exhausted_is_a_429_with_its_retry_after() {
    gemini.on(UPSTREAM, Reply.error(429, "RESOURCE_EXHAUSTED", "Quota exceeded", null, Map.of("retry-after", "9")));

    assertThatThrownBy(() -> sdk.chat().completions().create(
      ChatCompletionCreateParams.builder().model("gemini").addUserMessage("hi").build()))
      .isInstanceOfSatisfying(RateLimitException.class, e -> {
        assertThat(e.code()).contains("upstream_rate_limited");
        assertThat(e.headers().values("retry-after")).containsExactly("9");
      });
  }

  @Test
  void resource_exhausted_without_the_header_is_retried_after_googles_retry_delay() {
    gemini.on(UPSTREAM, Reply.quotaExceeded("29.5s"));

    TestClient.Result result = client.post("/v1/chat/completions", chat("gemini", "hi"));

    assertThat(result.status()).isEqualTo(429);
    assertThat(result.headers().get("retry-after")).isEqualTo("30");
  }

  @Test
  void an_invalid_key_answered_as_a_400_is_an_upstream_auth_error() {
    gemini.on(UPSTREAM, Reply.error(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.",
      "API_KEY_INVALID", Map.of()));

    assertThatThrownBy(() -> sdk.chat().completions().create(
      ChatCompletionCreateParams.builder().model("gemini").addUserMessage("hi").build()))
      .isInstanceOfSatisfying(InternalServerException.class, e -> {
        assertThat(e.statusCode()).isEqualTo(502);
        assertThat(e.code()).contains("upstream_auth_error");
        assertThat(e.getMessage()).contains("GEMINI_TEST_KEY");
      });
  }
}
