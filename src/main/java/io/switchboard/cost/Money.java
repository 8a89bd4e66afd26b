package io.switchboard.cost;

/** Money is held as whole micro-dollars ({@code long}); this formats it as dollars for people. */
public final class Money {

  private Money() {
  }

  /** Exact decimal dollars, six places: 1234 → "0.001234". */
  public static String usd(long micros) {
    String sign = micros < 0 ? "-" : "";
    long abs = Math.abs(micros);
    String fraction = Long.toString(abs % 1_000_000);
    return sign + (abs / 1_000_000) + "." + "000000".substring(fraction.length()) + fraction;
  }

  /** Savings as a percentage of the baseline, one decimal; 0 when there is no baseline. */
  public static double savingsPercent(long costMicros, long baselineMicros) {
    if (baselineMicros <= 0) {
      return 0.0;
    }
    return Math.round(1000.0 * (baselineMicros - costMicros) / baselineMicros) / 10.0;
  }
}
