package io.switchboard.escalate;

import io.switchboard.testkit.Behaviour;
import io.switchboard.testkit.FakeProvider;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** Upstream answers and client requests for the escalation tests. */
final class Answers {

  /** A tool whose {@code city} argument is a required string. */
  static final JsonArray WEATHER_TOOL = new JsonArray().add(new JsonObject().put("type", "function")
    .put("function", new JsonObject().put("name", "weather").put("parameters", new JsonObject().put("type", "object")
      .put("properties", new JsonObject().put("city", new JsonObject().put("type", "string")))
      .put("required", new JsonArray().add("city")))));

  private Answers() {
  }

  /** A 200 answer with this message and finish reason, and the fake's usual usage (12 in, 5 out). */
  static Behaviour raw(JsonObject message, String finishReason) {
    JsonObject completion = new JsonObject().put("id", "chatcmpl-raw").put("object", "chat.completion")
      .put("created", 1).put("model", "raw")
      .put("choices", new JsonArray().add(new JsonObject().put("index", 0)
        .put("message", message.put("role", "assistant")).put("finish_reason", finishReason)))
      .put("usage", new JsonObject().put("prompt_tokens", FakeProvider.PROMPT_TOKENS).put("completion_tokens", 5)
        .put("total_tokens", FakeProvider.PROMPT_TOKENS + 5));
    return Behaviour.ok().withRawBody(completion.encode());
  }

  static Behaviour text(String content) {
    return Behaviour.ok().withPieces(content);
  }

  static Behaviour toolCall(String arguments) {
    return raw(new JsonObject().putNull("content").put("tool_calls", new JsonArray().add(new JsonObject()
      .put("id", "call_1").put("type", "function")
      .put("function", new JsonObject().put("name", "weather").put("arguments", arguments)))), "tool_calls");
  }

  /** The text of a streamed answer: its content deltas joined. */
  static String streamedContent(List<String> events) {
    StringBuilder text = new StringBuilder();
    for (String event : events) {
      if (event.startsWith("data: {")) {
        JsonObject chunk = new JsonObject(event.substring("data: ".length()));
        for (Object choice : chunk.getJsonArray("choices", new JsonArray())) {
          String piece = ((JsonObject) choice).getJsonObject("delta", new JsonObject()).getString("content");
          if (piece != null) {
            text.append(piece);
          }
        }
      }
    }
    return text.toString();
  }

  /** The cost comment of a stream, as JSON. */
  static JsonObject costComment(List<String> events) {
    List<JsonObject> comments = new ArrayList<>();
    for (String event : events) {
      if (event.startsWith(": switchboard ")) {
        comments.add(new JsonObject(event.substring(": switchboard ".length())));
      }
    }
    if (comments.size() != 1) {
      throw new AssertionError("expected one cost comment, got " + comments.size());
    }
    return comments.get(0);
  }
}
