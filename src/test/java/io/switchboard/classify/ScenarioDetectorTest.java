package io.switchboard.classify;

import io.switchboard.anthropic.MessagesRequest;
import io.switchboard.openai.ChatRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Scenarios of Claude-Code-shaped requests (as the Anthropic front door translates them) and of plain chats. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ScenarioDetectorTest {

  static final String MAIN_SYSTEM = "You are Claude Code, Anthropic's official CLI for Claude. You are an interactive "
    + "CLI tool that helps users with software engineering tasks. Use the instructions below and the tools available "
    + "to you to assist the user.";
  static final String TOPIC_SYSTEM = "Analyze if this message indicates a new conversation topic. If it does, extract "
    + "a 2-3 word title that captures the new topic. Format your response as a JSON object with two fields: "
    + "'isNewTopic' (boolean) and 'title' (string, or null if isNewTopic is false). Only include these fields, no "
    + "other text.";
  static final String SUMMARY_SYSTEM = "Summarize this coding conversation in under 50 characters.\nCapture the main "
    + "task, key files, problems addressed, and current status.";

  /** Claude Code's tools, as it declares them (shortened schemas). */
  static JsonArray claudeCodeTools() {
    JsonArray tools = new JsonArray();
    for (String name : new String[] {"Task", "Bash", "Glob", "Grep", "Read", "Edit", "Write", "TodoWrite"}) {
      tools.add(new JsonObject().put("name", name).put("description", name + " tool")
        .put("input_schema", new JsonObject().put("type", "object").put("properties", new JsonObject())));
    }
    return tools;
  }

  /** An Anthropic Messages body as Claude Code sends it. */
  static JsonObject anthropic(String system, String user, int maxTokens, JsonArray tools) {
    JsonObject body = new JsonObject().put("model", "claude-code").put("max_tokens", maxTokens)
      .put("system", new JsonArray().add(new JsonObject().put("type", "text").put("text", system)
        .put("cache_control", new JsonObject().put("type", "ephemeral"))))
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", user)))
      .put("metadata", new JsonObject().put("user_id", "user_abc_account__session_1234"));
    if (tools != null) {
      body.put("tools", tools);
    }
    return body;
  }

  static ChatRequest translated(JsonObject anthropicBody) {
    return MessagesRequest.parse(anthropicBody.toBuffer(), MultiMap.caseInsensitiveMultiMap()).chat();
  }

  private static ScenarioDetector.Detected detect(ChatRequest request, long promptTokens, boolean otherSystem) {
    return ScenarioDetector.detect(request, promptTokens, otherSystem, 60_000, 1_024);
  }

  @Test
  void a_topic_and_title_request_is_background() {
    ChatRequest title = translated(anthropic(TOPIC_SYSTEM, "fix the flaky login test", 512, null));
    assertThat(detect(title, 120, false).scenario()).isEqualTo(Scenario.BACKGROUND);
  }

  @Test
  void a_conversation_summary_line_is_background() {
    ChatRequest summary = translated(anthropic(SUMMARY_SYSTEM, "Please write a 5-10 word title for the conversation",
      100, null));
    assertThat(detect(summary, 300, false).scenario()).isEqualTo(Scenario.BACKGROUND);
  }

  @Test
  void a_quota_probe_is_background_whatever_it_says() {
    ChatRequest quota = translated(new JsonObject().put("model", "claude-code").put("max_tokens", 1)
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "quota"))));
    ScenarioDetector.Detected detected = detect(quota, 8, false);
    assertThat(detected.scenario()).isEqualTo(Scenario.BACKGROUND);
    assertThat(detected.why()).isEqualTo("no tools, max_tokens 1");
  }

  @Test
  void an_agent_turn_with_tools_is_main() {
    ChatRequest turn = translated(anthropic(MAIN_SYSTEM, "add a title to the summary page", 32_000, claudeCodeTools()));
    assertThat(detect(turn, 14_000, false).scenario()).isEqualTo(Scenario.MAIN);
  }

  @Test
  void tools_are_never_background_even_with_a_small_output_and_a_title_cue() {
    ChatRequest turn = translated(anthropic(MAIN_SYSTEM, "write a title", 16, claudeCodeTools()));
    assertThat(detect(turn, 14_000, false).scenario()).isEqualTo(Scenario.MAIN);
  }

  @Test
  void extended_thinking_is_thinking() {
    JsonObject body = anthropic(MAIN_SYSTEM, "why does this deadlock?", 32_000, claudeCodeTools())
      .put("thinking", new JsonObject().put("type", "enabled").put("budget_tokens", 10_000));
    assertThat(detect(translated(body), 14_000, false).scenario()).isEqualTo(Scenario.THINKING);
  }

  @Test
  void an_openai_reasoning_effort_is_thinking_unless_none_or_minimal() {
    JsonObject chat = new JsonObject().put("model", "auto").put("reasoning_effort", "high")
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "prove it")));
    assertThat(detect(ChatRequest.from(chat.copy(), 100), 10, false).scenario()).isEqualTo(Scenario.THINKING);
    assertThat(detect(ChatRequest.from(chat.copy().put("reasoning_effort", "minimal"), 100), 10, false).scenario())
      .isEqualTo(Scenario.DEFAULT);
  }

  @Test
  void a_prompt_over_the_threshold_is_long_context_before_anything_else() {
    JsonObject body = anthropic(MAIN_SYSTEM, "read the whole repository", 32_000, claudeCodeTools())
      .put("thinking", new JsonObject().put("type", "enabled").put("budget_tokens", 10_000));
    ScenarioDetector.Detected detected = detect(translated(body), 60_001, false);
    assertThat(detected.scenario()).isEqualTo(Scenario.LONG_CONTEXT);
    assertThat(detected.why()).isEqualTo("60001 prompt tokens, over 60000");
  }

  @Test
  void tools_with_a_system_prompt_other_than_the_sessions_main_one_are_a_subagent() {
    ChatRequest task = translated(anthropic("You are an agent for Claude Code. Given the user's message, use the tools "
      + "available to complete the task.", "Find every caller of parseConfig", 32_000, claudeCodeTools()));
    assertThat(detect(task, 9_000, true).scenario()).isEqualTo(Scenario.SUBAGENT);
    assertThat(detect(task, 9_000, false).scenario()).isEqualTo(Scenario.MAIN);
  }

  @Test
  void ordinary_chats_are_default_even_short_ones() {
    JsonObject story = new JsonObject().put("model", "auto").put("max_tokens", 800)
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content",
        "Write a short story about a dragon who learns to code")));
    assertThat(detect(ChatRequest.from(story, 200), 20, false).scenario()).isEqualTo(Scenario.DEFAULT);
    JsonObject open = new JsonObject().put("model", "auto")
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Give me a title")));
    assertThat(detect(ChatRequest.from(open, 200), 10, false).scenario())
      .as("no max_tokens: not a utility call").isEqualTo(Scenario.DEFAULT);
  }
}
