package io.switchboard.replay;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The result of routing a set of prompts one way.
 *
 * @param distribution prompts per model
 * @param costPicoUsd cost of the routed answers; {@code baselinePicoUsd} what the strong model would have cost
 * @param quality mean outcome of the routed answers, NaN when some routed model has no outcome for its prompt
 * @param strongQuality mean outcome of the strong model on the same prompts, NaN when unknown
 */
record Tally(int prompts, Map<String, Integer> distribution, long costPicoUsd, long baselinePicoUsd, double quality,
             double strongQuality, int strongCalls) {

  static Tally of(List<Replayed> prompts, Assigner assigner, Costs costs, String strong) {
    Map<String, Integer> distribution = new TreeMap<>();
    long cost = 0;
    long baseline = 0;
    double quality = 0;
    double strongQuality = 0;
    boolean scored = true;
    boolean strongScored = true;
    int strongCalls = 0;
    for (Replayed prompt : prompts) {
      String model = assigner.model(prompt);
      distribution.merge(model, 1, Integer::sum);
      cost += costs.picoUsd(prompt, model);
      baseline += costs.picoUsd(prompt, strong);
      Double outcome = prompt.item().outcomes().get(model);
      Double strongOutcome = prompt.item().outcomes().get(strong);
      scored &= outcome != null;
      strongScored &= strongOutcome != null;
      quality += outcome == null ? 0 : outcome;
      strongQuality += strongOutcome == null ? 0 : strongOutcome;
      strongCalls += model.equals(strong) ? 1 : 0;
    }
    int n = prompts.size();
    return new Tally(n, sortedByCount(distribution), cost, baseline,
      scored && n > 0 ? quality / n : Double.NaN, strongScored && n > 0 ? strongQuality / n : Double.NaN, strongCalls);
  }

  private static Map<String, Integer> sortedByCount(Map<String, Integer> counts) {
    Map<String, Integer> sorted = new LinkedHashMap<>();
    counts.entrySet().stream()
      .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
      .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }

  double premiumShare() {
    return prompts == 0 ? 0 : (double) strongCalls / prompts;
  }

  /** Share of the strong model's cost saved, 0-1. */
  double costReduction() {
    return baselinePicoUsd == 0 ? 0 : 1 - (double) costPicoUsd / baselinePicoUsd;
  }

  double qualityKept() {
    return quality / strongQuality;
  }
}
