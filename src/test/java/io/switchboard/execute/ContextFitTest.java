package io.switchboard.execute;

import io.switchboard.classify.PromptText;
import io.switchboard.config.GatewayConfig;
import io.switchboard.openai.AnthropicOrigin;
import io.switchboard.openai.ChatRequest;
import io.switchboard.testkit.TestConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Trimming an agent conversation to a policy's prompt budget, and capping its output. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ContextFitTest {

  private static final String BULK = "the build log shows one more warning about a deprecated call ".repeat(20);

  private static final ContextFit FIT = fit(1_200, 3);

  private static ContextFit fit(int maxPromptTokens, int keepLastTurns) {
    JsonObject json = TestConfig.singleProvider("http://127.0.0.1:9");
    json.getJsonObject("routing").getJsonObject("policies").put("fitted", new JsonObject()
      .put("default", new JsonObject().put("primary", "fake-cheap"))
      .put("context", new JsonObject().put("max_prompt_tokens", maxPromptTokens).put("keep_last_turns", keepLastTurns)
        .put("max_tokens_by_task", new JsonObject().put("background", 64).put("conversation", 200))));
    return new ContextFit(GatewayConfig.from(json, TestConfig.ENV), ContextFit.Observer.NONE);
  }

  private static JsonObject message(String role, String content) {
    return new JsonObject().put("role", role).put("content", content);
  }

  private static JsonObject calls(String... ids) {
    JsonArray calls = new JsonArray();
    for (String id : ids) {
      calls.add(new JsonObject().put("id", id).put("type", "function")
        .put("function", new JsonObject().put("name", "read_file").put("arguments", "{\"path\":\"" + id + "\"}")));
    }
    return new JsonObject().put("role", "assistant").putNull("content").put("tool_calls", calls);
  }

  private static JsonObject result(String id) {
    return new JsonObject().put("role", "tool").put("tool_call_id", id).put("content", BULK);
  }

  /** An agent session: system prompt, tools, user asks, tool calls with their results, answers. */
  private static ChatRequest session(String model) {
    JsonArray messages = new JsonArray()
      .add(message("system", "You are a coding agent. Follow the repository's conventions."))
      .add(message("user", "Fix the failing build. " + BULK))
      .add(calls("c1"))
      .add(result("c1"))
      .add(calls("c2", "c3"))
      .add(result("c2"))
      .add(result("c3"))
      .add(message("assistant", "The build fails on a deprecated call. " + BULK))
      .add(message("user", "Go ahead and replace it."))
      .add(calls("c4"))
      .add(result("c4"))
      .add(message("assistant", "Replaced; the build passes."))
      .add(message("user", "Thanks, now run the tests."));
    JsonObject body = new JsonObject().put("model", model).put("messages", messages)
      .put("tools", new JsonArray().add(new JsonObject().put("type", "function").put("function",
        new JsonObject().put("name", "read_file").put("parameters", new JsonObject().put("type", "object")))));
    return ChatRequest.from(body, body.toBuffer().length());
  }

  private static long promptTokens(ChatRequest request) {
    long tokens = 3 + (request.toolsChars() + 3) / 4;
    for (int i = 0; i < request.messages().size(); i++) {
      tokens += PromptText.tokens(request.messages().getJsonObject(i));
    }
    return tokens;
  }

  @Test
  void the_oldest_turns_go_and_the_system_prompt_tools_and_last_turns_stay() {
    ChatRequest original = session("fitted");
    assertThat(promptTokens(original)).isGreaterThan(1_200);
    ContextFit.Trimmed trimmed = FIT.trim(original, "fitted");
    JsonArray kept = trimmed.request().messages();

    assertThat(trimmed.removedTurns()).isPositive();
    assertThat(promptTokens(trimmed.request())).isLessThanOrEqualTo(1_200);
    assertThat(kept.getJsonObject(0)).isEqualTo(original.messages().getJsonObject(0));
    assertThat(kept.getJsonObject(1).getString("role")).isEqualTo("user");
    assertThat(kept.getJsonObject(1).getString("content"))
      .isEqualTo("[" + trimmed.removedTurns() + " earlier turns of this conversation were removed to fit the context "
        + "budget]");
    assertThat(trimmed.request().body().getJsonArray("tools")).isEqualTo(original.body().getJsonArray("tools"));
    assertThat(trimmed.request().body().getJsonArray("messages")).isEqualTo(kept);
    // the last three turns: the call c4 with its result, the answer, and the last ask
    List<Object> tail = original.messages().stream().skip(original.messages().size() - 4L).toList();
    assertThat(kept.stream().skip(kept.size() - 4L).toList()).isEqualTo(tail);
    assertThat(trimmed.reason()).hasValueSatisfying(reason -> assertThat(reason)
      .startsWith("context trimmed: the " + trimmed.removedTurns() + " oldest turns (")
      .endsWith("removed to fit 1200 prompt tokens, system prompt, tools and the last 3 turns kept"));
  }

  @Test
  void a_tool_result_never_loses_its_call_and_a_call_never_loses_its_results() {
    for (int limit : new int[] {200, 900, 1_200, 1_500, 2_000}) {
      JsonArray kept = fit(limit, 1).trim(session("fitted"), "fitted").request().messages();
      Set<String> called = new HashSet<>();
      Set<String> answered = new HashSet<>();
      for (int i = 0; i < kept.size(); i++) {
        JsonObject message = kept.getJsonObject(i);
        if (message.getJsonArray("tool_calls") != null) {
          message.getJsonArray("tool_calls").forEach(c -> called.add(((JsonObject) c).getString("id")));
        }
        if (message.getString("role").equals("tool")) {
          assertThat(called).as("limit " + limit + ": the call of a kept result is kept before it")
            .contains(message.getString("tool_call_id"));
          answered.add(message.getString("tool_call_id"));
        }
      }
      assertThat(answered).as("limit " + limit + ": every kept call keeps its results").isEqualTo(called);
      assertThat(kept.getJsonObject(kept.size() - 1)).as("limit " + limit + ": the last turn stays")
        .isEqualTo(message("user", "Thanks, now run the tests."));
    }
  }

  @Test
  void a_prompt_within_the_budget_or_another_policy_is_left_alone() {
    ChatRequest small = ChatRequest.from(new JsonObject().put("model", "fitted")
      .put("messages", new JsonArray().add(message("user", "hi"))), 60);
    assertThat(FIT.trim(small, "fitted").request()).isSameAs(small);
    ChatRequest other = session("auto");
    assertThat(FIT.trim(other, "auto").request()).isSameAs(other);
  }

  @Test
  void a_trimmed_anthropic_request_keeps_its_origin_which_no_longer_describes_it() {
    ChatRequest session = session("fitted");
    ChatRequest anthropic = session.withAnthropic(new AnthropicOrigin(new JsonObject(), true, session.messages()));
    assertThat(anthropic.anthropic().orElseThrow().describes(anthropic.messages())).isTrue();
    ChatRequest trimmed = FIT.trim(anthropic, "fitted").request();
    assertThat(trimmed.anthropic()).hasValueSatisfying(origin -> {
      assertThat(origin.thinkingRequested()).isTrue();
      assertThat(origin.describes(trimmed.messages())).as("an Anthropic upstream gets the trimmed form").isFalse();
    });
    ChatRequest capped = ContextFit.capped(anthropic, 64);
    assertThat(capped.anthropic().orElseThrow().describes(capped.messages())).as("capping rewrites no turn").isTrue();
  }

  @Test
  void max_tokens_is_capped_lowered_never_raised() {
    ChatRequest open = session("fitted");
    ChatRequest capped = ContextFit.capped(open, 200);
    assertThat(capped.maxOutputTokens()).isEqualTo(200);
    assertThat(capped.body().getLong("max_tokens")).isEqualTo(200);
    ChatRequest asked = ChatRequest.from(open.body().copy().put("max_completion_tokens", 100), open.bodyBytes());
    assertThat(ContextFit.capped(asked, 200)).isSameAs(asked);
    ChatRequest origin = ChatRequest.from(open.body().copy().put("max_tokens", 4_000), open.bodyBytes())
      .withAnthropic(new AnthropicOrigin(new JsonObject().put("max_tokens", 4_000), false));
    assertThat(ContextFit.capped(origin, 64).anthropic().orElseThrow().body().getLong("max_tokens")).isEqualTo(64);
  }
}
