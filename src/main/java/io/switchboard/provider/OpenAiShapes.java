package io.switchboard.provider;

import io.switchboard.execute.SseListener;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Builds the OpenAI chat-completion shapes that answers of other dialects are translated into. */
public final class OpenAiShapes {

  private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

  private OpenAiShapes() {
  }

  /** A non-streaming completion with one choice. */
  public static JsonObject completion(String id, long created, String model, JsonObject message, String finishReason,
                                      JsonObject usage) {
    return new JsonObject().put("id", id).put("object", "chat.completion").put("created", created).put("model", model)
      .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("message", message)
        .put("logprobs", null).put("finish_reason", finishReason)))
      .put("usage", usage);
  }

  /** One chunk of choice 0; {@code finishReason} null while the answer goes on. */
  public static JsonObject chunk(String id, long created, String model, JsonObject delta, String finishReason) {
    return new JsonObject().put("id", id).put("object", "chat.completion.chunk").put("created", created)
      .put("model", model).put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("delta", delta)
        .put("logprobs", null).put("finish_reason", finishReason)));
  }

  /** The usage-only chunk that ends an OpenAI stream when {@code include_usage} was asked. */
  public static JsonObject usageChunk(String id, long created, String model, JsonObject usage) {
    return new JsonObject().put("id", id).put("object", "chat.completion.chunk").put("created", created)
      .put("model", model).put("choices", new JsonArray()).put("usage", usage);
  }

  /**
   * OpenAI usage. {@code prompt} counts every input token, cached ones included; cache reads are also given as
   * {@code prompt_tokens_details.cached_tokens}, and both cache counts under the names Anthropic uses, which the
   * gateway's cost accounting reads ({@link io.switchboard.cost.Usage#fromOpenAi}).
   */
  public static JsonObject usage(long prompt, long completion, long cacheRead, long cacheWrite, long reasoning) {
    JsonObject usage = new JsonObject().put("prompt_tokens", prompt).put("completion_tokens", completion)
      .put("total_tokens", prompt + completion)
      .put("prompt_tokens_details", new JsonObject().put("cached_tokens", cacheRead));
    if (reasoning > 0) {
      usage.put("completion_tokens_details", new JsonObject().put("reasoning_tokens", reasoning));
    }
    if (cacheRead > 0 || cacheWrite > 0) {
      usage.put("cache_read_input_tokens", cacheRead).put("cache_creation_input_tokens", cacheWrite);
    }
    return usage;
  }

  /** An in-band OpenAI-style error, which ends a relayed stream as cut. */
  public static JsonObject error(String type, String message) {
    return new JsonObject().put("error", new JsonObject().put("message", message).put("type", type)
      .put("param", null).put("code", null));
  }

  /** Hands {@code json} to {@code sink} as one {@code data:} event. */
  public static void emit(SseListener sink, JsonObject json) {
    Buffer data = json.toBuffer();
    Buffer raw = Buffer.buffer(data.length() + 8).appendString("data: ").appendBuffer(data).appendString("\n\n");
    sink.onEvent(raw, raw.slice(6, 6 + data.length()));
  }

  /** Hands {@code data: [DONE]} to {@code sink}. */
  public static void done(SseListener sink) {
    sink.onEvent(DONE, DONE.slice(6, 12));
  }

  /** Seconds since the epoch, for {@code created}. */
  public static long now() {
    return System.currentTimeMillis() / 1_000;
  }
}
