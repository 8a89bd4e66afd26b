package io.switchboard.replay;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The per-group rule "the cheapest model whose mean outcome on the calibration prompts of this group is at least
 * q x the best model's there". Groups with fewer than {@link #MIN_GROUP} calibration prompts use the rule computed
 * over all calibration prompts, as do groups the calibration split never saw.
 */
final class QualityFloor {

  static final int MIN_GROUP = 5;
  /** Key of the rule over all calibration prompts. */
  static final String ALL = "";

  private final List<String> models;
  /** group -> model -> {sum of outcomes, sum of cost (pico-dollars), count} */
  private final Map<String, Map<String, double[]>> stats = new LinkedHashMap<>();

  QualityFloor(List<Replayed> calibration, Function<Replayed, String> group, List<String> models, Costs costs) {
    this.models = List.copyOf(models);
    for (Replayed prompt : calibration) {
      for (String key : new String[] {ALL, group.apply(prompt)}) {
        Map<String, double[]> byModel = stats.computeIfAbsent(key, k -> new HashMap<>());
        for (String model : models) {
          double[] s = byModel.computeIfAbsent(model, m -> new double[3]);
          s[0] += prompt.item().outcomes().get(model);
          s[1] += costs.picoUsd(prompt, model);
          s[2]++;
        }
      }
    }
  }

  /** The chosen model per group for {@code q}, the rule over all calibration prompts under {@link #ALL}. */
  Map<String, String> table(double q) {
    Map<String, String> table = new LinkedHashMap<>();
    stats.forEach((key, byModel) -> {
      if (key.equals(ALL) || byModel.values().iterator().next()[2] >= MIN_GROUP) {
        table.put(key, choose(byModel, q));
      }
    });
    return table;
  }

  private String choose(Map<String, double[]> byModel, double q) {
    double best = models.stream().mapToDouble(m -> byModel.get(m)[0]).max().orElseThrow();
    String chosen = null;
    for (String model : models) {
      double[] s = byModel.get(model);
      // compare sums: every model has the same count within a group
      if (s[0] >= q * best - 1e-9 && (chosen == null || s[1] < byModel.get(chosen)[1])) {
        chosen = model;
      }
    }
    return chosen;
  }
}
