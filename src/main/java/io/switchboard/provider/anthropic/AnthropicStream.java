package io.switchboard.provider.anthropic;

import io.switchboard.execute.SseListener;
import io.switchboard.provider.OpenAiShapes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * Translates one Anthropic Messages event stream into OpenAI chat-completion chunks, event by event as they
 * arrive: text deltas become content, tool_use blocks and their {@code input_json_delta}s become tool calls,
 * message_delta the finish reason, message_stop the usage chunk and {@code [DONE]}. Thinking blocks are dropped
 * (logged once). For a same-dialect client, every upstream event is also passed on as it came
 * ({@link SseListener#passOn}), right after what it was read as. Confined to the relay's event loop.
 */
final class AnthropicStream implements SseListener {

  private static final Logger LOG = LoggerFactory.getLogger(AnthropicStream.class);

  private final SseListener sink;
  private final String provider;
  private final boolean passOn;
  /** Content block index to its OpenAI tool-call index; -1 for text, absent for dropped blocks. */
  private final Map<Integer, Integer> blocks = new HashMap<>();
  private String id = "msg";
  private String model = "";
  private final long created = OpenAiShapes.now();
  private int toolCalls;
  private JsonObject usage = new JsonObject();
  private boolean finished;
  private boolean stopped;
  private boolean loggedDrop;

  AnthropicStream(SseListener sink, String provider, boolean passOn) {
    this.sink = sink;
    this.provider = provider;
    this.passOn = passOn;
  }

  @Override
  public void onEvent(Buffer raw, Buffer data) {
    read(raw, data);
    if (passOn) {
      sink.passOn(raw);
    }
  }

  private void read(Buffer raw, Buffer data) {
    if (data == null) {
      return;
    }
    JsonObject event;
    try {
      event = new JsonObject(data);
    } catch (DecodeException e) {
      sink.onEvent(raw, data);
      return;
    }
    switch (event.getString("type", "")) {
      case "message_start" -> start(event.getJsonObject("message", new JsonObject()));
      case "content_block_start" -> blockStart(event.getInteger("index", 0), event.getJsonObject("content_block"));
      case "content_block_delta" -> delta(event.getInteger("index", 0), event.getJsonObject("delta", new JsonObject()));
      case "message_delta" -> messageDelta(event);
      case "message_stop" -> stop();
      case "error" -> {
        JsonObject error = event.getJsonObject("error", new JsonObject());
        OpenAiShapes.emit(sink, OpenAiShapes.error(error.getString("type", "api_error"),
          error.getString("message", "error")));
      }
      default -> {
        // ping, content_block_stop: nothing to say in OpenAI's format
      }
    }
  }

  private void start(JsonObject message) {
    id = message.getString("id", id);
    model = message.getString("model", model);
    if (message.getValue("usage") instanceof JsonObject u) {
      usage = u.copy();
    }
    emit(new JsonObject().put("role", "assistant").put("content", ""), null);
  }

  private void blockStart(int index, JsonObject block) {
    String type = block == null ? "" : block.getString("type", "");
    if (type.equals("text")) {
      blocks.put(index, -1);
      String text = block.getString("text", "");
      if (!text.isEmpty()) {
        emit(new JsonObject().put("content", text), null);
      }
    } else if (type.equals("tool_use")) {
      int call = toolCalls++;
      blocks.put(index, call);
      emit(toolCall(call, new JsonObject().put("id", block.getString("id")).put("type", "function")
        .put("function", new JsonObject().put("name", block.getString("name")).put("arguments", ""))), null);
    } else {
      dropped(type);
    }
  }

  private void delta(int index, JsonObject delta) {
    Integer call = blocks.get(index);
    if (call == null) {
      return;
    }
    switch (delta.getString("type", "")) {
      case "text_delta" -> emit(new JsonObject().put("content", delta.getString("text", "")), null);
      case "input_json_delta" -> emit(toolCall(call, new JsonObject()
        .put("function", new JsonObject().put("arguments", delta.getString("partial_json", "")))), null);
      default -> dropped(delta.getString("type", ""));
    }
  }

  /** A delta carrying one tool call (its index first, as OpenAI writes it) with {@code fields}. */
  private static JsonObject toolCall(int call, JsonObject fields) {
    JsonObject toolCall = new JsonObject().put("index", call);
    fields.forEach(field -> toolCall.put(field.getKey(), field.getValue()));
    return new JsonObject().put("tool_calls", new JsonArray().add(toolCall));
  }

  private void messageDelta(JsonObject event) {
    if (event.getValue("usage") instanceof JsonObject u) {
      usage.getMap().putAll(u.getMap());
    }
    JsonObject delta = event.getJsonObject("delta", new JsonObject());
    if (delta.containsKey("stop_reason") && !finished) {
      finished = true;
      OpenAiShapes.emit(sink, OpenAiShapes.chunk(id, created, model, new JsonObject(),
        AnthropicAnswer.finishReason(delta.getString("stop_reason"))));
    }
  }

  private void stop() {
    if (!stopped) {
      stopped = true;
      OpenAiShapes.emit(sink, OpenAiShapes.usageChunk(id, created, model, AnthropicAnswer.usage(usage, 0)));
      OpenAiShapes.done(sink);
    }
  }

  /** The stream ended without message_stop but after its finish: the usage is still known. */
  @Override
  public void onEnd() {
    if (finished && !stopped) {
      stopped = true;
      OpenAiShapes.emit(sink, OpenAiShapes.usageChunk(id, created, model, AnthropicAnswer.usage(usage, 0)));
    }
  }

  private void emit(JsonObject delta, String finishReason) {
    OpenAiShapes.emit(sink, OpenAiShapes.chunk(id, created, model, delta, finishReason));
  }

  private void dropped(String what) {
    if (!loggedDrop && !passOn) {   // passed on, nothing is lost for the client
      loggedDrop = true;
      LOG.debug("{} stream: dropped what OpenAI chat has no equivalent for: {}", provider, what);
    }
  }
}
