package io.switchboard.config;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One row of a decision table: send the task to {@code primary}, or to {@code lowConfidenceModel} when the
 * classifier is less sure than {@code minConfidence} (no such model: stay on {@code primary}).
 *
 * @param noCompromise never routed cheaper than {@code primary}: not by economy mode, not by a cheaper
 *                     low-confidence model, not down a cascade or a fallback chain of weaker models
 * @param escalateTo models to re-ask, in order, when an answer fails the quality check (not inherited)
 * @param review a second step: the chosen model drafts, the reviewer improves the draft (not inherited)
 */
public record RoutingRule(String primary, Optional<String> lowConfidenceModel, double minConfidence,
                          boolean noCompromise, List<String> escalateTo, Optional<Review> review) {

  /** Asked after the draft, with the conversation, the draft and {@code prompt}. */
  public record Review(String reviewer, String prompt) {

    static final String DEFAULT_PROMPT = "Review the draft answer above for mistakes, gaps and unclear parts. "
      + "Reply with the corrected, complete final answer only, without commentary about the review.";

    static Review from(ConfigReader r) {
      r.allowOnly(Set.of("reviewer", "review_prompt"));
      return new Review(r.requiredString("reviewer"), r.string("review_prompt", DEFAULT_PROMPT));
    }
  }

  public RoutingRule {
    escalateTo = List.copyOf(escalateTo);
  }

  static RoutingRule from(ConfigReader r, RoutingRule inherited) {
    r.allowOnly(Set.of("primary", "fallback", "min_confidence", "no_compromise", "escalate_to", "pipeline"));
    String primary = inherited == null ? r.requiredString("primary") : r.string("primary", inherited.primary());
    Optional<String> fallback = Optional.ofNullable(r.string("fallback", null));
    double minConfidence = r.doubleValue("min_confidence", inherited == null ? 0.0 : inherited.minConfidence(), 0, 1);
    boolean noCompromise = r.bool("no_compromise", false);
    List<String> escalateTo = r.stringList("escalate_to");
    Optional<Review> review = r.has("pipeline") ? Optional.of(Review.from(r.section("pipeline"))) : Optional.empty();
    if (!escalateTo.isEmpty() && review.isPresent()) {
      throw new ConfigException(r.key("pipeline") + ": a rule either escalates (escalate_to) or reviews (pipeline), "
        + "not both");
    }
    if (noCompromise && !escalateTo.isEmpty()) {
      throw new ConfigException(r.key("escalate_to") + ": a no_compromise rule is never escalated");
    }
    return new RoutingRule(primary, fallback, minConfidence, noCompromise, escalateTo, review);
  }
}
