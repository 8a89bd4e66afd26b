package io.switchboard.config;

import io.switchboard.classify.Scenario;
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
 * {@code cascade}. A tree policy's {@code scenarios} rules take precedence over its task-type rules; any policy may
 * opt into {@code context} optimisation.
 */
public record PolicyConfig(String name, String description, PolicyKind kind, RoutingRule defaultRule,
                           Map<TaskType, RoutingRule> rules, Optional<ScoringConfig> scoring,
                           Optional<ThresholdConfig> threshold, Optional<CascadeConfig> cascade,
                           Map<Scenario, RoutingRule> scenarios, Optional<ContextConfig> context) {

  private static final Set<String> TREE_KEYS = Set.of("type", "description", "default", "task_types", "scenarios",
    "context");
  private static final Set<String> SCORING_KEYS = Set.of("type", "description", "candidates", "weights", "context");
  private static final Set<String> THRESHOLD_KEYS = Set.of("type", "description", "strong", "weak", "threshold",
    "target_premium_share", "reference", "context");
  private static final Set<String> CASCADE_KEYS = Set.of("type", "description", "tiers", "context");

  public PolicyConfig {
    rules = Map.copyOf(rules);
    scenarios = Map.copyOf(scenarios);
  }

  /** A policy without scenario rules or context optimisation. */
  public PolicyConfig(String name, String description, PolicyKind kind, RoutingRule defaultRule,
                      Map<TaskType, RoutingRule> rules, Optional<ScoringConfig> scoring,
                      Optional<ThresholdConfig> threshold, Optional<CascadeConfig> cascade) {
    this(name, description, kind, defaultRule, rules, scoring, threshold, cascade, Map.of(), Optional.empty());
  }

  static PolicyConfig from(String name, ConfigReader r) {
    String type = r.string("type", PolicyKind.TREE.wireName());
    PolicyKind kind = PolicyKind.fromWireName(type)
      .orElseThrow(() -> new ConfigException(r.key("type") + ": must be tree, scoring, threshold or cascade"));
    String description = r.string("description", "");
    Optional<ContextConfig> context = r.has("context") ? Optional.of(ContextConfig.from(r.section("context")))
      : Optional.empty();
    return switch (kind) {
      case TREE -> tree(name, description, r.allowOnly(TREE_KEYS), context);
      case SCORING -> new PolicyConfig(name, description, kind, null, Map.of(),
        Optional.of(ScoringConfig.from(r.allowOnly(SCORING_KEYS))), Optional.empty(), Optional.empty(), Map.of(),
        context);
      case THRESHOLD -> new PolicyConfig(name, description, kind, null, Map.of(), Optional.empty(),
        Optional.of(ThresholdConfig.from(r.allowOnly(THRESHOLD_KEYS))), Optional.empty(), Map.of(), context);
      case CASCADE -> new PolicyConfig(name, description, kind, null, Map.of(), Optional.empty(), Optional.empty(),
        Optional.of(CascadeConfig.from(r.allowOnly(CASCADE_KEYS))), Map.of(), context);
    };
  }

  private static PolicyConfig tree(String name, String description, ConfigReader r, Optional<ContextConfig> context) {
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
    Map<Scenario, RoutingRule> scenarios = new EnumMap<>(Scenario.class);
    r.sections("scenarios").forEach((key, section) -> {
      Scenario scenario = Scenario.fromWireName(key).filter(s -> s != Scenario.DEFAULT)
        .orElseThrow(() -> new ConfigException(section.path() + ": unknown scenario (background, main, thinking, "
          + "long_context, subagent)"));
      scenarios.put(scenario, RoutingRule.from(section, defaultRule));
    });
    return new PolicyConfig(name, description, PolicyKind.TREE, defaultRule, rules, Optional.empty(),
      Optional.empty(), Optional.empty(), scenarios, context);
  }

  /** The rule of a tree policy for {@code type}. */
  public RoutingRule rule(TaskType type) {
    return rules.getOrDefault(type, defaultRule);
  }

  /** A tree policy's rule for {@code scenario}, if it has one. */
  public Optional<RoutingRule> rule(Scenario scenario) {
    return Optional.ofNullable(scenarios.get(scenario));
  }

  /** Every model the policy names, by the key that names it (relative to the policy), for validation. */
  Map<String, String> modelReferences() {
    Map<String, String> refs = new LinkedHashMap<>();
    if (defaultRule != null) {
      rule(refs, "default", defaultRule);
    }
    rules.forEach((type, rule) -> rule(refs, "task_types." + type.wireName(), rule));
    scenarios.forEach((scenario, rule) -> rule(refs, "scenarios." + scenario.wireName(), rule));
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
    indexed(refs, at + ".escalate_to", rule.escalateTo());
    rule.review().ifPresent(review -> refs.put(at + ".pipeline.reviewer", review.reviewer()));
  }

  private static void indexed(Map<String, String> refs, String at, List<String> models) {
    for (int i = 0; i < models.size(); i++) {
      refs.put(at + "[" + i + "]", models.get(i));
    }
  }
}
