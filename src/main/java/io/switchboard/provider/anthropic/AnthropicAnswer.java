package io.switchboard.provider.anthropic;

import io.switchboard.provider.DroppedFeatures;
import io.switchboard.provider.OpenAiShapes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** An Anthropic Messages answer as an OpenAI chat completion. Thinking blocks have no place there: dropped. */
final class AnthropicAnswer {

  private AnthropicAnswer() {
  }

  static JsonObject translate(JsonObject message, DroppedFeatures dropped) {
    if (!"message".equals(message.getString("type")) || !(message.getValue("content") instanceof JsonArray content)) {
      throw new IllegalArgumentException("not an Anthropic message");
    }
    StringBuilder text = new StringBuilder();
    JsonArray calls = new JsonArray();
    for (int i = 0; i < content.size(); i++) {
      JsonObject block = content.getJsonObject(i);
      String type = block.getString("type", "");
      switch (type) {
        case "text" -> text.append(block.getString("text", ""));
        case "tool_use" -> calls.add(new JsonObject().put("id", block.getString("id")).put("type", "function")
          .put("function", new JsonObject().put("name", block.getString("name"))
            .put("arguments", block.getJsonObject("input", new JsonObject()).encode())));
        default -> dropped.add(type + " blocks");
      }
    }
    JsonObject reply = new JsonObject().put("role", "assistant")
      .put("content", text.length() == 0 && !calls.isEmpty() ? null : text.toString()).put("refusal", null);
    if (!calls.isEmpty()) {
      reply.put("tool_calls", calls);
    }
    return OpenAiShapes.completion(message.getString("id", "msg"), OpenAiShapes.now(), message.getString("model", ""),
      reply, finishReason(message.getString("stop_reason")),
      usage(message.getJsonObject("usage", new JsonObject()), 0));
  }

  /** Anthropic's stop reason as OpenAI's finish reason. */
  static String finishReason(String stopReason) {
    if (stopReason == null) {
      return "stop";
    }
    return switch (stopReason) {
      case "max_tokens", "model_context_window_exceeded" -> "length";
      case "tool_use" -> "tool_calls";
      case "refusal" -> "content_filter";
      default -> "stop";
    };
  }

  /**
   * Anthropic counts cache reads and writes apart from {@code input_tokens}; OpenAI's {@code prompt_tokens} holds
   * them all.
   *
   * @param outputTokens used when {@code usage} has no {@code output_tokens}
   */
  static JsonObject usage(JsonObject usage, long outputTokens) {
    long input = count(usage, "input_tokens");
    long read = count(usage, "cache_read_input_tokens");
    long write = count(usage, "cache_creation_input_tokens");
    long output = usage.getValue("output_tokens") instanceof Number n ? n.longValue() : outputTokens;
    return OpenAiShapes.usage(input + read + write, output, read, write, 0);
  }

  private static long count(JsonObject usage, String field) {
    return usage.getValue(field) instanceof Number n ? Math.max(0, n.longValue()) : 0;
  }
}
