package io.switchboard.replay;

import io.switchboard.config.GatewayConfig;
import io.switchboard.config.ModelConfig;
import io.switchboard.config.Prices;

/**
 * What an answer costs at the configuration's prices, in pico-dollars (tokens x micro-dollars per million tokens):
 * exact integers, so that sums over thousands of cheap prompts are not skewed by rounding each one.
 */
final class Costs {

  private final GatewayConfig config;
  private final long assumedOutputTokens;

  Costs(GatewayConfig config, long assumedOutputTokens) {
    this.config = config;
    this.assumedOutputTokens = assumedOutputTokens;
  }

  long picoUsd(Replayed prompt, String model) {
    ModelConfig m = config.models().get(model);
    if (m == null) {
      throw new ReplayException("model '" + model + "' has no price in the configuration");
    }
    Prices prices = m.prices();
    long in = prompt.promptTokens();
    boolean longContext = prices.longContext(in);
    long inputRate = longContext ? prices.longContextInput() : prices.input();
    long outputRate = longContext ? prices.longContextOutput() : prices.output();
    return Math.addExact(Math.multiplyExact(in, inputRate),
      Math.multiplyExact(prompt.outputTokens(model, assumedOutputTokens), outputRate));
  }

  static double usd(long picoUsd) {
    return picoUsd / 1e12;
  }
}
