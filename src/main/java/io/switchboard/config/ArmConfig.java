package io.switchboard.config;

import java.util.Set;

/**
 * One arm of an experiment: the routing policy its share of the traffic is routed by.
 *
 * @param weight relative share of the assignment keys (arms' weights need not add up to 100)
 */
public record ArmConfig(String name, String policy, double weight) {

  static ArmConfig from(String name, ConfigReader r) {
    r.allowOnly(Set.of("policy", "weight"));
    return new ArmConfig(name, r.requiredString("policy"), r.doubleValue("weight", 1, 0.001, 1_000_000));
  }
}
