package io.switchboard.route;

import io.switchboard.config.ModelConfig;
import io.switchboard.config.PolicyConfig;
import io.switchboard.config.ScoringConfig;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Weighted scoring over candidate models. Each factor is 0-1: capability ({@link Capability#fit}), cost (1 for a
 * free call, 0 for the priciest candidate's), quality (for the task type, /100), latency (the fastest candidate's
 * {@code latency_ms} over this one's) and history (the learned success rate for the task type).
 */
final class ScoringPolicy implements Policy {

  private final PolicyConfig policy;
  private final ScoringConfig weights;
  private final SuccessEstimates history;

  ScoringPolicy(PolicyConfig policy, SuccessEstimates history) {
    this.policy = policy;
    this.weights = policy.scoring().orElseThrow();
    this.history = history;
  }

  @Override
  public Choice choose(Situation s) {
    List<String> models = weights.candidates().isEmpty() ? List.copyOf(s.config.models().keySet()) : weights.candidates();
    long maxCost = models.stream().mapToLong(s::cost).max().orElse(0);
    long minLatency = models.stream().mapToLong(m -> s.model(m).latencyMillis()).min().orElse(1);
    Map<String, Candidate> scored = new LinkedHashMap<>();
    for (String id : models) {
      ModelConfig model = s.model(id);
      Candidate base = s.candidate(id);
      Map<String, Double> factors = new LinkedHashMap<>();
      factors.put("capability", Capability.fit(base.quality(), s.complexity));
      factors.put("cost", maxCost == 0 ? 1.0 : 1.0 - (double) base.estimatedCostMicros() / maxCost);
      factors.put("quality", base.quality() / 100.0);
      factors.put("latency", (double) minLatency / model.latencyMillis());
      factors.put("history", Math.max(0.0, Math.min(1.0, history.success(id, s.task))));
      double score = weights.capability() * factors.get("capability") + weights.cost() * factors.get("cost")
        + weights.quality() * factors.get("quality") + weights.latency() * factors.get("latency")
        + weights.history() * factors.get("history");
      scored.put(id, new Candidate(id, score, base.estimatedCostMicros(), base.quality(), base.fits(),
        base.excludedBy(), factors));
    }
    List<String> ranked = scored.values().stream()
      .sorted(Comparator.comparingDouble(Candidate::score).reversed())
      .map(Candidate::model)
      .toList();
    Candidate best = scored.get(ranked.get(0));
    StringBuilder reason = new StringBuilder("scoring '").append(policy.name()).append("': '").append(best.model())
      .append("' scores ").append(threeDecimals(best.score()));
    if (ranked.size() > 1) {
      Candidate next = scored.get(ranked.get(1));
      reason.append(", next '").append(next.model()).append("' ").append(threeDecimals(next.score()));
    }
    String weighting = "weights capability " + Router.twoDecimals(weights.capability()) + ", cost "
      + Router.twoDecimals(weights.cost()) + ", quality " + Router.twoDecimals(weights.quality()) + ", latency "
      + Router.twoDecimals(weights.latency()) + ", history " + Router.twoDecimals(weights.history())
      + " (quality " + Capability.need(s.complexity) + " needed for " + s.complexity.wireName() + " work)";
    return new Choice(ranked, List.of(), models, false, List.of(), List.of(reason.toString(), weighting), scored);
  }

  private static String threeDecimals(double value) {
    return String.format(Locale.ROOT, "%.3f", value);
  }
}
