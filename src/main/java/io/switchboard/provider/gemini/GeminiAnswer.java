package io.switchboard.provider.gemini;

import io.switchboard.provider.DroppedFeatures;
import io.switchboard.provider.OpenAiShapes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.ThreadLocalRandom;

/** A Gemini {@code GenerateContentResponse} as an OpenAI chat completion; thought parts are dropped. */
final class GeminiAnswer {

  private GeminiAnswer() {
  }

  static JsonObject translate(JsonObject response, DroppedFeatures dropped) {
    if (!(response.getValue("candidates") instanceof JsonArray) && !response.containsKey("promptFeedback")) {
      throw new IllegalArgumentException("not a Gemini answer");
    }
    JsonObject candidate = firstCandidate(response);
    StringBuilder text = new StringBuilder();
    JsonArray calls = new JsonArray();
    collect(candidate, text, calls, dropped);
    JsonObject message = new JsonObject().put("role", "assistant")
      .put("content", text.length() == 0 && !calls.isEmpty() ? null : text.toString()).put("refusal", null);
    if (!calls.isEmpty()) {
      message.put("tool_calls", calls);
    }
    String finish = candidate == null ? "content_filter"
      : finishReason(candidate.getString("finishReason"), !calls.isEmpty());
    return OpenAiShapes.completion(id(response), OpenAiShapes.now(), response.getString("modelVersion", ""), message,
      finish, usage(response.getJsonObject("usageMetadata")));
  }

  static JsonObject firstCandidate(JsonObject response) {
    return response.getValue("candidates") instanceof JsonArray candidates && !candidates.isEmpty()
      && candidates.getValue(0) instanceof JsonObject first ? first : null;
  }

  /** Appends the candidate's text and function calls (each with a fresh id: Gemini keys calls by name). */
  static void collect(JsonObject candidate, StringBuilder text, JsonArray calls, DroppedFeatures dropped) {
    if (candidate == null || !(candidate.getValue("content") instanceof JsonObject content)
      || !(content.getValue("parts") instanceof JsonArray parts)) {
      return;
    }
    for (int i = 0; i < parts.size(); i++) {
      JsonObject part = parts.getJsonObject(i);
      if (Boolean.TRUE.equals(part.getValue("thought"))) {
        dropped.add("thought parts");
      } else if (part.getValue("text") instanceof String s) {
        text.append(s);
      } else if (part.getValue("functionCall") instanceof JsonObject call) {
        String id = call.getValue("id") instanceof String given ? given
          : "call_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        calls.add(new JsonObject().put("id", id).put("type", "function").put("function", new JsonObject()
          .put("name", call.getString("name"))
          .put("arguments", call.getJsonObject("args", new JsonObject()).encode())));
      } else {
        dropped.add(part.fieldNames().stream().findFirst().orElse("empty") + " parts");
      }
    }
  }

  static String finishReason(String reason, boolean toolCalls) {
    if (reason == null) {
      return toolCalls ? "tool_calls" : "stop";
    }
    return switch (reason) {
      case "MAX_TOKENS" -> "length";
      case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY" -> "content_filter";
      default -> toolCalls ? "tool_calls" : "stop";
    };
  }

  /** Gemini's prompt count holds the cached tokens; thinking tokens are billed as output. */
  static JsonObject usage(JsonObject metadata) {
    JsonObject m = metadata == null ? new JsonObject() : metadata;
    long prompt = count(m, "promptTokenCount") + count(m, "toolUsePromptTokenCount");
    long thoughts = count(m, "thoughtsTokenCount");
    return OpenAiShapes.usage(prompt, count(m, "candidatesTokenCount") + thoughts, count(m, "cachedContentTokenCount"),
      0, thoughts);
  }

  static String id(JsonObject response) {
    return response.getValue("responseId") instanceof String id ? "gemini-" + id : "gemini";
  }

  private static long count(JsonObject metadata, String field) {
    return metadata.getValue(field) instanceof Number n ? Math.max(0, n.longValue()) : 0;
  }
}
