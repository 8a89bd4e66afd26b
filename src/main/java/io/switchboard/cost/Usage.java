package io.switchboard.cost;

import io.vertx.core.json.JsonObject;

/**
 * Tokens one upstream call consumed. {@code promptTokens} includes the cached ones, as OpenAI reports it.
 *
 * @param estimated true when the provider did not report usage and the gateway counted it itself
 */
public record Usage(long promptTokens, long completionTokens, long cachedTokens, long cacheWriteTokens, boolean estimated) {

  public static final Usage NONE = new Usage(0, 0, 0, 0, false);
  /** No real call uses more tokens than this; a provider reporting more is not believed past it. */
  static final long MAX_TOKENS = 100_000_000;

  /**
   * Reads an OpenAI-style {@code usage} object; null when absent or malformed. Besides OpenAI's
   * {@code prompt_tokens_details.cached_tokens} it reads DeepSeek's {@code prompt_cache_hit_tokens} and the
   * {@code cache_read_input_tokens} / {@code cache_creation_input_tokens} that the gateway's Anthropic translation
   * (and LiteLLM-style proxies) report, so cache writes are priced at their own rate.
   */
  public static Usage fromOpenAi(JsonObject usage) {
    if (usage == null || !(usage.getValue("prompt_tokens") instanceof Number prompt)) {
      return null;
    }
    long completion = usage.getValue("completion_tokens") instanceof Number n ? n.longValue() : 0;
    long cached = 0;
    if (usage.getValue("prompt_tokens_details") instanceof JsonObject details
      && details.getValue("cached_tokens") instanceof Number n) {
      cached = n.longValue();
    } else if (usage.getValue("prompt_cache_hit_tokens") instanceof Number n) {
      cached = n.longValue();
    } else if (usage.getValue("cache_read_input_tokens") instanceof Number n) {
      cached = n.longValue();
    }
    long written = usage.getValue("cache_creation_input_tokens") instanceof Number n ? n.longValue() : 0;
    return new Usage(clamp(prompt.longValue()), clamp(completion), clamp(cached), clamp(written), false);
  }

  private static long clamp(long tokens) {
    return Math.max(0, Math.min(MAX_TOKENS, tokens));
  }

  public long totalTokens() {
    return promptTokens + completionTokens;
  }
}
