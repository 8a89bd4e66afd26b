package io.switchboard.classify.train;

import java.util.Arrays;

/**
 * Principal components by the cyclic Jacobi eigenvalue method on the covariance matrix: exact and dependable for
 * the few hundred dimensions of a sentence encoder.
 */
final class Pca {

  private final double[] mean;
  /** Components as rows, by decreasing variance. */
  private final double[][] components;
  private final double explained;

  private Pca(double[] mean, double[][] components, double explained) {
    this.mean = mean;
    this.components = components;
    this.explained = explained;
  }

  static Pca fit(float[][] rows, int dims) {
    int d = rows[0].length;
    double[] mean = new double[d];
    for (float[] row : rows) {
      for (int j = 0; j < d; j++) {
        mean[j] += row[j] / (double) rows.length;
      }
    }
    double[][] cov = new double[d][d];
    double[] centred = new double[d];
    for (float[] row : rows) {
      for (int j = 0; j < d; j++) {
        centred[j] = row[j] - mean[j];
      }
      for (int a = 0; a < d; a++) {
        double ca = centred[a];
        double[] line = cov[a];
        for (int b = a; b < d; b++) {
          line[b] += ca * centred[b];
        }
      }
    }
    for (int a = 0; a < d; a++) {
      for (int b = a; b < d; b++) {
        cov[a][b] /= rows.length - 1;
        cov[b][a] = cov[a][b];
      }
    }
    double[][] copy = new double[d][];
    for (int a = 0; a < d; a++) {
      copy[a] = cov[a].clone();
    }
    double[][] vectors = identity(d);
    double[] values = jacobi(cov, vectors);
    checkEigenpairs(copy, vectors, values);
    Integer[] order = new Integer[d];
    for (int i = 0; i < d; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Double.compare(values[y], values[x]));
    double total = 0;
    double kept = 0;
    double[][] components = new double[dims][d];
    for (int i = 0; i < d; i++) {
      total += values[i];
    }
    for (int k = 0; k < dims; k++) {
      kept += values[order[k]];
      for (int j = 0; j < d; j++) {
        components[k][j] = vectors[j][order[k]];
      }
    }
    return new Pca(mean, components, kept / total);
  }

  double explainedVariance() {
    return explained;
  }

  float[] project(float[] row) {
    float[] out = new float[components.length];
    for (int k = 0; k < components.length; k++) {
      double sum = 0;
      for (int j = 0; j < row.length; j++) {
        sum += (row[j] - mean[j]) * components[k][j];
      }
      out[k] = (float) sum;
    }
    return out;
  }

  /** Diagonalises symmetric {@code a} in place; eigenvectors end up in the columns of {@code v}. */
  private static double[] jacobi(double[][] a, double[][] v) {
    int n = a.length;
    for (int sweep = 0; sweep < 100; sweep++) {
      double off = 0;
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          off += a[p][q] * a[p][q];
        }
      }
      if (off < 1e-22) {
        break;
      }
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          if (Math.abs(a[p][q]) < 1e-300) {
            continue;
          }
          double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
          double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          if (theta == 0) {
            t = 1;
          }
          double c = 1 / Math.sqrt(t * t + 1);
          double s = t * c;
          for (int k = 0; k < n; k++) {
            double akp = a[k][p];
            double akq = a[k][q];
            a[k][p] = c * akp - s * akq;
            a[k][q] = s * akp + c * akq;
          }
          for (int k = 0; k < n; k++) {
            double apk = a[p][k];
            double aqk = a[q][k];
            a[p][k] = c * apk - s * aqk;
            a[q][k] = s * apk + c * aqk;
          }
          for (int k = 0; k < n; k++) {
            double vkp = v[k][p];
            double vkq = v[k][q];
            v[k][p] = c * vkp - s * vkq;
            v[k][q] = s * vkp + c * vkq;
          }
        }
      }
    }
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = a[i][i];
    }
    return values;
  }

  /** Guards the solver: every column must satisfy C v = lambda v to within a small residual. */
  private static void checkEigenpairs(double[][] c, double[][] v, double[] values) {
    int n = c.length;
    double scale = 0;
    for (double value : values) {
      scale = Math.max(scale, Math.abs(value));
    }
    for (int k = 0; k < n; k++) {
      for (int i = 0; i < n; i++) {
        double sum = 0;
        for (int j = 0; j < n; j++) {
          sum += c[i][j] * v[j][k];
        }
        if (Math.abs(sum - values[k] * v[i][k]) > 1e-6 * scale) {
          throw new IllegalStateException("PCA eigen-solver did not converge (component " + k + ")");
        }
      }
    }
  }

  private static double[][] identity(int n) {
    double[][] m = new double[n][n];
    for (int i = 0; i < n; i++) {
      m[i][i] = 1;
    }
    return m;
  }
}
