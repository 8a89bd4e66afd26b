package io.switchboard.anthropic;

import io.switchboard.cost.Usage;
import io.switchboard.execute.StreamRelay;
import io.switchboard.openai.ApiError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns an OpenAI chat stream into Anthropic's event sequence, chunk by chunk as the relay reads them:
 * {@code message_start} and a {@code ping} with the first chunk, then for each run of text and each tool call a
 * {@code content_block_start}, its {@code text_delta} or {@code input_json_delta} deltas and a
 * {@code content_block_stop}; {@link #end} closes with {@code message_delta} (stop reason and usage) and
 * {@code message_stop}, {@link #error} with an {@code error} event. One instance per stream, used on its event loop.
 */
public final class StreamTranslation implements StreamRelay.Transform {

  private static final Buffer NOTHING = Buffer.buffer();

  private final List<String> stopSequences;
  private final long estimatedInputTokens;
  private final String fallbackId;
  private final Set<Integer> toolsSeen = new HashSet<>();
  private boolean started;
  private int blocks;
  /** The open block: none, a text block, or the tool call with this OpenAI index. */
  private boolean textOpen;
  private int openTool = -1;
  private Object finishReason;
  private String stopSequence;
  private boolean droppedFragments;

  /**
   * @param estimatedInputTokens the gateway's count of the prompt, for {@code message_start} (the exact figure comes
   *                             with {@code message_delta})
   * @param fallbackId names the message when the upstream's chunks carry no id
   */
  public StreamTranslation(List<String> stopSequences, long estimatedInputTokens, String fallbackId) {
    this.stopSequences = stopSequences;
    this.estimatedInputTokens = estimatedInputTokens;
    this.fallbackId = fallbackId;
  }

  @Override
  public Buffer chunk(Buffer data) {
    JsonObject chunk = new JsonObject(data);
    if (!(chunk.getValue("choices") instanceof JsonArray choices) || choices.isEmpty()
      || !(choices.getValue(0) instanceof JsonObject choice)) {
      return NOTHING;   // the usage chunk: its figures reach end() through the relay
    }
    Buffer out = Buffer.buffer(256);
    start(out, chunk);
    JsonObject delta = choice.getValue("delta") instanceof JsonObject d ? d : new JsonObject();
    text(out, delta.getValue("content"));
    text(out, delta.getValue("refusal"));
    if (delta.getValue("tool_calls") instanceof JsonArray calls) {
      for (int i = 0; i < calls.size(); i++) {
        if (calls.getValue(i) instanceof JsonObject call) {
          toolCall(out, call);
        }
      }
    }
    if (choice.getValue("finish_reason") != null) {
      finishReason = choice.getValue("finish_reason");
      stopSequence = MessageResponse.stopSequence(choice, stopSequences);
    }
    return out;
  }

  /** True when fragments of a tool call arrived after its block was closed (interleaved calls) and were left out. */
  public boolean droppedFragments() {
    return droppedFragments;
  }

  /** The closing events of a whole answer; {@code comment} (an SSE comment, or empty) goes before message_stop. */
  public Buffer end(Usage usage, Buffer comment) {
    Buffer out = Buffer.buffer(512);
    start(out, new JsonObject());
    closeBlock(out);
    event(out, "message_delta", new JsonObject().put("type", "message_delta")
      .put("delta", new JsonObject().put("stop_reason", MessageResponse.stopReason(finishReason, stopSequence))
        .put("stop_sequence", stopSequence))
      .put("usage", MessageResponse.usage(usage)));
    out.appendBuffer(comment);
    event(out, "message_stop", new JsonObject().put("type", "message_stop"));
    return out;
  }

  /** A whole message (a cached answer) told as the events of a stream; {@code comment} goes before message_stop. */
  public static Buffer replay(JsonObject message, Buffer comment) {
    Buffer out = Buffer.buffer(1024);
    JsonObject usage = message.getJsonObject("usage", new JsonObject());
    JsonObject start = message.copy().put("content", new JsonArray()).putNull("stop_reason").putNull("stop_sequence")
      .put("usage", usage.copy().put("output_tokens", 0));
    event(out, "message_start", new JsonObject().put("type", "message_start").put("message", start));
    event(out, "ping", new JsonObject().put("type", "ping"));
    JsonArray content = message.getJsonArray("content", new JsonArray());
    for (int i = 0; i < content.size(); i++) {
      JsonObject block = content.getJsonObject(i);
      boolean tool = "tool_use".equals(block.getValue("type"));
      JsonObject empty = tool ? block.copy().put("input", new JsonObject()) : block.copy().put("text", "");
      event(out, "content_block_start", new JsonObject().put("type", "content_block_start").put("index", i)
        .put("content_block", empty));
      JsonObject delta = tool
        ? new JsonObject().put("type", "input_json_delta").put("partial_json", block.getJsonObject("input").encode())
        : new JsonObject().put("type", "text_delta").put("text", block.getString("text", ""));
      event(out, "content_block_delta", new JsonObject().put("type", "content_block_delta").put("index", i)
        .put("delta", delta));
      event(out, "content_block_stop", new JsonObject().put("type", "content_block_stop").put("index", i));
    }
    event(out, "message_delta", new JsonObject().put("type", "message_delta")
      .put("delta", new JsonObject().put("stop_reason", message.getValue("stop_reason"))
        .put("stop_sequence", message.getValue("stop_sequence")))
      .put("usage", usage));
    out.appendBuffer(comment);
    event(out, "message_stop", new JsonObject().put("type", "message_stop"));
    return out;
  }

  /** An in-band error: the stream ends after it, without message_stop. */
  public static Buffer error(ApiError error) {
    return AnthropicErrors.sseEvent(error);
  }

  private void start(Buffer out, JsonObject chunk) {
    if (started) {
      return;
    }
    started = true;
    String id = chunk.getValue("id") instanceof String s ? MessageResponse.messageId(s) : fallbackId;
    JsonObject message = new JsonObject().put("id", id).put("type", "message").put("role", "assistant")
      .put("model", chunk.getString("model", "")).put("content", new JsonArray())
      .putNull("stop_reason").putNull("stop_sequence")
      .put("usage", new JsonObject().put("input_tokens", estimatedInputTokens).put("output_tokens", 0)
        .put("cache_creation_input_tokens", 0).put("cache_read_input_tokens", 0));
    event(out, "message_start", new JsonObject().put("type", "message_start").put("message", message));
    event(out, "ping", new JsonObject().put("type", "ping"));
  }

  private void text(Buffer out, Object value) {
    if (!(value instanceof String text) || text.isEmpty()) {
      return;
    }
    if (!textOpen) {
      closeBlock(out);
      textOpen = true;
      event(out, "content_block_start", new JsonObject().put("type", "content_block_start").put("index", blocks)
        .put("content_block", new JsonObject().put("type", "text").put("text", "")));
    }
    event(out, "content_block_delta", new JsonObject().put("type", "content_block_delta").put("index", blocks)
      .put("delta", new JsonObject().put("type", "text_delta").put("text", text)));
  }

  private void toolCall(Buffer out, JsonObject call) {
    int index = call.getValue("index") instanceof Integer i ? i : 0;
    JsonObject function = call.getValue("function") instanceof JsonObject f ? f : new JsonObject();
    if (index != openTool) {
      if (!toolsSeen.add(index)) {
        droppedFragments = true;   // Anthropic blocks cannot interleave: a closed block cannot take more input
        return;
      }
      closeBlock(out);
      openTool = index;
      String id = call.getValue("id") instanceof String s && !s.isEmpty() ? s : "call_" + index;
      event(out, "content_block_start", new JsonObject().put("type", "content_block_start").put("index", blocks)
        .put("content_block", new JsonObject().put("type", "tool_use").put("id", id)
          .put("name", function.getString("name", "")).put("input", new JsonObject())));
    }
    if (function.getValue("arguments") instanceof String arguments && !arguments.isEmpty()) {
      event(out, "content_block_delta", new JsonObject().put("type", "content_block_delta").put("index", blocks)
        .put("delta", new JsonObject().put("type", "input_json_delta").put("partial_json", arguments)));
    }
  }

  private void closeBlock(Buffer out) {
    if (textOpen || openTool >= 0) {
      event(out, "content_block_stop", new JsonObject().put("type", "content_block_stop").put("index", blocks));
      blocks++;
      textOpen = false;
      openTool = -1;
    }
  }

  static void event(Buffer out, String type, JsonObject data) {
    out.appendString("event: ").appendString(type).appendString("\ndata: ").appendBuffer(data.toBuffer())
      .appendString("\n\n");
  }
}
