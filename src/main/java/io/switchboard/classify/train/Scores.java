package io.switchboard.classify.train;

import java.util.List;
import java.util.Locale;

/** Classification metrics over predicted and true labels: confusion matrix, per-class P/R/F1, calibration. */
final class Scores {

  private static final int BINS = 10;

  private final List<String> labels;
  private final int[][] confusion;
  private final int[] binCount = new int[BINS];
  private final double[] binConfidence = new double[BINS];
  private final int[] binCorrect = new int[BINS];
  private int total;
  private int correct;

  Scores(List<String> labels) {
    this.labels = labels;
    this.confusion = new int[labels.size()][labels.size()];
  }

  void add(int truth, int predicted, double confidence) {
    confusion[truth][predicted]++;
    total++;
    correct += truth == predicted ? 1 : 0;
    int bin = Math.min(BINS - 1, (int) (confidence * BINS));
    binCount[bin]++;
    binConfidence[bin] += confidence;
    binCorrect[bin] += truth == predicted ? 1 : 0;
  }

  double accuracy() {
    return total == 0 ? 0 : correct / (double) total;
  }

  int total() {
    return total;
  }

  double precision(int c) {
    int predicted = 0;
    for (int[] row : confusion) {
      predicted += row[c];
    }
    return predicted == 0 ? 0 : confusion[c][c] / (double) predicted;
  }

  double recall(int c) {
    int actual = support(c);
    return actual == 0 ? 0 : confusion[c][c] / (double) actual;
  }

  int support(int c) {
    int actual = 0;
    for (int v : confusion[c]) {
      actual += v;
    }
    return actual;
  }

  double f1(int c) {
    double p = precision(c);
    double r = recall(c);
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }

  /** Mean F1 over the classes present in the evaluation set. */
  double macroF1() {
    double sum = 0;
    int n = 0;
    for (int c = 0; c < labels.size(); c++) {
      if (support(c) > 0) {
        sum += f1(c);
        n++;
      }
    }
    return n == 0 ? 0 : sum / n;
  }

  /** Expected calibration error over ten equal-width confidence bins. */
  /** Mean confidence over every prediction: above {@link #accuracy} means over-confident, below under-confident. */
  double meanConfidence() {
    double sum = 0;
    for (double c : binConfidence) {
      sum += c;
    }
    return total == 0 ? 0 : sum / total;
  }

  double calibrationError() {
    double sum = 0;
    for (int b = 0; b < BINS; b++) {
      if (binCount[b] > 0) {
        sum += Math.abs(binConfidence[b] / binCount[b] - binCorrect[b] / (double) binCount[b]) * binCount[b];
      }
    }
    return total == 0 ? 0 : sum / total;
  }

  String perClassTable() {
    StringBuilder out = new StringBuilder("| class | precision | recall | F1 | support |\n|---|---|---|---|---|\n");
    for (int c = 0; c < labels.size(); c++) {
      if (support(c) > 0) {
        out.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %d |%n", labels.get(c), precision(c),
          recall(c), f1(c), support(c)));
      }
    }
    return out.append(String.format(Locale.ROOT, "| **macro** | | | **%.3f** | %d |%n", macroF1(), total))
      .toString();
  }

  /** Rows are true classes (numbered), columns the predicted class of the same number. */
  String confusionTable() {
    StringBuilder out = new StringBuilder("| true \\ predicted |");
    for (int c = 0; c < labels.size(); c++) {
      out.append(' ').append(c + 1).append(" |");
    }
    out.append("\n|---|").append("---|".repeat(labels.size())).append('\n');
    for (int t = 0; t < labels.size(); t++) {
      if (support(t) == 0) {
        continue;
      }
      out.append("| ").append(t + 1).append(' ').append(labels.get(t)).append(" |");
      for (int p = 0; p < labels.size(); p++) {
        out.append(' ').append(confusion[t][p] == 0 ? "." : Integer.toString(confusion[t][p])).append(" |");
      }
      out.append('\n');
    }
    return out.toString();
  }

  String calibrationTable() {
    StringBuilder out = new StringBuilder("| confidence | prompts | mean confidence | accuracy |\n|---|---|---|---|\n");
    for (int b = 0; b < BINS; b++) {
      if (binCount[b] > 0) {
        out.append(String.format(Locale.ROOT, "| %.1f–%.1f | %d | %.3f | %.3f |%n", b / (double) BINS,
          (b + 1) / (double) BINS, binCount[b], binConfidence[b] / binCount[b], binCorrect[b] / (double) binCount[b]));
      }
    }
    return out.append(String.format(Locale.ROOT, "%nExpected calibration error: %.3f%n", calibrationError()))
      .toString();
  }
}
