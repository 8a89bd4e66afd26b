package io.switchboard.anthropic;

import io.switchboard.classify.TokenCounter;
import io.switchboard.openai.ChatRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The prompt tokens of a translated request, as {@code count_tokens} answers them: jtokkit's o200k_base count of
 * what the upstream receives, the way OpenAI counts a chat (each message's role, text, tool calls and tool-call id
 * plus {@link TokenCounter#PER_MESSAGE_OVERHEAD}, the tool definitions as JSON, and 3 tokens priming the reply).
 * Images and PDF files are not text: each counts as {@link #IMAGE_TOKENS}.
 */
public final class PromptTokens {

  /**
   * Tokens per image or file: Anthropic's documented cost of an image at the largest size it does not scale down
   * (about 1.15 megapixels, width × height / 750), so a count errs high rather than low for most images.
   */
  static final int IMAGE_TOKENS = 1_600;
  private static final int REPLY_PRIMING = 3;

  private PromptTokens() {
  }

  public static long of(ChatRequest request) {
    long tokens = REPLY_PRIMING;
    JsonArray messages = request.messages();
    for (int i = 0; i < messages.size(); i++) {
      if (messages.getValue(i) instanceof JsonObject message) {
        tokens += TokenCounter.PER_MESSAGE_OVERHEAD + message(message);
      }
    }
    if (request.body().getValue("tools") instanceof JsonArray tools) {
      tokens += TokenCounter.countRemembered(tools.encode());
    }
    return tokens;
  }

  private static long message(JsonObject message) {
    long tokens = TokenCounter.count(message.getString("role", ""));
    Object content = message.getValue("content");
    if (content instanceof String text) {
      tokens += TokenCounter.countRemembered(text);
    } else if (content instanceof JsonArray parts) {
      for (int p = 0; p < parts.size(); p++) {
        if (parts.getValue(p) instanceof JsonObject part) {
          if (part.getValue("text") instanceof String text) {
            tokens += TokenCounter.countRemembered(text);
          } else {
            tokens += IMAGE_TOKENS;
          }
        }
      }
    }
    if (message.getValue("tool_call_id") instanceof String id) {
      tokens += TokenCounter.count(id);
    }
    if (message.getValue("tool_calls") instanceof JsonArray calls) {
      for (int c = 0; c < calls.size(); c++) {
        if (calls.getValue(c) instanceof JsonObject call && call.getValue("function") instanceof JsonObject function) {
          tokens += TokenCounter.count(function.getString("name", ""))
            + TokenCounter.countRemembered(String.valueOf(function.getValue("arguments")));
        }
      }
    }
    return tokens;
  }
}
