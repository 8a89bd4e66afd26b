package io.switchboard.config;

import java.util.List;
import java.util.Set;

/**
 * A scoring policy: every candidate gets {@code capability*wc + cost*wk + quality*wq + latency*wl + history*wh},
 * each factor 0-1, and the highest score wins.
 *
 * @param candidates the models scored; empty means every configured model
 */
public record ScoringConfig(List<String> candidates, double capability, double cost, double quality, double latency,
                            double history) {

  static final double DEFAULT_CAPABILITY = 0.35;
  static final double DEFAULT_COST = 0.20;
  static final double DEFAULT_QUALITY = 0.20;
  static final double DEFAULT_LATENCY = 0.15;
  static final double DEFAULT_HISTORY = 0.10;

  public ScoringConfig {
    candidates = List.copyOf(candidates);
  }

  static ScoringConfig from(ConfigReader policy) {
    ConfigReader w = policy.section("weights");
    w.allowOnly(Set.of("capability", "cost", "quality", "latency", "history"));
    ScoringConfig scoring = new ScoringConfig(policy.stringList("candidates"),
      w.doubleValue("capability", DEFAULT_CAPABILITY, 0, 1), w.doubleValue("cost", DEFAULT_COST, 0, 1),
      w.doubleValue("quality", DEFAULT_QUALITY, 0, 1), w.doubleValue("latency", DEFAULT_LATENCY, 0, 1),
      w.doubleValue("history", DEFAULT_HISTORY, 0, 1));
    double sum = scoring.capability + scoring.cost + scoring.quality + scoring.latency + scoring.history;
    if (Math.abs(sum - 1.0) > 0.001) {
      throw new ConfigException(w.path() + ": the five weights (capability, cost, quality, latency, history) must "
        + "add up to 1, got " + Math.round(sum * 1000) / 1000.0 + " (a weight not given is its default)");
    }
    return scoring;
  }
}
