package io.switchboard.classify;

import io.switchboard.openai.ChatRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Tells a request's {@link Scenario} from its shape, first match wins:
 * <ol>
 *   <li>{@code long_context}: the prompt holds more tokens than the threshold (whatever else it is, it needs the
 *   window);</li>
 *   <li>{@code thinking}: Anthropic extended thinking asked for, or an OpenAI {@code reasoning_effort} other than
 *   {@code none} or {@code minimal};</li>
 *   <li>{@code background}: no tools, and either a tiny output budget ({@code max_tokens} of at most
 *   {@value #TINY_OUTPUT}, as a quota probe sends) or an output budget of at most the background limit with a
 *   utility cue (a title, a summary, a topic, a one-line answer, an answer under N words or characters, a commit
 *   message) in the system prompt or the last user message;</li>
 *   <li>{@code subagent}: tools, and a system prompt other than the one its session's first agent turn had (a
 *   sub-agent is only ever started from a main turn, so the session's first turn with tools is the main one);</li>
 *   <li>{@code main}: tools;</li>
 *   <li>{@code default}: anything else.</li>
 * </ol>
 * Model names play no part: a client may call any model for any of these. Pure; reads only the start of texts.
 */
public final class ScenarioDetector {

  /** An output budget this small is a probe or a label, whatever the prompt says. */
  static final long TINY_OUTPUT = 32;
  /** Characters of the system prompt and the last user message searched for cues. */
  static final int CUE_CHARS = 2_000;
  private static final Set<String> NO_REASONING = Set.of("none", "minimal");
  private static final Pattern UTILITY = Pattern.compile(
    "\\b(?:title|summari[sz]e|summary|topic|headline|one[- ]line|single line|short label|commit message"
      + "|in (?:under|at most|fewer than|less than) \\d+ (?:characters|chars|words))\\b");

  private ScenarioDetector() {
  }

  /** A scenario and, in a few words without prompt text, why. */
  public record Detected(Scenario scenario, String why) {
  }

  /**
   * @param promptTokens the prompt's tokens, as classified
   * @param otherSystemPrompt the request's system prompt differs from its session's main one (see class doc)
   * @param longContextTokens prompts above this many tokens are {@code long_context}
   * @param backgroundMaxTokens largest {@code max_tokens} of a {@code background} call
   */
  public static Detected detect(ChatRequest request, long promptTokens, boolean otherSystemPrompt,
                                long longContextTokens, long backgroundMaxTokens) {
    if (promptTokens > longContextTokens) {
      return new Detected(Scenario.LONG_CONTEXT, promptTokens + " prompt tokens, over " + longContextTokens);
    }
    if (request.anthropic().map(o -> o.thinkingRequested()).orElse(false)) {
      return new Detected(Scenario.THINKING, "extended thinking requested");
    }
    if (reasoningEffort(request)) {
      return new Detected(Scenario.THINKING, "reasoning_effort requested");
    }
    long max = request.maxOutputTokens();
    if (!request.toolsPresent() && max > 0) {
      if (max <= TINY_OUTPUT) {
        return new Detected(Scenario.BACKGROUND, "no tools, max_tokens " + max);
      }
      if (max <= backgroundMaxTokens && utilityCue(request.messages())) {
        return new Detected(Scenario.BACKGROUND, "no tools, max_tokens " + max + ", a utility prompt");
      }
    }
    if (request.toolsPresent() && otherSystemPrompt) {
      return new Detected(Scenario.SUBAGENT, "tools, and a system prompt other than its session's main one");
    }
    if (request.toolsPresent()) {
      return new Detected(Scenario.MAIN, "tools offered");
    }
    return new Detected(Scenario.DEFAULT, "");
  }

  /** Whether the client asked for extended thinking or an OpenAI reasoning effort. */
  public static boolean thinkingRequested(ChatRequest request) {
    return request.anthropic().map(o -> o.thinkingRequested()).orElse(false) || reasoningEffort(request);
  }

  private static boolean reasoningEffort(ChatRequest request) {
    return request.body().getValue("reasoning_effort") instanceof String effort
      && !NO_REASONING.contains(effort.toLowerCase(Locale.ROOT));
  }

  /** A title, summary or label request in the system prompt or the last user message. */
  static boolean utilityCue(JsonArray messages) {
    StringBuilder searched = new StringBuilder();
    String lastUser = "";
    for (int i = 0; i < messages.size(); i++) {
      if (messages.getValue(i) instanceof JsonObject message) {
        String role = message.getString("role", "");
        if (role.equals("system") || role.equals("developer")) {
          appendStart(searched, PromptText.text(message));
        } else if (role.equals("user")) {
          lastUser = PromptText.text(message);
        }
      }
    }
    appendStart(searched, lastUser);
    return UTILITY.matcher(searched.toString().toLowerCase(Locale.ROOT)).find();
  }

  private static void appendStart(StringBuilder out, String text) {
    out.append(text, 0, Math.min(CUE_CHARS, text.length())).append('\n');
  }
}
