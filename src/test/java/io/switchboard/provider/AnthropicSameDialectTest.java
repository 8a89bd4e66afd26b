package io.switchboard.provider;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import io.switchboard.testkit.Attempt;
import io.switchboard.testkit.FakeAnthropic;
import io.switchboard.testkit.FakeAnthropic.Reply;
import io.switchboard.testkit.FakeProvider;
import io.switchboard.testkit.TestClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same-dialect path: an Anthropic client ({@code /v1/messages}) routed to an Anthropic upstream gets its own
 * body sent upstream (only {@code model} replaced) and the upstream's answer relayed as received, while the gateway
 * still prices it.
 */
@Timeout(60)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AnthropicSameDialectTest extends DialectRig {

  private static final String UPSTREAM = "claude-fake-sonnet";
  private static final Map<String, String> HEADERS = Map.of("content-type", "application/json",
    "anthropic-version", "2023-06-01", "anthropic-beta", "interleaved-thinking-2025-05-14");
  /** 100 fresh input tokens, 2000 read from the cache, 500 written to it, 50 out. */
  private static final JsonObject CACHED_USAGE = FakeAnthropic.usage(100, 2_000, 500, 50);
  /** 100 x 3 + 2000 x 0.30 + 500 x 3.75 + 50 x 15 = 3525 micro-dollars. */
  private static final String CACHED_COST = "0.003525";
  private static final JsonArray THOUGHT_AND_TEXT = new JsonArray()
    .add(new JsonObject().put("type", "thinking").put("thinking", "The user wants a short answer.")
      .put("signature", "EqQBCkYIBRgCKkBsig+/=="))
    .add(new JsonObject().put("type", "text").put("text", "Paris."));

  /** What the gateway adds to a stream: its cost comment. */
  private static final String COMMENT_PREFIX = ": switchboard ";

  /** {@code claude-auto}: an Anthropic provider with automatic cache breakpoints at Anthropic's usual minimum. */
  @Override
  protected void configure(JsonObject config) {
    config.getJsonObject("providers").put("anthropic-auto",
      provider("anthropic", anthropic.baseUrl(), "ANTHROPIC_TEST_KEY").put("auto_cache_control", true));
    config.getJsonObject("models").put("claude-auto",
      model("anthropic-auto", "claude-fake-auto", 3.00, 15.00, 0.30, 3.75).put("max_output", 8192));
  }

  private TestClient.Result messages(JsonObject body) {
    return client.send(HttpMethod.POST, "/v1/messages", body.toBuffer(), HEADERS);
  }

  /** A request with what a translation would lose: thinking and its signature, cache_control, top_k, a server tool. */
  private static JsonObject richRequest(String model) {
    return new JsonObject().put("model", model).put("max_tokens", 2048)
      .put("system", new JsonArray().add(new JsonObject().put("type", "text").put("text", "Answer briefly.")
        .put("cache_control", new JsonObject().put("type", "ephemeral"))))
      .put("thinking", new JsonObject().put("type", "enabled").put("budget_tokens", 1024))
      .put("top_k", 5)
      .put("tools", new JsonArray().add(new JsonObject().put("type", "web_search_20250305").put("name", "web_search")
        .put("max_uses", 2)))
      .put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", "Capital of France?"))
        .add(new JsonObject().put("role", "assistant").put("content", new JsonArray()
          .add(new JsonObject().put("type", "thinking").put("thinking", "Easy.").put("signature", "sig-1=="))
          .add(new JsonObject().put("type", "text").put("text", "Paris."))))
        .add(new JsonObject().put("role", "user").put("content", new JsonArray()
          .add(new JsonObject().put("type", "text").put("text", "And of Italy?")
            .put("cache_control", new JsonObject().put("type", "ephemeral"))))));
  }

  @Test
  void a_message_goes_upstream_as_the_client_wrote_it_and_its_answer_comes_back_byte_for_byte() {
    anthropic.on(UPSTREAM, Reply.blocks(THOUGHT_AND_TEXT, "end_turn", CACHED_USAGE));
    JsonObject request = richRequest("claude");

    TestClient.Result result = messages(request);

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.body().getBytes()).isEqualTo(anthropic.lastAnswerBytes().getBytes());
    assertThat(result.headers().get("x-switchboard-cost-usd")).isEqualTo(CACHED_COST);
    assertThat(result.headers().get("x-switchboard-model")).isEqualTo("claude");
    FakeAnthropic.Received received = anthropic.last();
    assertThat(received.body()).isEqualTo(request.copy().put("model", UPSTREAM));
    assertThat(received.headers()).containsEntry("anthropic-version", "2023-06-01")
      .containsEntry("anthropic-beta", "interleaved-thinking-2025-05-14").containsEntry("x-api-key", ANTHROPIC_KEY);
  }

  @Test
  void a_stream_comes_back_byte_for_byte_with_the_cost_comment_just_before_message_stop() {
    anthropic.on(UPSTREAM, Reply.blocks(THOUGHT_AND_TEXT, "end_turn", CACHED_USAGE));
    JsonObject request = richRequest("claude").put("stream", true);

    TestClient.Result result = messages(request);

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.headers().get("content-type")).startsWith("text/event-stream");
    List<String> events = result.events();
    String comment = events.stream().filter(e -> e.startsWith(COMMENT_PREFIX)).findFirst().orElseThrow();
    assertThat(events.get(events.size() - 2)).isEqualTo(comment);
    assertThat(events.get(events.size() - 1)).startsWith("event: message_stop");
    JsonObject cost = new JsonObject(comment.substring(COMMENT_PREFIX.length()));
    assertThat(cost.getString("cost_usd")).isEqualTo(CACHED_COST);
    assertThat(cost.getLong("prompt_tokens")).isEqualTo(2_600);
    assertThat(cost.getBoolean("estimated")).isFalse();
    String withoutComment = result.body().toString().replace(comment + "\n\n", "");
    assertThat(withoutComment).isEqualTo(anthropic.lastAnswerBytes().toString());
    assertThat(withoutComment).contains("event: ping").contains("\"signature_delta\"")
      .contains("\"cache_read_input_tokens\":2000").contains("\"cache_creation_input_tokens\":500");
    assertThat(anthropic.last().body()).isEqualTo(request.copy().put("model", UPSTREAM));
  }

  @Test
  void a_stream_whose_upstream_ends_after_its_message_delta_is_closed_with_a_message_stop_after_the_comment() {
    anthropic.on(UPSTREAM, Reply.text("Paris.", CACHED_USAGE).withoutMessageStop());

    TestClient.Result result = messages(richRequest("claude").put("stream", true));

    String body = result.body().toString();
    String upstreamSent = anthropic.lastAnswerBytes().toString();
    assertThat(upstreamSent).doesNotContain("message_stop");
    assertThat(body).startsWith(upstreamSent);
    assertThat(body.substring(upstreamSent.length())).startsWith(COMMENT_PREFIX)
      .endsWith("\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
  }

  @Test
  void the_anthropic_sdk_reads_a_relayed_stream_with_its_thinking_signature_and_cache_usage() {
    anthropic.on(UPSTREAM, Reply.blocks(THOUGHT_AND_TEXT, "end_turn", CACHED_USAGE));
    AnthropicClient anthropicSdk = AnthropicOkHttpClient.builder().baseUrl("http://127.0.0.1:" + gateway.port())
      .apiKey("unused").maxRetries(0).timeout(Duration.ofSeconds(20)).build();
    try {
      MessageCreateParams params = MessageCreateParams.builder().model("claude").maxTokens(2048)
        .enabledThinking(1024).addUserMessage("Capital of France?").build();
      MessageAccumulator accumulator = MessageAccumulator.create();
      try (StreamResponse<RawMessageStreamEvent> stream = anthropicSdk.messages().createStreaming(params)) {
        stream.stream().forEach(accumulator::accumulate);
      }
      Message message = accumulator.message();

      assertThat(message.content()).hasSize(2);
      ContentBlock thinking = message.content().get(0);
      assertThat(thinking.asThinking().thinking()).isEqualTo("The user wants a short answer.");
      assertThat(thinking.asThinking().signature()).isEqualTo("EqQBCkYIBRgCKkBsig+/==");
      assertThat(message.content().get(1).asText().text()).isEqualTo("Paris.");
      assertThat(message.usage().cacheReadInputTokens()).contains(2_000L);
      assertThat(message.usage().cacheCreationInputTokens()).contains(500L);
      assertThat(message.usage().outputTokens()).isEqualTo(50);
      assertThat(message.model().asString()).isEqualTo(UPSTREAM);
    } finally {
      anthropicSdk.close();
    }
  }

  @Test
  void a_claude_code_turn_reaches_the_anthropic_upstream_with_every_block_intact() throws IOException {
    anthropic.on(UPSTREAM, Reply.blocks(new JsonArray().add(new JsonObject().put("type", "tool_use")
      .put("id", "toolu_01C").put("name", "Read").put("input", new JsonObject().put("file_path", "/repo/pom.xml"))),
      "tool_use", CACHED_USAGE));
    Buffer fixture = fixture();
    JsonObject turn = fixture.toJsonObject().put("model", "claude");

    TestClient.Result json = messages(turn);
    TestClient.Result stream = messages(turn.copy().put("stream", true));

    assertThat(json.status()).isEqualTo(200);
    List<FakeAnthropic.Received> received = anthropic.received();
    assertThat(received).hasSize(2);
    assertThat(received.get(0).body()).isEqualTo(fixture.toJsonObject().put("model", UPSTREAM));
    assertThat(received.get(1).body()).isEqualTo(fixture.toJsonObject().put("model", UPSTREAM).put("stream", true));
    String sent = received.get(0).body().encode();
    assertThat(sent).contains("\"signature\"").contains("\"cache_control\"").contains("\"is_error\"");
    JsonObject message = json.json();
    assertThat(message.getString("stop_reason")).isEqualTo("tool_use");
    assertThat(message.getJsonArray("content").getJsonObject(0).getJsonObject("input"))
      .isEqualTo(new JsonObject().put("file_path", "/repo/pom.xml"));
    assertThat(stream.body().toString()).contains("\"partial_json\"").endsWith("event: message_stop\n"
      + "data: {\"type\":\"message_stop\"}\n\n");
  }

  @Test
  void failover_to_an_openai_compatible_model_answers_the_anthropic_client_in_anthropic_form() {
    anthropic.on("claude-fake-overloaded", Reply.error(529, "overloaded_error", "Overloaded", Map.of()));
    JsonObject request = richRequest("claude-failing");

    TestClient.Result json = messages(request);
    TestClient.Result stream = messages(request.copy().put("stream", true));

    assertThat(json.status()).isEqualTo(200);
    assertThat(json.headers().get("x-switchboard-model")).isEqualTo("fake-cheap");
    JsonObject message = json.json();
    assertThat(message.getString("type")).isEqualTo("message");
    assertThat(message.getJsonArray("content").getJsonObject(0).getString("text")).isEqualTo(FakeProvider.ANSWER);
    List<String> names = new ArrayList<>();
    for (String event : stream.events()) {
      if (event.startsWith("event: ")) {
        names.add(event.substring(7, event.indexOf('\n')));
      }
    }
    assertThat(names).startsWith("message_start", "ping", "content_block_start").endsWith("message_stop");
    assertThat(anthropic.received()).hasSize(2);
    assertThat(anthropic.last().body()).isEqualTo(request.copy().put("model", "claude-fake-overloaded")
      .put("stream", true));
    Attempt translated = openai.lastAttempt();
    assertThat(translated.body().containsKey("messages")).isTrue();
    assertThat(translated.body().encode()).doesNotContain("thinking").doesNotContain("cache_control");
  }

  @Test
  void a_stream_that_fails_before_its_first_delta_fails_over_unseen_and_is_translated_for_the_new_model() {
    anthropic.on("claude-fake-overloaded", Reply.overloadedMidStream());

    TestClient.Result stream = messages(richRequest("claude-failing").put("stream", true));

    assertThat(stream.status()).isEqualTo(200);
    assertThat(stream.headers().get("x-switchboard-model")).isEqualTo("fake-cheap");
    String body = stream.body().toString();
    assertThat(body).doesNotContain("overloaded_error").doesNotContain("claude-fake-overloaded")
      .contains("\"text\":\"provider.\"").endsWith("data: {\"type\":\"message_stop\"}\n\n");
    assertThat(body.split("event: message_start", -1)).hasSize(2);
    assertThat(anthropic.last().body().getBoolean("stream")).isTrue();
    assertThat(anthropic.last().body().getJsonObject("thinking")).isNotNull();
  }

  /** A prompt of about {@code words} tokens. */
  private static String words(int words) {
    return "alpha ".repeat(words).trim();
  }

  private static JsonObject longPrefixRequest() {
    return new JsonObject().put("model", "claude-auto").put("max_tokens", 512).put("system", words(1_100))
      .put("tools", new JsonArray()
        .add(new JsonObject().put("name", "Read").put("description", "Reads a file.")
          .put("input_schema", new JsonObject().put("type", "object")))
        .add(new JsonObject().put("name", "Bash").put("description", words(1_100))
          .put("input_schema", new JsonObject().put("type", "object"))))
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Fix the build.")));
  }

  @Test
  void automatic_breakpoints_mark_a_long_unmarked_prefix_on_the_same_dialect_path_and_the_answer_is_still_relayed() {
    anthropic.on("claude-fake-auto", Reply.text("Done.", CACHED_USAGE));
    JsonObject request = longPrefixRequest();

    TestClient.Result result = messages(request);

    assertThat(result.body().getBytes()).isEqualTo(anthropic.lastAnswerBytes().getBytes());
    JsonObject ephemeral = new JsonObject().put("type", "ephemeral");
    JsonObject expected = request.copy().put("model", "claude-fake-auto")
      .put("system", new JsonArray().add(new JsonObject().put("type", "text").put("text", words(1_100))
        .put("cache_control", ephemeral)));
    expected.getJsonArray("tools").getJsonObject(1).put("cache_control", ephemeral);
    assertThat(anthropic.last().body()).isEqualTo(expected);
  }

  @Test
  void automatic_breakpoints_leave_a_request_that_marks_its_own_or_is_short() {
    anthropic.on("claude-fake-auto", Reply.text("Done.", CACHED_USAGE));
    JsonObject marked = longPrefixRequest();
    marked.getJsonArray("messages").getJsonObject(0).put("content", new JsonArray().add(new JsonObject()
      .put("type", "text").put("text", "Fix the build.")
      .put("cache_control", new JsonObject().put("type", "ephemeral"))));
    JsonObject shortOne = new JsonObject().put("model", "claude-auto").put("max_tokens", 512).put("system", "Be brief.")
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));

    messages(marked);
    JsonObject markedSent = anthropic.last().body();
    messages(shortOne);
    JsonObject shortSent = anthropic.last().body();

    assertThat(markedSent).isEqualTo(marked.copy().put("model", "claude-fake-auto"));
    assertThat(shortSent).isEqualTo(shortOne.copy().put("model", "claude-fake-auto"));
  }

  @Test
  void automatic_breakpoints_mark_a_translated_request_of_an_openai_client_too() {
    anthropic.on("claude-fake-auto", Reply.text("Done.", CACHED_USAGE));
    JsonObject chat = new JsonObject().put("model", "claude-auto").put("messages", new JsonArray()
      .add(new JsonObject().put("role", "system").put("content", words(1_100)))
      .add(new JsonObject().put("role", "user").put("content", "hi")));

    TestClient.Result result = client.post("/v1/chat/completions", chat);

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.json().getString("object")).isEqualTo("chat.completion");
    assertThat(anthropic.last().body().getJsonArray("system")).isEqualTo(new JsonArray().add(new JsonObject()
      .put("type", "text").put("text", words(1_100)).put("cache_control", new JsonObject().put("type", "ephemeral"))));
  }

  private static Buffer fixture() throws IOException {
    try (InputStream in = AnthropicSameDialectTest.class.getResourceAsStream("/fixtures/claude-code-turn.json")) {
      return Buffer.buffer(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
