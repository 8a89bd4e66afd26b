package io.switchboard.experiment;

/**
 * The two distribution functions the significance tests need. The normal CDF uses the Chebyshev fit of erfc from
 * Numerical Recipes (relative error below 1.2e-7 everywhere); the Student-t CDF goes through the regularized
 * incomplete beta function, evaluated by its continued fraction (modified Lentz), with Lanczos' log-gamma.
 */
public final class Distributions {

  private static final int MAX_ITERATIONS = 300;
  private static final double EPSILON = 1e-15;
  private static final double TINY = 1e-300;
  private static final double[] LANCZOS = {76.18009172947146, -86.50532032941677, 24.01409824083091,
    -1.231739572450155, 0.1208650973866179e-2, -0.5395239384953e-5};

  private Distributions() {
  }

  /** P(Z <= z) for a standard normal Z. */
  public static double normalCdf(double z) {
    return 0.5 * erfc(-z / Math.sqrt(2));
  }

  /** P(T <= t) for Student's t with {@code df} degrees of freedom (any positive real, as Welch's test needs). */
  public static double studentCdf(double t, double df) {
    if (!(df > 0)) {
      throw new IllegalArgumentException("degrees of freedom must be positive");
    }
    if (Double.isInfinite(t)) {
      return t > 0 ? 1 : 0;
    }
    double tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5);
    return t > 0 ? 1 - tail : tail;
  }

  /** The complementary error function. */
  static double erfc(double x) {
    double z = Math.abs(x);
    double t = 1 / (1 + 0.5 * z);
    double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
      + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223
      + t * 0.17087277)))))))));
    return x >= 0 ? r : 2 - r;
  }

  /** I_x(a, b), the regularized incomplete beta function. */
  static double regularizedBeta(double x, double a, double b) {
    if (x <= 0) {
      return 0;
    }
    if (x >= 1) {
      return 1;
    }
    double front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
    // the continued fraction converges fast on this side; the symmetry I_x(a,b) = 1 - I_{1-x}(b,a) covers the other
    return x < (a + 1) / (a + b + 2)
      ? front * betaFraction(x, a, b) / a
      : 1 - front * betaFraction(1 - x, b, a) / b;
  }

  private static double betaFraction(double x, double a, double b) {
    double qab = a + b;
    double qap = a + 1;
    double qam = a - 1;
    double c = 1;
    double d = 1 - qab * x / qap;
    d = 1 / (Math.abs(d) < TINY ? TINY : d);
    double h = d;
    for (int m = 1; m <= MAX_ITERATIONS; m++) {
      int m2 = 2 * m;
      double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
      d = 1 + aa * d;
      d = 1 / (Math.abs(d) < TINY ? TINY : d);
      c = 1 + aa / c;
      c = Math.abs(c) < TINY ? TINY : c;
      h *= d * c;
      aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
      d = 1 + aa * d;
      d = 1 / (Math.abs(d) < TINY ? TINY : d);
      c = 1 + aa / c;
      c = Math.abs(c) < TINY ? TINY : c;
      double step = d * c;
      h *= step;
      if (Math.abs(step - 1) < EPSILON) {
        break;
      }
    }
    return h;
  }

  /** ln Γ(x) for x > 0. */
  static double logGamma(double x) {
    double y = x;
    double tmp = x + 5.5;
    tmp -= (x + 0.5) * Math.log(tmp);
    double series = 1.000000000190015;
    for (double coefficient : LANCZOS) {
      series += coefficient / ++y;
    }
    return -tmp + Math.log(2.5066282746310005 * series / x);
  }
}
