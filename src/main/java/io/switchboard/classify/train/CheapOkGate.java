package io.switchboard.classify.train;

import io.switchboard.classify.TaskType;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Where the router may rely on the learned {@code p_cheap_ok}. At run time the per-category rule gives every prompt
 * of a (predicted) task type the same value, so within a task type it cannot rank prompts: its curve is the straight
 * line from all-weak to all-strong, an APGR of exactly 0.5. The learned score beats it inside a task type when
 * routing by it recovers more of the gap there: APGR above 0.5 by {@link #MARGIN} on at least
 * {@link #MIN_PROMPTS} held-out prompts. Elsewhere the rule's value is used.
 */
final class CheapOkGate {

  /** APGR of the per-category rule inside one category (a constant score). */
  static final double RULE_APGR = 0.5;
  static final double MARGIN = 0.02;
  static final int MIN_PROMPTS = 100;

  /** One held-out prompt: the learned score and both models' outcomes on it. */
  record Outcome(double score, double weak, double strong) {
  }

  /** The evidence for one task type and what it decided. */
  record Decision(int prompts, double apgr, boolean learned) {
  }

  private CheapOkGate() {
  }

  /**
   * Average performance gap recovered by "weak when score >= t" over every value t of the score, plus all strong:
   * the area under (quality - weak) / (strong - weak) against the share of strong calls (trapezoid rule), the same
   * definition replay uses. NaN when the strong model is not better than the weak one on these prompts.
   */
  static double apgr(List<Outcome> prompts) {
    int n = prompts.size();
    double weakQuality = prompts.stream().mapToDouble(Outcome::weak).sum() / n;
    double strongQuality = prompts.stream().mapToDouble(Outcome::strong).sum() / n;
    double gap = strongQuality - weakQuality;
    if (n == 0 || !(gap > 0)) {
      return Double.NaN;
    }
    TreeSet<Double> thresholds = new TreeSet<>();
    prompts.forEach(p -> thresholds.add(p.score()));
    thresholds.add(Double.POSITIVE_INFINITY);   // all strong
    List<double[]> points = new ArrayList<>();
    for (double t : thresholds) {
      double quality = 0;
      int strongCalls = 0;
      for (Outcome p : prompts) {
        boolean weak = p.score() >= t;
        quality += weak ? p.weak() : p.strong();
        strongCalls += weak ? 0 : 1;
      }
      points.add(new double[] {(double) strongCalls / n, (quality / n - weakQuality) / gap});
    }
    points.sort(Comparator.<double[]>comparingDouble(p -> p[0]).thenComparingDouble(p -> p[1]));
    double area = 0;
    for (int i = 1; i < points.size(); i++) {
      area += (points.get(i)[0] - points.get(i - 1)[0]) * (points.get(i)[1] + points.get(i - 1)[1]) / 2;
    }
    return area;
  }

  /** Per task type with held-out prompts, whether the learned score is used; types not in the map use the rule. */
  static Map<TaskType, Decision> decide(Map<TaskType, List<Outcome>> byTaskType) {
    Map<TaskType, Decision> decisions = new EnumMap<>(TaskType.class);
    byTaskType.forEach((type, prompts) -> {
      double apgr = apgr(prompts);
      boolean learned = prompts.size() >= MIN_PROMPTS && apgr > RULE_APGR + MARGIN;
      decisions.put(type, new Decision(prompts.size(), apgr, learned));
    });
    return decisions;
  }
}
