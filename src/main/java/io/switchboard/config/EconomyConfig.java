package io.switchboard.config;

import java.util.Set;

/**
 * Economy mode: once the spent share of the tightest global budget reaches {@code utilizationThreshold}, every
 * policy routes one tier cheaper, except rules marked {@code no_compromise}.
 */
public record EconomyConfig(double utilizationThreshold) {

  static EconomyConfig from(ConfigReader r) {
    r.allowOnly(Set.of("utilization_threshold"));
    return new EconomyConfig(r.doubleValue("utilization_threshold", 0.8, 0.01, 1));
  }

  public boolean active(double budgetUtilization) {
    return budgetUtilization >= utilizationThreshold;
  }
}
