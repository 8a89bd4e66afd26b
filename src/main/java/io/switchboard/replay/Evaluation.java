package io.switchboard.replay;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A replay run for its figures rather than its report: what {@code train-classifier} quotes in the model card, so
 * the card's numbers are the ones {@code replay} prints for the same arguments.
 */
public final class Evaluation {

  /**
   * One swept knob on the held-out split of a two-model replay.
   *
   * @param premiumAtTarget share of strong calls where the curve first reaches the target quality, null if never
   * @param costReductionAtTarget the cost saved there against always the strong model, null if never
   */
  public record Figure(String method, int prompts, double apgr, Double premiumAtTarget,
                       Double costReductionAtTarget) {
  }

  /** The replay's prompts, split and knobs. */
  public record Result(int prompts, int calibration, int heldOut, String classifierNote, List<Figure> figures) {
  }

  private Evaluation() {
  }

  /** Runs {@code replay} with these arguments (a two-model input or {@code --weak}) without printing anything. */
  public static Result run(List<String> args) {
    ReplayOptions options = ReplayOptions.parse(args);
    Progress silent = new Progress(new PrintStream(OutputStream.nullOutputStream()), false);
    ReplayResult r = ReplayCommand.replay(options, Map.of(), silent);
    if (!r.twoModels()) {
      throw new ReplayException("an evaluation needs two models: the baseline and --weak");
    }
    List<Figure> figures = new ArrayList<>();
    for (ReplayResult.FamilyResult f : r.families()) {
      List<Curve.Point> points = f.heldOut();
      double strongQuality = points.get(0).tally().strongQuality();
      double weakQuality = points.stream().filter(p -> p.tally().strongCalls() == 0).findFirst()
        .map(p -> p.tally().quality()).orElse(Double.NaN);
      Optional<Curve.Crossing> at = Curve.cheapestReaching(points, r.target() * strongQuality);
      figures.add(new Figure(f.family().method(), r.reported(), Curve.apgr(points, weakQuality, strongQuality),
        at.map(Curve.Crossing::premiumShare).orElse(null), at.map(Curve.Crossing::costReduction).orElse(null)));
    }
    return new Result(r.workload().items().size(), r.calibrationPrompts(), r.reported(), r.classifierNote(),
      figures);
  }
}
