package io.switchboard.anthropic;

import io.switchboard.cost.Usage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * An OpenAI chat completion as an Anthropic message: text and refusals as {@code text} blocks, tool calls as
 * {@code tool_use} blocks, the finish reason as {@code stop_reason}, and the usage split as Anthropic reports it
 * ({@code input_tokens} without the cached prompt tokens, which are {@code cache_read_input_tokens} and
 * {@code cache_creation_input_tokens}).
 */
public final class MessageResponse {

  private MessageResponse() {
  }

  /** The message for the first choice of {@code completion}, with {@code usage} as the gateway accounted it. */
  public static JsonObject of(JsonObject completion, Usage usage, List<String> stopSequences) {
    JsonObject choice = firstChoice(completion);
    JsonObject message = choice.getValue("message") instanceof JsonObject m ? m : new JsonObject();
    JsonArray content = new JsonArray();
    if (message.getValue("content") instanceof String text && !text.isEmpty()) {
      content.add(text(text));
    } else if (message.getValue("content") instanceof JsonArray parts) {
      for (int i = 0; i < parts.size(); i++) {
        if (parts.getValue(i) instanceof JsonObject part && part.getValue("text") instanceof String text) {
          content.add(text(text));
        }
      }
    }
    if (message.getValue("refusal") instanceof String refusal && !refusal.isEmpty()) {
      content.add(text(refusal));
    }
    if (message.getValue("tool_calls") instanceof JsonArray calls) {
      for (int i = 0; i < calls.size(); i++) {
        if (calls.getValue(i) instanceof JsonObject call && call.getValue("function") instanceof JsonObject function) {
          content.add(new JsonObject().put("type", "tool_use").put("id", call.getString("id", "call_" + i))
            .put("name", function.getString("name", "")).put("input", input(function.getValue("arguments"))));
        }
      }
    }
    String stopSequence = stopSequence(choice, stopSequences);
    return new JsonObject()
      .put("id", messageId(completion.getValue("id")))
      .put("type", "message")
      .put("role", "assistant")
      .put("model", completion.getString("model", ""))
      .put("content", content)
      .put("stop_reason", stopReason(choice.getValue("finish_reason"), stopSequence))
      .put("stop_sequence", stopSequence)
      .put("usage", usage(usage));
  }

  static JsonObject firstChoice(JsonObject completion) {
    return completion.getValue("choices") instanceof JsonArray choices && !choices.isEmpty()
      && choices.getValue(0) instanceof JsonObject choice ? choice : new JsonObject();
  }

  /** OpenAI's finish reason as Anthropic's stop reason; a stop at one of the client's sequences is a stop_sequence. */
  static String stopReason(Object finishReason, String stopSequence) {
    if (stopSequence != null) {
      return "stop_sequence";
    }
    return switch (String.valueOf(finishReason)) {
      case "length" -> "max_tokens";
      case "tool_calls", "function_call" -> "tool_use";
      case "content_filter" -> "refusal";
      default -> "end_turn";
    };
  }

  /**
   * The stop sequence that ended the answer: OpenAI does not say, but vLLM-style servers name the matched string in
   * {@code stop_reason}; without that, a stop reads as a natural end.
   */
  static String stopSequence(JsonObject choice, List<String> stopSequences) {
    return "stop".equals(choice.getValue("finish_reason")) && choice.getValue("stop_reason") instanceof String matched
      && stopSequences.contains(matched) ? matched : null;
  }

  static JsonObject usage(Usage usage) {
    long cached = usage.cachedTokens();
    long written = usage.cacheWriteTokens();
    return new JsonObject()
      .put("input_tokens", Math.max(0, usage.promptTokens() - cached - written))
      .put("output_tokens", usage.completionTokens())
      .put("cache_creation_input_tokens", written)
      .put("cache_read_input_tokens", cached);
  }

  /** A tool call's arguments as the object Anthropic's {@code input} must be; text that is not one is kept whole. */
  static JsonObject input(Object arguments) {
    if (!(arguments instanceof String text) || text.isBlank()) {
      return new JsonObject();
    }
    try {
      return new JsonObject(text);
    } catch (RuntimeException notAnObject) {
      return new JsonObject().put("arguments", text);
    }
  }

  /** Anthropic message ids are {@code msg_} and word characters; the upstream's id is kept inside one. */
  static String messageId(Object upstreamId) {
    String id = upstreamId instanceof String s ? s.replaceAll("[^A-Za-z0-9_]", "") : "";
    return "msg_" + (id.isEmpty() ? "switchboard" : id.length() > 96 ? id.substring(0, 96) : id);
  }

  private static JsonObject text(String text) {
    return new JsonObject().put("type", "text").put("text", text);
  }
}
