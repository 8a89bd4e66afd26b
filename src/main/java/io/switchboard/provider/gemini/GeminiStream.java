package io.switchboard.provider.gemini;

import io.switchboard.execute.SseListener;
import io.switchboard.provider.DroppedFeatures;
import io.switchboard.provider.OpenAiShapes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Translates one Gemini {@code streamGenerateContent?alt=sse} stream into OpenAI chat-completion chunks as each
 * event arrives. Gemini has no end marker: the event with a finish reason (and the final usage) is the last, so
 * the usage chunk and {@code [DONE]} follow it, or follow the close of the stream if that event had no usage. A
 * stream cut before its finish stays incomplete. Confined to the relay's event loop.
 */
final class GeminiStream implements SseListener {

  private static final Logger LOG = LoggerFactory.getLogger(GeminiStream.class);

  private final SseListener sink;
  private final long created = OpenAiShapes.now();
  private final DroppedFeatures dropped = new DroppedFeatures();
  private String id;
  private String model = "";
  private int toolCalls;
  private JsonObject usage;
  private boolean finished;
  private boolean ended;

  GeminiStream(SseListener sink) {
    this.sink = sink;
  }

  @Override
  public void onEvent(Buffer raw, Buffer data) {
    if (data == null) {
      return;
    }
    JsonObject response;
    try {
      response = new JsonObject(data);
    } catch (DecodeException e) {
      sink.onEvent(raw, data);
      return;
    }
    if (response.getValue("error") instanceof JsonObject error) {
      OpenAiShapes.emit(sink, OpenAiShapes.error(error.getString("status", "api_error"),
        error.getString("message", "error")));
      return;
    }
    if (id == null) {
      id = GeminiAnswer.id(response);
      model = response.getString("modelVersion", model);
      emit(new JsonObject().put("role", "assistant").put("content", ""), null);
    }
    if (response.getValue("usageMetadata") instanceof JsonObject metadata) {
      usage = metadata;
    }
    if (finished) {
      return;   // only a late usage report can follow the finish
    }
    JsonObject candidate = GeminiAnswer.firstCandidate(response);
    StringBuilder text = new StringBuilder();
    JsonArray calls = new JsonArray();
    GeminiAnswer.collect(candidate, text, calls, dropped);
    if (text.length() > 0) {
      emit(new JsonObject().put("content", text.toString()), null);
    }
    for (int i = 0; i < calls.size(); i++) {
      emit(new JsonObject().put("tool_calls", new JsonArray().add(calls.getJsonObject(i).put("index", toolCalls++))),
        null);
    }
    String reason = candidate == null ? (response.containsKey("promptFeedback") ? "SAFETY" : null)
      : candidate.getString("finishReason");
    if (reason != null) {
      finished = true;
      emit(new JsonObject(), GeminiAnswer.finishReason(reason, toolCalls > 0));
      dropped.log(LOG, "gemini", "stream");
      if (response.containsKey("usageMetadata")) {
        end();   // the usage came with the finish, as Gemini sends it: the answer is whole
      }
    }
  }

  /** The stream closed: after a finish whose event had no usage, the last usage seen is the answer's. */
  @Override
  public void onEnd() {
    if (finished) {
      end();
    }
  }

  private void end() {
    if (!ended) {
      ended = true;
      OpenAiShapes.emit(sink, OpenAiShapes.usageChunk(id, created, model, GeminiAnswer.usage(usage)));
      OpenAiShapes.done(sink);
    }
  }

  private void emit(JsonObject delta, String finishReason) {
    OpenAiShapes.emit(sink, OpenAiShapes.chunk(id, created, model, delta, finishReason));
  }
}
