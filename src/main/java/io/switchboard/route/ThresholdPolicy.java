package io.switchboard.route;

import io.switchboard.config.PolicyConfig;
import io.switchboard.config.ThresholdConfig;

import java.util.List;
import java.util.Map;

/**
 * The RouteLLM-style split: the weak model when the classifier's {@code p_cheap_ok} reaches the threshold, else
 * the strong one. Without a classification the strong model answers.
 */
final class ThresholdPolicy implements Policy {

  private final PolicyConfig policy;
  private final ThresholdConfig pair;
  private final double threshold;
  /** How the threshold was set, for the reasons: empty when configured, else the calibration's result. */
  private final String origin;

  ThresholdPolicy(PolicyConfig policy, double threshold, String origin) {
    this.policy = policy;
    this.pair = policy.threshold().orElseThrow();
    this.threshold = threshold;
    this.origin = origin;
  }

  double threshold() {
    return threshold;
  }

  @Override
  public Choice choose(Situation s) {
    String name = "threshold '" + policy.name() + "': ";
    String limit = Router.twoDecimals(threshold) + origin;
    double p = s.classification.pCheapOk();
    List<String> ladder = List.of(pair.weak(), pair.strong());
    if (!s.classified()) {
      return choice(List.of(pair.strong(), pair.weak()), ladder, name + "no classification, so strong '"
        + pair.strong() + "'");
    }
    if (p >= threshold) {
      return choice(List.of(pair.weak(), pair.strong()), ladder, name + "p_cheap_ok " + Router.twoDecimals(p)
        + " >= " + limit + ", so weak '" + pair.weak() + "'");
    }
    return choice(List.of(pair.strong(), pair.weak()), ladder, name + "p_cheap_ok " + Router.twoDecimals(p) + " < "
      + limit + ", so strong '" + pair.strong() + "'");
  }

  private static Choice choice(List<String> eligible, List<String> ladder, String reason) {
    return new Choice(eligible, List.of(), ladder, false, List.of(), List.of(reason), Map.of());
  }
}
