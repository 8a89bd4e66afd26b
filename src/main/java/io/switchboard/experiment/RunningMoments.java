package io.switchboard.experiment;

/** Count, mean and sample variance of a stream of values, updated in one pass (Welford's method). */
public final class RunningMoments {

  private long count;
  private double mean;
  private double squares;

  public void add(double value) {
    count++;
    double delta = value - mean;
    mean += delta / count;
    squares += delta * (value - mean);
  }

  public long count() {
    return count;
  }

  public double mean() {
    return mean;
  }

  /** The sample variance (n − 1 denominator); 0 below two values. */
  public double variance() {
    return count < 2 ? 0 : squares / (count - 1);
  }
}
