package io.switchboard.config;

import io.switchboard.classify.TaskType;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A routing policy, selected by its name as the request's model (for example {@code auto:cost}). Its
 * {@code kind} says which of the kind-specific parts is set: a decision table ({@code defaultRule} and
 * {@code rules}, tree policies only; null and empty for the others), {@code scoring}, {@code threshold} or
 * {@code cascade}.
 */
public record PolicyConfig(String name, String description, PolicyKind kind, RoutingRule defaultRule,
                           Map<TaskType, RoutingRule> rules, Optional<ScoringConfig> scoring,
                           Optional<ThresholdConfig> threshold, Optional<CascadeConfig> cascade) {

  private static final Set<String> TREE_KEYS = Set.of("type", "description", "default", "task_types");
  private static final Set<String> SCORING_KEYS = Set.of("type", "description", "candidates", "weights");
  private static final Set<String> THRESHOLD_KEYS = Set.of("type", "description", "strong", "weak", "threshold",
    "target_premium_share", "reference");
  private static final Set<String> CASCADE_KEYS = Set.of("type", "description", "tiers");

  public PolicyConfig {
    rules = Map.copyOf(rules);
  }

  static PolicyConfig from(String name, ConfigReader r) {
    String type = r.string("type", PolicyKind.TREE.wireName());
    PolicyKind kind = PolicyKind.fromWireName(type)
      .orElseThrow(() -> new ConfigException(r.key("type") + ": must be tree, scoring, threshold or cascade"));
    String description = r.string("description", "");
    return switch (kind) {
      case TREE -> tree(name, description, r.allowOnly(TREE_KEYS));
      case SCORING -> new PolicyConfig(name, description, kind, null, Map.of(),
        Optional.of(ScoringConfig.from(r.allowOnly(SCORING_KEYS))), Optional.empty(), Optional.empty());
      case THRESHOLD -> new PolicyConfig(name, description, kind, null, Map.of(), Optional.empty(),
        Optional.of(ThresholdConfig.from(r.allowOnly(THRESHOLD_KEYS))), Optional.empty());
      case CASCADE -> new PolicyConfig(name, description, kind, null, Map.of(), Optional.empty(), Optional.empty(),
        Optional.of(CascadeConfig.from(r.allowOnly(CASCADE_KEYS))));
    };
  }

  private static PolicyConfig tree(String name, String description, ConfigReader r) {
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
    return new PolicyConfig(name, description, PolicyKind.TREE, defaultRule, rules, Optional.empty(),
      Optional.empty(), Optional.empty());
  }

  /** The rule of a tree policy for {@code type}. */
  public RoutingRule rule(TaskType type) {
    return rules.getOrDefault(type, defaultRule);
  }

  /** Every model the policy names, by the key that names it (relative to the policy), for validation. */
  Map<String, String> modelReferences() {
    Map<String, String> refs = new LinkedHashMap<>();
    if (defaultRule != null) {
      rule(refs, "default", defaultRule);
    }
    rules.forEach((type, rule) -> rule(refs, "task_types." + type.wireName(), rule));
    scoring.ifPresent(s -> indexed(refs, "candidates", s.candidates()));
    threshold.ifPresent(t -> {
      refs.put("strong", t.strong());
      refs.put("weak", t.weak());
    });
    cascade.ifPresent(c -> indexed(refs, "tiers", c.tiers()));
    return refs;
  }

  private static void rule(Map<String, String> refs, String at, RoutingRule rule) {
    refs.put(at + ".primary", rule.primary());
    rule.lowConfidenceModel().ifPresent(m -> refs.put(at + ".fallback", m));
  }

  private static void indexed(Map<String, String> refs, String at, List<String> models) {
    for (int i = 0; i < models.size(); i++) {
      refs.put(at + "[" + i + "]", models.get(i));
    }
  }
}
