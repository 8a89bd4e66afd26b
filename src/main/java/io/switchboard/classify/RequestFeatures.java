package io.switchboard.classify;

import io.vertx.core.json.JsonObject;

/** Shape of a request, measured without any model. {@code promptTokens} is a jtokkit count (o200k_base). */
public record RequestFeatures(long promptTokens, int turns, boolean toolsPresent, int codeBlocks, int images,
                              boolean longContext) {

  /** Prompts above this many tokens count as long context. */
  public static final long LONG_CONTEXT_TOKENS = 32_000;

  public JsonObject toJson() {
    return new JsonObject()
      .put("prompt_tokens", promptTokens)
      .put("turns", turns)
      .put("tools_present", toolsPresent)
      .put("code_blocks", codeBlocks)
      .put("images", images)
      .put("long_context", longContext);
  }

  public static RequestFeatures fromJson(JsonObject json) {
    return new RequestFeatures(json.getLong("prompt_tokens", 0L), json.getInteger("turns", 0),
      json.getBoolean("tools_present", false), json.getInteger("code_blocks", 0), json.getInteger("images", 0),
      json.getBoolean("long_context", false));
  }
}
