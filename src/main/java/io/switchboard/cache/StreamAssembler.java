package io.switchboard.cache;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Rebuilds the chat completion a stream told piece by piece, so a streamed answer can be cached like a JSON one:
 * string fields of the deltas are concatenated (content, reasoning, refusal), tool calls are merged by their index
 * (arguments concatenated), and the finish reason and usage are kept. It gives up, and nothing is stored, once the
 * rebuilt text passes {@code maxChars}, or on anything it cannot rebuild faithfully (token logprobs, a chunk that
 * is not JSON). One instance per upstream try; not thread-safe (it lives on the relay's event loop).
 */
public final class StreamAssembler {

  private static final class Choice {
    final Map<String, Object> message = new TreeMap<>();
    final Map<Integer, JsonObject> toolCalls = new TreeMap<>();
    Object finishReason;
  }

  private final long maxChars;
  private final Map<Integer, Choice> choices = new TreeMap<>();
  private JsonObject head;
  private JsonObject usage;
  private long chars;
  private boolean failed;

  public StreamAssembler(long maxChars) {
    this.maxChars = maxChars;
  }

  /** Takes the JSON payload of one streamed chunk. */
  public void add(Buffer data) {
    if (failed) {
      return;
    }
    try {
      JsonObject chunk = new JsonObject(data);
      if (head == null) {
        head = chunk;
      }
      if (chunk.getValue("usage") instanceof JsonObject reported) {
        usage = reported;
      }
      JsonArray deltas = chunk.getJsonArray("choices", new JsonArray());
      for (int i = 0; i < deltas.size(); i++) {
        addChoice(deltas.getJsonObject(i));
      }
      if (chars > maxChars) {
        fail();
      }
    } catch (DecodeException | ClassCastException e) {
      fail();
    }
  }

  private void addChoice(JsonObject delta) {
    if (delta.getValue("logprobs") != null) {
      fail();
      return;
    }
    Choice choice = choices.computeIfAbsent(delta.getInteger("index", 0), i -> new Choice());
    if (delta.getValue("finish_reason") != null) {
      choice.finishReason = delta.getValue("finish_reason");
    }
    JsonObject fields = delta.getJsonObject("delta", new JsonObject());
    for (String field : fields.fieldNames()) {
      Object value = fields.getValue(field);
      if (value == null) {
        continue;
      }
      if (field.equals("tool_calls")) {
        JsonArray calls = (JsonArray) value;
        for (int k = 0; k < calls.size(); k++) {
          addToolCall(choice, calls.getJsonObject(k), k);
        }
      } else if (value instanceof String text && !field.equals("role")) {
        chars += text.length();
        choice.message.merge(field, text, (old, more) -> old + (String) more);
      } else {
        choice.message.put(field, value);
      }
    }
  }

  private void addToolCall(Choice choice, JsonObject piece, int position) {
    JsonObject call = choice.toolCalls.computeIfAbsent(piece.getInteger("index", position),
      i -> new JsonObject().put("function", new JsonObject().put("name", "").put("arguments", "")));
    for (String field : piece.fieldNames()) {
      if (field.equals("function") && piece.getValue(field) instanceof JsonObject function) {
        JsonObject merged = call.getJsonObject("function");
        for (String part : function.fieldNames()) {
          if (function.getValue(part) instanceof String text) {
            chars += text.length();
            merged.put(part, merged.getString(part, "") + text);
          }
        }
      } else if (!field.equals("index") && piece.getValue(field) != null) {
        call.put(field, piece.getValue(field));
      }
    }
  }

  private void fail() {
    failed = true;
    choices.clear();
    head = null;
  }

  /** The whole completion, when every choice finished and nothing made the assembler give up. */
  public Optional<JsonObject> completion() {
    if (failed || head == null || choices.isEmpty()
      || choices.values().stream().anyMatch(choice -> choice.finishReason == null)) {
      return Optional.empty();
    }
    JsonArray assembled = new JsonArray();
    choices.forEach((index, choice) -> {
      JsonObject message = new JsonObject().put("role", "assistant");
      choice.message.forEach(message::put);
      if (!message.containsKey("content")) {
        message.putNull("content");
      }
      if (!choice.toolCalls.isEmpty()) {
        message.put("tool_calls", new JsonArray(choice.toolCalls.values().stream().toList()));
      }
      assembled.add(new JsonObject().put("index", index).put("message", message)
        .put("finish_reason", choice.finishReason));
    });
    JsonObject completion = new JsonObject()
      .put("id", head.getValue("id"))
      .put("object", "chat.completion")
      .put("created", head.getValue("created"))
      .put("model", head.getValue("model"));
    if (head.getValue("system_fingerprint") != null) {
      completion.put("system_fingerprint", head.getValue("system_fingerprint"));
    }
    completion.put("choices", assembled);
    if (usage != null) {
      completion.put("usage", usage);
    }
    return Optional.of(completion);
  }
}
