package io.switchboard.cost;

import io.switchboard.config.Prices;

/** What a provider's prompt cache saved on one call: its cached prompt tokens at the input rate, less their cost. */
public final class CacheSavings {

  private CacheSavings() {
  }

  /** Micro-dollars; 0 for usage without cached tokens. */
  public static long of(Prices prices, Usage usage) {
    if (usage.cachedTokens() <= 0) {
      return 0;
    }
    Usage uncached = new Usage(usage.promptTokens(), usage.completionTokens(), 0, usage.cacheWriteTokens(),
      usage.estimated());
    return Math.max(0, Pricing.cost(prices, uncached) - Pricing.cost(prices, usage));
  }
}
