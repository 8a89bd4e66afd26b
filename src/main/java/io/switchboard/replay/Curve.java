package io.switchboard.replay;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Cost/quality curves: the operating points of one routing knob swept over its settings, on one split. */
final class Curve {

  /** One setting of the knob and what it gave. */
  record Point(String knob, Tally tally) {
  }

  /** Where a curve first reaches a quality, interpolated linearly between its two neighbouring points. */
  record Crossing(double premiumShare, double costReduction) {
  }

  private Curve() {
  }

  /**
   * Average performance gap recovered (RouteLLM): the area under PGR = (quality - weak) / (strong - weak) against
   * the share of calls to the strong model, by the trapezoid rule over the points sorted by that share. The points
   * should include the all-weak (share 0) and all-strong (share 1) settings so the area spans [0, 1].
   */
  static double apgr(List<Point> points, double weakQuality, double strongQuality) {
    List<Point> sorted = points.stream()
      .sorted(Comparator.comparingDouble((Point p) -> p.tally().premiumShare())
        .thenComparingDouble(p -> p.tally().quality()))
      .toList();
    double gap = strongQuality - weakQuality;
    double area = 0;
    for (int i = 1; i < sorted.size(); i++) {
      Tally a = sorted.get(i - 1).tally();
      Tally b = sorted.get(i).tally();
      double pgrA = (a.quality() - weakQuality) / gap;
      double pgrB = (b.quality() - weakQuality) / gap;
      area += (b.premiumShare() - a.premiumShare()) * (pgrA + pgrB) / 2;
    }
    return area;
  }

  /**
   * The cheapest place on the curve (points sorted by cost; between two points, a mix of their two settings) whose
   * quality reaches {@code quality}; empty when no point does.
   */
  static Optional<Crossing> cheapestReaching(List<Point> points, double quality) {
    List<Tally> sorted = points.stream().map(Point::tally)
      .sorted(Comparator.comparingLong(Tally::costPicoUsd).thenComparing(Comparator.comparingDouble(Tally::quality).reversed()))
      .toList();
    for (int i = 0; i < sorted.size(); i++) {
      Tally b = sorted.get(i);
      if (b.quality() >= quality) {
        if (i == 0) {
          return Optional.of(new Crossing(b.premiumShare(), b.costReduction()));
        }
        Tally a = sorted.get(i - 1);
        double t = (quality - a.quality()) / (b.quality() - a.quality());
        return Optional.of(new Crossing(a.premiumShare() + t * (b.premiumShare() - a.premiumShare()),
          a.costReduction() + t * (b.costReduction() - a.costReduction())));
      }
    }
    return Optional.empty();
  }

  /** Index of the cheapest point whose quality reaches {@code quality}, else of the best-quality point. */
  static int operatingPoint(List<Point> points, double quality) {
    int best = -1;
    for (int i = 0; i < points.size(); i++) {
      Tally t = points.get(i).tally();
      if (t.quality() >= quality && (best < 0 || t.costPicoUsd() < points.get(best).tally().costPicoUsd())) {
        best = i;
      }
    }
    if (best >= 0) {
      return best;
    }
    for (int i = 0; i < points.size(); i++) {
      if (best < 0 || points.get(i).tally().quality() > points.get(best).tally().quality()) {
        best = i;
      }
    }
    return best;
  }
}
