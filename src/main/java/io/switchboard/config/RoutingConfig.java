package io.switchboard.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How requests are routed.
 *
 * @param baselineModel the model every cost is compared against ("what you would have paid")
 * @param defaultOutputTokens output size assumed in estimates when the request sets no {@code max_tokens}
 * @param economy economy mode; empty when off
 */
public record RoutingConfig(String baselineModel, String defaultPolicy, long classifyTimeoutMillis, long routeTimeoutMillis,
                            long defaultOutputTokens, Map<String, PolicyConfig> policies, Optional<EconomyConfig> economy,
                            DecisionCacheConfig decisionCache) {

  public RoutingConfig {
    policies = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(policies));
  }

  static RoutingConfig from(ConfigReader r) {
    r.allowOnly(Set.of("baseline_model", "default_policy", "classify_timeout_ms", "route_timeout_ms",
      "default_output_tokens", "policies", "economy", "decision_cache"));
    Map<String, PolicyConfig> policies = new LinkedHashMap<>();
    r.sections("policies").forEach((name, section) -> policies.put(name, PolicyConfig.from(name, section)));
    if (policies.isEmpty()) {
      throw new ConfigException(r.key("policies") + ": at least one policy is required");
    }
    String defaultPolicy = r.string("default_policy", policies.keySet().iterator().next());
    if (!policies.containsKey(defaultPolicy)) {
      throw new ConfigException(r.key("default_policy") + ": '" + defaultPolicy + "' is not a policy under routing.policies");
    }
    return new RoutingConfig(r.requiredString("baseline_model"), defaultPolicy,
      r.longValue("classify_timeout_ms", 200, 1, 60_000),
      r.longValue("route_timeout_ms", 200, 1, 60_000),
      r.longValue("default_output_tokens", 512, 1, 1_000_000),
      policies,
      r.has("economy") ? Optional.of(EconomyConfig.from(r.section("economy"))) : Optional.empty(),
      r.has("decision_cache") ? DecisionCacheConfig.from(r.section("decision_cache")) : DecisionCacheConfig.OFF);
  }

  /** Whether economy mode is on at this global budget utilization. */
  public boolean economyActive(double budgetUtilization) {
    return economy.isPresent() && economy.get().active(budgetUtilization);
  }
}
