package io.switchboard.execute;

import io.switchboard.classify.Classification;
import io.switchboard.config.ModelConfig;
import io.switchboard.route.RouteDecision;

/** A request's classification and routing decision, with the catalog entry of the chosen model. */
public record Routed(Classification classification, RouteDecision decision, ModelConfig model) {

  /** The same request and decision, answered by {@code other} (a fallback) instead of the chosen model. */
  public Routed servedBy(ModelConfig other) {
    return other == model ? this : new Routed(classification, decision, other);
  }
}
