package io.switchboard.config;

import java.util.Optional;
import java.util.Set;

/**
 * One row of a decision table: send the task to {@code primary}, or to {@code lowConfidenceModel} when the
 * classifier is less sure than {@code minConfidence} (no such model: stay on {@code primary}).
 *
 * @param noCompromise never routed cheaper than {@code primary}: not by economy mode, not by a cheaper
 *                     low-confidence model, not down a cascade or a fallback chain of weaker models
 */
public record RoutingRule(String primary, Optional<String> lowConfidenceModel, double minConfidence,
                          boolean noCompromise) {

  static RoutingRule from(ConfigReader r, RoutingRule inherited) {
    r.allowOnly(Set.of("primary", "fallback", "min_confidence", "no_compromise"));
    String primary = inherited == null ? r.requiredString("primary") : r.string("primary", inherited.primary());
    Optional<String> fallback = Optional.ofNullable(r.string("fallback", null));
    double minConfidence = r.doubleValue("min_confidence", inherited == null ? 0.0 : inherited.minConfidence(), 0, 1);
    return new RoutingRule(primary, fallback, minConfidence, r.bool("no_compromise", false));
  }
}
