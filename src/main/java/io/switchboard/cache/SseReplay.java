package io.switchboard.cache;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * A whole chat completion told again as the SSE chunks a provider would have streamed: per choice a role chunk,
 * a chunk with any other message fields (reasoning, refusal...), the content, the tool calls, and a finish chunk;
 * then the usage chunk when the client asked for one. The terminal {@code data: [DONE]} is the caller's.
 */
public final class SseReplay {

  /** Message fields streamed in chunks of their own. */
  private static final Set<String> OWN_CHUNKS = Set.of("role", "content", "tool_calls");

  private SseReplay() {
  }

  public static Buffer events(JsonObject completion, boolean includeUsage) {
    Buffer out = Buffer.buffer(1024);
    JsonArray choices = completion.getJsonArray("choices", new JsonArray());
    for (int i = 0; i < choices.size(); i++) {
      JsonObject choice = choices.getJsonObject(i);
      int index = choice.getInteger("index", i);
      JsonObject message = choice.getJsonObject("message", new JsonObject());
      Object content = message.getValue("content");
      JsonObject role = new JsonObject().put("role", message.getString("role", "assistant"));
      event(out, completion, index, content instanceof String ? role.put("content", "") : role, null);
      JsonObject other = new JsonObject();
      message.forEach(field -> {
        if (!OWN_CHUNKS.contains(field.getKey()) && field.getValue() != null) {
          other.put(field.getKey(), field.getValue());
        }
      });
      if (!other.isEmpty()) {
        event(out, completion, index, other, null);
      }
      if (content instanceof String text && !text.isEmpty()) {
        event(out, completion, index, new JsonObject().put("content", text), null);
      }
      JsonArray toolCalls = message.getJsonArray("tool_calls");
      if (toolCalls != null && !toolCalls.isEmpty()) {
        JsonArray indexed = new JsonArray();
        for (int k = 0; k < toolCalls.size(); k++) {
          indexed.add(toolCalls.getJsonObject(k).copy().put("index", k));
        }
        event(out, completion, index, new JsonObject().put("tool_calls", indexed), null);
      }
      event(out, completion, index, new JsonObject(), choice.getValue("finish_reason"));
    }
    JsonObject usage = completion.getJsonObject("usage");
    if (includeUsage && usage != null) {
      write(out, chunk(completion).put("choices", new JsonArray()).put("usage", usage));
    }
    return out;
  }

  private static void event(Buffer out, JsonObject completion, int index, JsonObject delta, Object finishReason) {
    write(out, chunk(completion).put("choices", new JsonArray().add(new JsonObject()
      .put("index", index).put("delta", delta).put("finish_reason", finishReason))));
  }

  private static JsonObject chunk(JsonObject completion) {
    JsonObject chunk = new JsonObject()
      .put("id", completion.getValue("id"))
      .put("object", "chat.completion.chunk")
      .put("created", completion.getValue("created"))
      .put("model", completion.getValue("model"));
    Object fingerprint = completion.getValue("system_fingerprint");
    if (fingerprint != null) {
      chunk.put("system_fingerprint", fingerprint);
    }
    return chunk;
  }

  private static void write(Buffer out, JsonObject chunk) {
    out.appendString("data: ").appendBuffer(chunk.toBuffer()).appendString("\n\n");
  }
}
