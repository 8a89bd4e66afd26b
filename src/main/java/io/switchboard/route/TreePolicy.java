package io.switchboard.route;

import io.switchboard.config.PolicyConfig;
import io.switchboard.config.RoutingRule;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A decision table by scenario, then by task type (a rule for the request's scenario wins over its task type's):
 * the rule's primary model, or its low-confidence model when the classifier is
 * less sure than the rule's {@code min_confidence}; then any model, best generic score first. A
 * {@code no_compromise} rule offers only its primary (or a low-confidence model that costs no less).
 */
final class TreePolicy implements Policy {

  private final PolicyConfig policy;

  TreePolicy(PolicyConfig policy) {
    this.policy = policy;
  }

  @Override
  public Choice choose(Situation s) {
    RoutingRule rule = policy.rule(s.scenario).orElse(policy.rule(s.task));
    String task = policy.rule(s.scenario).isPresent() ? "scenario " + s.scenario.wireName() : s.task.wireName();
    String confidence = Router.twoDecimals(s.classification.confidence());
    List<String> reasons = new ArrayList<>();
    Set<String> eligible = new LinkedHashSet<>();
    String low = rule.lowConfidenceModel().orElse(null);
    boolean unsure = low != null && s.classification.confidence() < rule.minConfidence();
    if (unsure && rule.noCompromise() && s.cost(low) < s.cost(rule.primary())) {
      reasons.add("policy '" + policy.name() + "': " + task + " is no_compromise, so '" + rule.primary()
        + "' even at confidence " + confidence);
      unsure = false;
    } else if (unsure) {
      reasons.add("policy '" + policy.name() + "': confidence " + confidence + " is below "
        + Router.twoDecimals(rule.minConfidence()) + " for " + task + ", so its fallback '" + low + "'");
      eligible.add(low);
    } else {
      reasons.add("policy '" + policy.name() + "': " + task + " goes to '" + rule.primary() + "'"
        + (rule.noCompromise() ? " (no_compromise)" : ""));
    }
    eligible.add(rule.primary());
    if (low != null && (!rule.noCompromise() || s.cost(low) >= s.cost(rule.primary()))) {
      eligible.add(low);
    }
    Pipeline pipeline = rule.review().map(review -> new Pipeline(review.reviewer(), review.prompt())).orElse(null);
    List<String> byScore = s.byGenericScore();
    if (rule.noCompromise()) {
      return new Choice(List.copyOf(eligible), byScore, List.of(), true, List.of(), pipeline, reasons, Map.of());
    }
    eligible.addAll(byScore);
    return new Choice(List.copyOf(eligible), List.of(), List.copyOf(s.config.models().keySet()), false,
      rule.escalateTo(), pipeline, reasons, Map.of());
  }
}
