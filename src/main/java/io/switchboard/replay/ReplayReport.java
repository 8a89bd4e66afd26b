package io.switchboard.replay;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The replay's text report (stdout) and its cost/quality CSV. */
final class ReplayReport {

  private ReplayReport() {
  }

  static String text(ReplayResult r) {
    StringBuilder s = new StringBuilder();
    Workload w = r.workload();
    s.append("Replay of ").append(w.name()).append(": ").append(w.items().size()).append(" prompts");
    if (w.excluded() > 0) {
      s.append(" (").append(w.excluded()).append(w.strong() != null
        ? " left out: RouteLLM's contaminated prompts)" : " left out: a judge score is missing)");
    }
    s.append('\n');
    line(s, "catalog", r.catalogOrigin());
    line(s, "baseline", r.strong());
    line(s, "classify", r.classifierNote());
    line(s, "output", w.outputNote() != null ? w.outputNote() : "answers of " + r.assumedOutputTokens()
      + " tokens assumed where the data gives no size (no usage.completion_tokens, no max_tokens)");
    if (!r.outcomeModels().isEmpty()) {
      line(s, "outcomes", r.outcomeModels().size() + " models: " + String.join(", ", r.outcomeModels()));
      line(s, "split", r.split()
        ? Split.DESCRIPTION + ": " + r.calibrationPrompts() + " calibration, " + r.reported() + " held-out"
        : "none: calibrated and reported on the same " + r.reported() + " prompts");
    }
    s.append('\n');

    Tally t = r.policyTally();
    s.append("Policy '").append(r.policy()).append("' on ")
      .append(r.split() ? "the held-out split" : "all prompts").append(" (").append(t.prompts()).append(" prompts): ")
      .append(r.policyNote()).append('\n');
    s.append("  model distribution:\n");
    t.distribution().forEach((model, n) -> s.append(String.format(Locale.ROOT, "    %-40s %7d  %6s%n", model, n,
      percent((double) n / t.prompts()))));
    s.append("  task types (").append(r.classifier()).append(" classifier):");
    r.taskTypes().forEach((type, n) -> s.append(' ').append(type).append(' ').append(n));
    s.append('\n');
    s.append("  cost:     ").append(usd(t.costPicoUsd())).append(" vs ").append(usd(t.baselinePicoUsd()))
      .append(" on ").append(r.strong()).append(": ").append(saving(t.costReduction())).append('\n');
    if (r.escalatable() > 0 || r.reviewed() > 0) {
      s.append("  not replayed: ").append(r.escalatable()).append(" decisions may escalate and ").append(r.reviewed())
        .append(" have a review step; without answers only the first model's call is priced\n");
    }
    if (!Double.isNaN(t.quality()) && !Double.isNaN(t.strongQuality())) {
      s.append("  quality:  mean ").append(decimal(t.quality())).append(" vs ").append(decimal(t.strongQuality()))
        .append(" on ").append(r.strong()).append(": ").append(percent(t.qualityKept())).append(" kept\n");
      s.append("  premium calls (to ").append(r.strong()).append("): ").append(percent(t.premiumShare())).append('\n');
    }

    if (!r.families().isEmpty()) {
      s.append('\n').append("Sweeps on ").append(r.split() ? "the held-out split" : "all prompts")
        .append("; each knob's operating point is the cheapest setting that kept >= ").append(percent(r.target()))
        .append(" of ").append(r.strong()).append("'s quality on ")
        .append(r.split() ? "the calibration split" : "the same prompts").append(":\n");
      for (ReplayResult.FamilyResult f : r.families()) {
        family(s, r, f);
      }
    }
    return s.toString();
  }

  private static void family(StringBuilder s, ReplayResult r, ReplayResult.FamilyResult f) {
    List<Curve.Point> points = f.heldOut();
    double strongQuality = points.get(0).tally().strongQuality();
    s.append("  ").append(f.family().method()).append(": ").append(f.family().description()).append('\n');
    if (f.family().method().equals("single")) {
      for (Curve.Point p : points) {
        s.append(String.format(Locale.ROOT, "    %-40s cost %s (%s), quality %s kept%n", p.knob(),
          usd(p.tally().costPicoUsd()), saving(p.tally().costReduction()), percent(p.tally().qualityKept())));
      }
      return;
    }
    if (r.twoModels()) {
      // every two-model knob has an all-weak setting: its quality is the weak model's
      double weakQuality = points.stream().filter(p -> p.tally().strongCalls() == 0).findFirst()
        .map(p -> p.tally().quality()).orElse(Double.NaN);
      s.append("    APGR ").append(String.format(Locale.ROOT, "%.3f", Curve.apgr(points, weakQuality, strongQuality)))
        .append(" (").append(r.weak()).append(' ').append(decimal(weakQuality)).append(", ").append(r.strong())
        .append(' ').append(decimal(strongQuality)).append(")\n");
    }
    Tally chosen = f.chosenHeldOut().tally();
    s.append("    operating point ").append(f.chosenHeldOut().knob()).append(": premium calls ")
      .append(percent(chosen.premiumShare())).append(", cost ").append(saving(chosen.costReduction()))
      .append(", quality ").append(percent(chosen.qualityKept())).append(" kept\n");
    Optional<Curve.Crossing> at = Curve.cheapestReaching(points, r.target() * strongQuality);
    s.append("    curve reaches ").append(percent(r.target())).append(" of ").append(r.strong()).append("'s quality ")
      .append(at.map(c -> "at premium calls " + percent(c.premiumShare()) + ", cost " + saving(c.costReduction()))
        .orElse("nowhere")).append('\n');
  }

  /** One row per setting of every knob, on the reported prompts. */
  static String csv(ReplayResult r) {
    StringBuilder s = new StringBuilder(
      "method,setting,prompts,premium_share,cost_usd,baseline_cost_usd,cost_reduction,mean_quality,quality_kept\n");
    for (ReplayResult.FamilyResult f : r.families()) {
      for (Curve.Point p : f.heldOut()) {
        Tally t = p.tally();
        s.append(f.family().method()).append(',').append(p.knob()).append(',').append(t.prompts()).append(',')
          .append(fixed(t.premiumShare(), 4)).append(',').append(fixed(Costs.usd(t.costPicoUsd()), 6)).append(',')
          .append(fixed(Costs.usd(t.baselinePicoUsd()), 6)).append(',').append(fixed(t.costReduction(), 4)).append(',')
          .append(fixed(t.quality(), 4)).append(',').append(fixed(t.qualityKept(), 4)).append('\n');
      }
    }
    return s.toString();
  }

  private static void line(StringBuilder s, String label, String value) {
    s.append(String.format(Locale.ROOT, "  %-9s %s%n", label + ":", value));
  }

  static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f %%", 100 * share);
  }

  /** "27.9 % less", or "106.8 % more" when it costs more than the baseline. */
  static String saving(double reduction) {
    return reduction < 0 ? percent(-reduction) + " more" : percent(reduction) + " less";
  }

  private static String decimal(double value) {
    return String.format(Locale.ROOT, "%.3f", value);
  }

  private static String fixed(double value, int places) {
    return String.format(Locale.ROOT, "%." + places + "f", value);
  }

  private static String usd(long picoUsd) {
    return String.format(Locale.ROOT, "$%.6f", Costs.usd(picoUsd));
  }
}
