package io.switchboard.report;

import java.util.Arrays;

/** Nearest-rank percentiles: the smallest value with at least p % of the values at or below it. */
final class Percentiles {

  private final long[] sorted;

  Percentiles(long[] values) {
    this.sorted = values.clone();
    Arrays.sort(sorted);
  }

  /** @param p from 0 (exclusive) to 100; null when there are no values */
  Long at(double p) {
    if (sorted.length == 0) {
      return null;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(rank, 1) - 1];
  }
}
