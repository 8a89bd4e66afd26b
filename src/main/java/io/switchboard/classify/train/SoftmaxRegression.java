package io.switchboard.classify.train;

/**
 * Multinomial logistic regression with an L2 penalty, trained by full-batch Adam from zero weights: deterministic,
 * so the same data give the same model. Classes are weighted by inverse frequency, so small task types count.
 * Inputs are standardised inside; {@link #exportWeights} folds that back into plain weights and biases.
 */
final class SoftmaxRegression {

  private final int classes;
  private final int dims;
  private final double[][] w;
  private final double[] b;
  private final double[] mean;
  private final double[] scale;

  private SoftmaxRegression(int classes, int dims, double[] mean, double[] scale) {
    this.classes = classes;
    this.dims = dims;
    this.w = new double[classes][dims];
    this.b = new double[classes];
    this.mean = mean;
    this.scale = scale;
  }

  static SoftmaxRegression train(float[][] x, int[] y, int classes, double l2, int epochs) {
    int n = x.length;
    int d = x[0].length;
    double[] mean = new double[d];
    double[] sd = new double[d];
    for (float[] row : x) {
      for (int j = 0; j < d; j++) {
        mean[j] += row[j] / (double) n;
      }
    }
    for (float[] row : x) {
      for (int j = 0; j < d; j++) {
        sd[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / n;
      }
    }
    for (int j = 0; j < d; j++) {
      sd[j] = Math.sqrt(sd[j]) + 1e-9;
    }
    SoftmaxRegression model = new SoftmaxRegression(classes, d, mean, sd);
    double[][] z = new double[n][d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        z[i][j] = (x[i][j] - mean[j]) / sd[j];
      }
    }
    int[] counts = new int[classes];
    for (int label : y) {
      counts[label]++;
    }
    double[] weight = new double[classes];
    int present = 0;
    for (int c = 0; c < classes; c++) {
      present += counts[c] > 0 ? 1 : 0;
    }
    for (int c = 0; c < classes; c++) {
      weight[c] = counts[c] == 0 ? 0 : n / (double) (present * counts[c]);
    }
    model.fit(z, y, weight, l2, epochs);
    return model;
  }

  private void fit(double[][] z, int[] y, double[] weight, double l2, int epochs) {
    int n = z.length;
    double rate = 0.05;
    double beta1 = 0.9;
    double beta2 = 0.999;
    double[][] mw = new double[classes][dims];
    double[][] vw = new double[classes][dims];
    double[] mb = new double[classes];
    double[] vb = new double[classes];
    double totalWeight = 0;
    for (int label : y) {
      totalWeight += weight[label];
    }
    for (int epoch = 1; epoch <= epochs; epoch++) {
      double[][] gw = new double[classes][dims];
      double[] gb = new double[classes];
      for (int i = 0; i < n; i++) {
        double[] p = probabilities(z[i]);
        double wi = weight[y[i]] / totalWeight;
        for (int c = 0; c < classes; c++) {
          double g = (p[c] - (c == y[i] ? 1 : 0)) * wi;
          gb[c] += g;
          double[] row = gw[c];
          for (int j = 0; j < dims; j++) {
            row[j] += g * z[i][j];
          }
        }
      }
      double c1 = 1 - Math.pow(beta1, epoch);
      double c2 = 1 - Math.pow(beta2, epoch);
      for (int c = 0; c < classes; c++) {
        for (int j = 0; j < dims; j++) {
          double g = gw[c][j] + l2 * w[c][j];
          mw[c][j] = beta1 * mw[c][j] + (1 - beta1) * g;
          vw[c][j] = beta2 * vw[c][j] + (1 - beta2) * g * g;
          w[c][j] -= rate * (mw[c][j] / c1) / (Math.sqrt(vw[c][j] / c2) + 1e-8);
        }
        mb[c] = beta1 * mb[c] + (1 - beta1) * gb[c];
        vb[c] = beta2 * vb[c] + (1 - beta2) * gb[c] * gb[c];
        b[c] -= rate * (mb[c] / c1) / (Math.sqrt(vb[c] / c2) + 1e-8);
      }
    }
  }

  private double[] probabilities(double[] z) {
    double[] logits = new double[classes];
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < classes; c++) {
      double s = b[c];
      for (int j = 0; j < dims; j++) {
        s += w[c][j] * z[j];
      }
      logits[c] = s;
      max = Math.max(max, s);
    }
    double sum = 0;
    for (int c = 0; c < classes; c++) {
      logits[c] = Math.exp(logits[c] - max);
      sum += logits[c];
    }
    for (int c = 0; c < classes; c++) {
      logits[c] /= sum;
    }
    return logits;
  }

  /** Weights on raw (unstandardised) inputs, laid out [dims][classes] for a Gemm without transposition. */
  float[] exportWeights() {
    float[] out = new float[dims * classes];
    for (int j = 0; j < dims; j++) {
      for (int c = 0; c < classes; c++) {
        out[j * classes + c] = (float) (w[c][j] / scale[j]);
      }
    }
    return out;
  }

  float[] exportBias() {
    float[] out = new float[classes];
    for (int c = 0; c < classes; c++) {
      double s = b[c];
      for (int j = 0; j < dims; j++) {
        s -= w[c][j] * mean[j] / scale[j];
      }
      out[c] = (float) s;
    }
    return out;
  }

  /** Class probabilities of a raw (unstandardised) input. */
  double[] predict(float[] x) {
    double[] z = new double[dims];
    for (int j = 0; j < dims; j++) {
      z[j] = (x[j] - mean[j]) / scale[j];
    }
    return probabilities(z);
  }
}
