package io.switchboard.cost;

import io.switchboard.config.Prices;

/** Prices usage at a model's rates, in integer micro-dollars. */
public final class Pricing {

  private Pricing() {
  }

  public static long cost(Prices prices, Usage usage) {
    boolean longContext = prices.longContext(usage.promptTokens());
    long inputRate = longContext ? prices.longContextInput() : prices.input();
    long outputRate = longContext ? prices.longContextOutput() : prices.output();
    long cached = Math.min(usage.cachedTokens(), usage.promptTokens());
    long written = Math.min(usage.cacheWriteTokens(), usage.promptTokens() - cached);
    long fresh = usage.promptTokens() - cached - written;
    // rates are micro-dollars per million tokens: sum in that unit, divide once, round half up
    long perMillion = Math.addExact(Math.addExact(Math.multiplyExact(fresh, inputRate),
        Math.multiplyExact(cached, prices.cachedInput())),
      Math.addExact(Math.multiplyExact(written, prices.cacheWrite()), Math.multiplyExact(usage.completionTokens(), outputRate)));
    return (perMillion + 500_000) / 1_000_000;
  }

  /** Worst-case or expected cost of a call before it is made. */
  public static long estimate(Prices prices, long promptTokens, long outputTokens) {
    return cost(prices, new Usage(promptTokens, outputTokens, 0, 0, true));
  }
}
