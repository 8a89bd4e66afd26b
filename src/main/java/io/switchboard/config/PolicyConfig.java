package io.switchboard.config;

import io.switchboard.classify.TaskType;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/** A routing policy, selected by its name as the request's model (for example {@code auto:cost}). */
public record PolicyConfig(String name, String description, RoutingRule defaultRule, Map<TaskType, RoutingRule> rules) {

  public PolicyConfig {
    rules = Map.copyOf(rules);
  }

  static PolicyConfig from(String name, ConfigReader r) {
    r.allowOnly(Set.of("description", "default", "task_types"));
    if (!r.has("default")) {
      throw new ConfigException(r.key("default") + ": is required (the rule for task types not listed)");
    }
    RoutingRule defaultRule = RoutingRule.from(r.section("default"), null);
    Map<TaskType, RoutingRule> rules = new EnumMap<>(TaskType.class);
    r.sections("task_types").forEach((key, section) -> {
      TaskType type = TaskType.fromWireName(key)
        .orElseThrow(() -> new ConfigException(section.path() + ": unknown task type"));
      rules.put(type, RoutingRule.from(section, defaultRule));
    });
    return new PolicyConfig(name, r.string("description", ""), defaultRule, rules);
  }

  public RoutingRule rule(TaskType type) {
    return rules.getOrDefault(type, defaultRule);
  }
}
