package io.switchboard.responses;

import io.switchboard.cost.Usage;
import io.switchboard.execute.StreamRelay;
import io.switchboard.openai.ApiError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an OpenAI chat stream into the Responses API's event sequence, chunk by chunk as the relay reads them:
 * {@code response.created} and {@code response.in_progress} with the first chunk; for the text a {@code message} item
 * ({@code response.output_item.added}, {@code response.content_part.added}, {@code response.output_text.delta}...),
 * closed when a tool call starts or the answer ends ({@code response.output_text.done},
 * {@code response.content_part.done}, {@code response.output_item.done}); for each tool call a {@code function_call}
 * item with {@code response.function_call_arguments.delta}, closed at the end ({@code ...arguments.done},
 * {@code response.output_item.done}). {@link #end} closes with {@code response.completed} (or
 * {@code response.incomplete}) carrying the whole response and its usage, {@link #failed} with
 * {@code response.failed}. Every event is {@code event: <type>} and a {@code data:} with its {@code type} and
 * {@code sequence_number}. One instance per stream, used on its event loop.
 */
public final class ResponseStream implements StreamRelay.Transform {

  private static final Buffer NOTHING = Buffer.buffer();

  /** One output item as it grows. */
  private static final class Item {
    final int index;
    final String id;
    final boolean message;
    final String callId;
    final String name;
    final StringBuilder text = new StringBuilder();
    boolean open = true;

    Item(int index, String id, boolean message, String callId, String name) {
      this.index = index;
      this.id = id;
      this.message = message;
      this.callId = callId;
      this.name = name;
    }

    JsonObject json(String status) {
      return message ? ResponseObjects.messageItem(id, text.toString(), status)
        : ResponseObjects.functionCallItem(id, callId, name, text.toString(), status);
    }
  }

  private final JsonObject shell;
  private final String itemBase;
  private final List<Item> items = new ArrayList<>();
  private final Map<Integer, Item> calls = new HashMap<>();
  private long sequence;
  private boolean started;
  private Item message;
  private String finishReason;
  private long reasoningTokens;
  private JsonObject response;

  /** @param shell the Response object before any output ({@link ResponseObjects#shell}) */
  public ResponseStream(JsonObject shell) {
    this.shell = shell;
    this.itemBase = ResponseObjects.itemBase(shell);
  }

  @Override
  public Buffer chunk(Buffer data) {
    JsonObject chunk = new JsonObject(data);
    if (chunk.getValue("usage") instanceof JsonObject usage) {
      reasoningTokens = ResponseObjects.reasoningTokens(usage);
    }
    if (!(chunk.getValue("choices") instanceof JsonArray choices) || choices.isEmpty()
      || !(choices.getValue(0) instanceof JsonObject choice)) {
      return NOTHING;   // the usage chunk: its figures reach end() through the relay
    }
    Buffer out = Buffer.buffer(256);
    start(out);
    JsonObject delta = choice.getValue("delta") instanceof JsonObject d ? d : new JsonObject();
    text(out, delta.getValue("content"));
    text(out, delta.getValue("refusal"));
    if (delta.getValue("tool_calls") instanceof JsonArray toolCalls) {
      for (int i = 0; i < toolCalls.size(); i++) {
        if (toolCalls.getValue(i) instanceof JsonObject call) {
          toolCall(out, call);
        }
      }
    }
    if (choice.getValue("finish_reason") instanceof String reason) {
      finishReason = reason;
    }
    return out;
  }

  /**
   * The closing events of a whole answer: every open item done, then {@code comment} (an SSE comment, or empty),
   * then {@code response.completed} (or {@code response.incomplete}) with the whole response.
   */
  public Buffer end(Usage usage, Buffer comment) {
    Buffer out = Buffer.buffer(1024);
    start(out);
    closeMessage(out);
    for (Item item : items) {
      if (item.open) {
        closeCall(out, item);
      }
    }
    JsonArray output = new JsonArray();
    items.forEach(item -> output.add(item.json(item.message ? ResponseObjects.status(finishReason) : "completed")));
    response = ResponseObjects.finished(shell, output, finishReason, ResponseObjects.usage(usage, reasoningTokens));
    out.appendBuffer(comment);
    event(out, response.getString("status").equals("completed") ? "response.completed" : "response.incomplete",
      new JsonObject().put("response", response));
    return out;
  }

  /** The finished Response object, once {@link #end} was called (null before). */
  public JsonObject response() {
    return response;
  }

  /** A failure after the stream started: {@code response.failed} with what was received so far; the stream ends. */
  public Buffer failed(ApiError error) {
    Buffer out = Buffer.buffer(512);
    start(out);
    JsonArray output = new JsonArray();
    items.forEach(item -> output.add(item.json("incomplete")));
    JsonObject failed = shell.copy().put("status", "failed").put("output", output)
      .put("error", new JsonObject().put("code", error.status() == 429 ? "rate_limit_exceeded" : "server_error")
        .put("message", error.message() + " (" + error.code() + ")"));
    event(out, "response.failed", new JsonObject().put("response", failed));
    return out;
  }

  /** A whole response (a cached answer) told as the events of a stream; {@code comment} goes before the last. */
  public static Buffer replay(JsonObject response, Buffer comment) {
    ResponseStream stream = new ResponseStream(response.copy().put("status", "in_progress")
      .put("output", new JsonArray()).putNull("usage").putNull("incomplete_details"));
    Buffer out = Buffer.buffer(1024);
    stream.start(out);
    JsonArray output = response.getJsonArray("output", new JsonArray());
    for (int i = 0; i < output.size(); i++) {
      JsonObject item = output.getJsonObject(i);
      if ("function_call".equals(item.getValue("type"))) {
        Item call = stream.open(out, false, item.getString("call_id"), item.getString("name"), item.getString("id"));
        stream.arguments(out, call, item.getString("arguments", ""));
        stream.closeCall(out, call);
      } else {
        JsonArray content = item.getJsonArray("content", new JsonArray());
        String text = content.isEmpty() ? "" : content.getJsonObject(0).getString("text", "");
        stream.text(out, text);
        stream.closeMessage(out, item.getString("status", "completed"));
      }
    }
    out.appendBuffer(comment);
    stream.event(out, "completed".equals(response.getValue("status")) ? "response.completed" : "response.incomplete",
      new JsonObject().put("response", response));
    return out;
  }

  private void start(Buffer out) {
    if (started) {
      return;
    }
    started = true;
    event(out, "response.created", new JsonObject().put("response", shell));
    event(out, "response.in_progress", new JsonObject().put("response", shell));
  }

  private void text(Buffer out, Object value) {
    if (!(value instanceof String text) || text.isEmpty()) {
      return;
    }
    if (message == null) {
      message = open(out, true, null, null, "msg_" + itemBase + "_" + items.size());
      event(out, "response.content_part.added", part(message).put("part", ResponseObjects.outputText("")));
    }
    message.text.append(text);
    event(out, "response.output_text.delta", part(message).put("delta", text).put("logprobs", new JsonArray()));
  }

  private void toolCall(Buffer out, JsonObject call) {
    int index = call.getValue("index") instanceof Integer i ? i : 0;
    JsonObject function = call.getValue("function") instanceof JsonObject f ? f : new JsonObject();
    Item item = calls.get(index);
    if (item == null) {
      closeMessage(out);   // text before a call is its own item; text after it starts a new one
      String callId = call.getValue("id") instanceof String s && !s.isEmpty() ? s : "call_" + index;
      item = open(out, false, callId, function.getString("name", ""), "fc_" + itemBase + "_" + items.size());
      calls.put(index, item);
    }
    if (function.getValue("arguments") instanceof String arguments && !arguments.isEmpty()) {
      arguments(out, item, arguments);
    }
  }

  private Item open(Buffer out, boolean isMessage, String callId, String name, String id) {
    Item item = new Item(items.size(), id, isMessage, callId, name);
    items.add(item);
    if (isMessage) {
      message = item;
    }
    JsonObject added = isMessage
      ? new JsonObject().put("id", id).put("type", "message").put("status", "in_progress").put("role", "assistant")
        .put("content", new JsonArray())
      : ResponseObjects.functionCallItem(id, callId, name, "", "in_progress");
    event(out, "response.output_item.added", new JsonObject().put("output_index", item.index).put("item", added));
    return item;
  }

  private void arguments(Buffer out, Item item, String fragment) {
    item.text.append(fragment);
    event(out, "response.function_call_arguments.delta", new JsonObject().put("item_id", item.id)
      .put("output_index", item.index).put("delta", fragment));
  }

  private void closeMessage(Buffer out) {
    closeMessage(out, ResponseObjects.status(finishReason));
  }

  private void closeMessage(Buffer out, String status) {
    if (message == null) {
      return;
    }
    Item item = message;
    message = null;
    item.open = false;
    String text = item.text.toString();
    event(out, "response.output_text.done", part(item).put("text", text).put("logprobs", new JsonArray()));
    event(out, "response.content_part.done", part(item).put("part", ResponseObjects.outputText(text)));
    event(out, "response.output_item.done", new JsonObject().put("output_index", item.index)
      .put("item", item.json(status)));
  }

  private void closeCall(Buffer out, Item item) {
    item.open = false;
    event(out, "response.function_call_arguments.done", new JsonObject().put("item_id", item.id)
      .put("output_index", item.index).put("name", item.name).put("arguments", item.text.toString()));
    event(out, "response.output_item.done", new JsonObject().put("output_index", item.index)
      .put("item", item.json("completed")));
  }

  private static JsonObject part(Item item) {
    return new JsonObject().put("item_id", item.id).put("output_index", item.index).put("content_index", 0);
  }

  private void event(Buffer out, String type, JsonObject data) {
    JsonObject event = new JsonObject().put("type", type).put("sequence_number", sequence++);
    data.forEach(field -> event.put(field.getKey(), field.getValue()));
    out.appendString("event: ").appendString(type).appendString("\ndata: ").appendBuffer(event.toBuffer())
      .appendString("\n\n");
  }
}
