package io.switchboard.cache;

import io.switchboard.cost.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * A whole non-streaming answer kept for replay, with what the request it answered was routed and billed as.
 *
 * @param completion the chat completion JSON, as the client got it
 * @param model      the configured model that answered
 * @param policy     the routing policy, empty when the client named a model
 * @param usage      what answering consumed; a hit saves what this would cost at the baseline model
 */
public record CachedAnswer(Buffer completion, String model, String policy, String taskType, String complexity,
                           Usage usage) {

  /** The same answer with its own bytes, for a cache that shares entries between event loops. */
  CachedAnswer copy() {
    return new CachedAnswer(completion.copy(), model, policy, taskType, complexity, usage);
  }

  /** The stored form: one JSON object, the completion nested in it. */
  Buffer toBuffer() {
    return new JsonObject()
      .put("model", model)
      .put("policy", policy)
      .put("task_type", taskType)
      .put("complexity", complexity)
      .put("usage", new JsonObject()
        .put("prompt_tokens", usage.promptTokens())
        .put("completion_tokens", usage.completionTokens())
        .put("cached_tokens", usage.cachedTokens())
        .put("cache_write_tokens", usage.cacheWriteTokens())
        .put("estimated", usage.estimated()))
      .put("completion", completion.toJsonObject())
      .toBuffer();
  }

  /** Reads {@link #toBuffer()}'s form; fails on anything else (an entry of an older or foreign writer). */
  static CachedAnswer fromBuffer(Buffer stored) {
    try {
      JsonObject json = stored.toJsonObject();
      JsonObject usage = json.getJsonObject("usage");
      JsonObject completion = json.getJsonObject("completion");
      String model = json.getString("model");
      if (usage != null && completion != null && model != null) {
        return new CachedAnswer(completion.toBuffer(), model, json.getString("policy", ""),
          json.getString("task_type", ""), json.getString("complexity", ""), new Usage(usage.getLong("prompt_tokens", 0L),
          usage.getLong("completion_tokens", 0L), usage.getLong("cached_tokens", 0L),
          usage.getLong("cache_write_tokens", 0L), usage.getBoolean("estimated", false)));
      }
    } catch (DecodeException | ClassCastException e) {
      // the parser's message quotes the stored text (prompts, answers): it must not reach a log
    }
    throw new IllegalArgumentException("not a cached answer");
  }
}
