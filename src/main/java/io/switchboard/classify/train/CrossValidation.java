package io.switchboard.classify.train;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Picks a head's L2 penalty by k-fold cross-validation on the training split (the held-out part is never read). */
final class CrossValidation {

  /** The chosen penalty and the cross-validated macro-F1 of every candidate. */
  record Choice(double best, Map<Double, Double> macroF1) {
  }

  private CrossValidation() {
  }

  static Choice choose(float[][] x, int[] y, int[] folds, int classes, String head, PrintStream log) {
    return choose(x, y, folds, classes, head, log, TrainCommand.L2_CANDIDATES);
  }

  /** The same over other candidate penalties (in increasing order). */
  static Choice choose(float[][] x, int[] y, int[] folds, int classes, String head, PrintStream log,
                       double[] candidates) {
    Map<Double, Double> scores = new LinkedHashMap<>();
    double best = candidates[0];
    List<String> labels = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      labels.add(Integer.toString(c));
    }
    for (double l2 : candidates) {
      Scores pooled = new Scores(labels);
      for (int k = 0; k < TrainCommand.FOLDS; k++) {
        List<float[]> fitX = new ArrayList<>();
        List<Integer> fitY = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
          if (folds[i] != k) {
            fitX.add(x[i]);
            fitY.add(y[i]);
          }
        }
        SoftmaxRegression model = SoftmaxRegression.train(fitX.toArray(float[][]::new),
          fitY.stream().mapToInt(Integer::intValue).toArray(), classes, l2, TrainCommand.EPOCHS);
        for (int i = 0; i < x.length; i++) {
          if (folds[i] == k) {
            double[] p = model.predict(x[i]);
            int predicted = 0;
            for (int c = 1; c < classes; c++) {
              predicted = p[c] > p[predicted] ? c : predicted;
            }
            pooled.add(y[i], predicted, p[predicted]);
          }
        }
      }
      scores.put(l2, pooled.macroF1());
      log.printf(Locale.ROOT, "  %s head, L2 %.0e: cross-validated macro-F1 %.3f%n", head, l2, pooled.macroF1());
      if (pooled.macroF1() > scores.get(best)) {
        best = l2;
      }
    }
    return new Choice(best, scores);
  }
}
