package io.switchboard.experiment;

/** The two tests an experiment's arms are compared with; p-values are two-sided. */
public final class Significance {

  /** Two-proportion z-test on success rates. */
  public record ProportionTest(double z, double pValue) {
  }

  /** Welch's unequal-variances t-test on means. */
  public record WelchTest(double t, double degreesOfFreedom, double pValue) {
  }

  private Significance() {
  }

  /**
   * Tests whether {@code successesA / nA} and {@code successesB / nB} differ, with the pooled standard error.
   * Both samples need at least one trial; when neither varies (all successes or none) nothing can differ: p = 1.
   */
  public static ProportionTest twoProportions(long successesA, long nA, long successesB, long nB) {
    if (nA < 1 || nB < 1) {
      throw new IllegalArgumentException("both samples need at least one trial");
    }
    double pA = (double) successesA / nA;
    double pB = (double) successesB / nB;
    double pooled = (double) (successesA + successesB) / (nA + nB);
    double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / nA + 1.0 / nB));
    if (se == 0) {
      return new ProportionTest(0, 1);
    }
    double z = (pA - pB) / se;
    return new ProportionTest(z, Math.min(1, 2 * Distributions.normalCdf(-Math.abs(z))));
  }

  /**
   * Tests whether two means differ without assuming equal variances (sample variances, n - 1 denominators), with
   * the Welch-Satterthwaite degrees of freedom. Each sample needs two values. Two constant samples differ for
   * certain when their means do (p = 0) and not at all when they do not (p = 1).
   */
  public static WelchTest welch(double meanA, double varianceA, long nA, double meanB, double varianceB, long nB) {
    if (nA < 2 || nB < 2) {
      throw new IllegalArgumentException("both samples need at least two values");
    }
    double a = varianceA / nA;
    double b = varianceB / nB;
    double se = Math.sqrt(a + b);
    if (se == 0) {
      return meanA == meanB ? new WelchTest(0, nA + nB - 2, 1) : new WelchTest(Math.copySign(
        Double.POSITIVE_INFINITY, meanA - meanB), nA + nB - 2, 0);
    }
    double t = (meanA - meanB) / se;
    double df = (a + b) * (a + b) / (a * a / (nA - 1) + b * b / (nB - 1));
    return new WelchTest(t, df, Math.min(1, 2 * Distributions.studentCdf(-Math.abs(t), df)));
  }
}
