package io.switchboard.config;

import java.util.Set;

/**
 * Prices of one model, held as micro-dollars per million tokens, so that a price quoted in dollars per
 * million tokens is exactly micro-dollars per token and all arithmetic stays in integers.
 *
 * @param longContextThreshold prompt size (tokens) above which the {@code longContext*} prices apply; 0 = never
 */
public record Prices(long input, long output, long cachedInput, long cacheWrite,
                     long longContextThreshold, long longContextInput, long longContextOutput) {

  /** Highest accepted price: with token counts capped at 10^8, every cost then fits a {@code long}. */
  static final double MAX_USD_PER_MILLION = 10_000;

  static Prices from(ConfigReader r) {
    r.allowOnly(Set.of("input", "output", "cached_input", "cache_write", "long_context"));
    long input = micros(r, "input", -1);
    long output = micros(r, "output", -1);
    ConfigReader tier = r.section("long_context");
    tier.allowOnly(Set.of("threshold", "input", "output"));
    long threshold = tier.longValue("threshold", 0, 0, 100_000_000);
    return new Prices(input, output, micros(r, "cached_input", input), micros(r, "cache_write", input), threshold,
      threshold == 0 ? input : micros(tier, "input", input), threshold == 0 ? output : micros(tier, "output", output));
  }

  private static long micros(ConfigReader r, String key, long fallback) {
    if (fallback < 0 && !r.has(key)) {
      throw new ConfigException(r.key(key) + ": is required (USD per million tokens)");
    }
    if (!r.has(key)) {
      return fallback;
    }
    return Math.round(r.doubleValue(key, 0, 0, MAX_USD_PER_MILLION) * 1_000_000);
  }

  public boolean longContext(long promptTokens) {
    return longContextThreshold > 0 && promptTokens > longContextThreshold;
  }
}
