package io.switchboard.classify.train;

/**
 * The int8 token table with a scale per row: what the graph gathers from, and the Java reference of its pooling
 * (the mean of the dequantized rows of a prompt's ids).
 */
final class StaticTable {

  final byte[] values;
  final float[] scales;
  final int dims;

  private StaticTable(byte[] values, float[] scales, int dims) {
    this.values = values;
    this.scales = scales;
    this.dims = dims;
  }

  static StaticTable quantize(float[][] rows) {
    int dims = rows[0].length;
    byte[] values = new byte[rows.length * dims];
    float[] scales = new float[rows.length];
    for (int r = 0; r < rows.length; r++) {
      float max = 0;
      for (float v : rows[r]) {
        max = Math.max(max, Math.abs(v));
      }
      float scale = max == 0 ? 1f : max / 127f;
      scales[r] = scale;
      for (int d = 0; d < dims; d++) {
        values[r * dims + d] = (byte) Math.round(rows[r][d] / scale);
      }
    }
    return new StaticTable(values, scales, dims);
  }

  int rows() {
    return scales.length;
  }

  float[] pool(long[] ids) {
    float[] out = new float[dims];
    for (long id : ids) {
      int row = (int) id;
      float scale = scales[row];
      for (int d = 0; d < dims; d++) {
        out[d] += values[row * dims + d] * scale;
      }
    }
    for (int d = 0; d < dims; d++) {
      out[d] /= ids.length;
    }
    return out;
  }

  /** Softmax of {@code x W + b}, W laid out [dims][classes] as exported. */
  static float[] head(float[] x, float[] w, float[] b) {
    int classes = b.length;
    double[] logits = new double[classes];
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < classes; c++) {
      double s = b[c];
      for (int d = 0; d < x.length; d++) {
        s += x[d] * w[d * classes + c];
      }
      logits[c] = s;
      max = Math.max(max, s);
    }
    double sum = 0;
    for (int c = 0; c < classes; c++) {
      logits[c] = Math.exp(logits[c] - max);
      sum += logits[c];
    }
    float[] p = new float[classes];
    for (int c = 0; c < classes; c++) {
      p[c] = (float) (logits[c] / sum);
    }
    return p;
  }
}
