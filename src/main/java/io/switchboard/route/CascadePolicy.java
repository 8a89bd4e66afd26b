package io.switchboard.route;

import io.switchboard.config.CascadeConfig;
import io.switchboard.config.PolicyConfig;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Tiers from cheapest to most capable: the first tier whose quality for the task reaches what the complexity
 * needs ({@link Capability#need}) answers, and the capable tiers after it are the escalation order. When no tier
 * is capable, the best of them answers.
 */
final class CascadePolicy implements Policy {

  private final PolicyConfig policy;
  private final CascadeConfig cascade;

  CascadePolicy(PolicyConfig policy) {
    this.policy = policy;
    this.cascade = policy.cascade().orElseThrow();
  }

  @Override
  public Choice choose(Situation s) {
    int need = Capability.need(s.complexity);
    List<String> capable = cascade.tiers().stream().filter(t -> s.quality(t) >= need).toList();
    List<String> eligible = new ArrayList<>(capable);
    cascade.tiers().stream()
      .filter(t -> !capable.contains(t))
      .sorted(Comparator.comparingInt(s::quality).reversed())
      .forEach(eligible::add);
    String work = " for " + s.complexity.wireName() + " " + s.task.wireName();
    String reason = capable.isEmpty()
      ? "cascade '" + policy.name() + "': no tier reaches quality " + need + work + ", so the best tier"
      : "cascade '" + policy.name() + "': '" + capable.get(0) + "' is the first tier with quality >= " + need + work;
    return new Choice(eligible, List.of(), cascade.tiers(), false, capable, List.of(reason), Map.of());
  }
}
