package io.switchboard.report;

import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;

/** How reports write numbers: dollars with six decimals, rates as fractions, ledger sums that may be null. */
final class ReportNumbers {

  private ReportNumbers() {
  }

  /** Micro-dollars as an exact JSON number of dollars with six decimals (1234 → 0.001234). */
  static BigDecimal usd(long micros) {
    return BigDecimal.valueOf(micros, 6);
  }

  /** {@code part / whole} rounded to four decimals; 0 when {@code whole} is 0. */
  static double rate(long part, long whole) {
    return whole == 0 ? 0.0 : round(part / (double) whole, 4);
  }

  /** Savings as a percentage (0..100) of the baseline, two decimals; 0 when there is no baseline cost. */
  static double savingsPct(long costMicros, long baselineMicros) {
    return baselineMicros <= 0 ? 0.0 : round(100.0 * (baselineMicros - costMicros) / baselineMicros, 2);
  }

  static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }

  /** A ledger column as a long: SQL sums over no rows are null, and SQLite may answer a whole number as a double. */
  static long whole(JsonObject row, String column) {
    Object value = row.getValue(column);
    return value instanceof Number n ? Math.round(n.doubleValue()) : 0L;
  }

  /** A ledger column as a double, 0 when null. */
  static double real(JsonObject row, String column) {
    Object value = row.getValue(column);
    return value instanceof Number n ? n.doubleValue() : 0.0;
  }

  /** A ledger column as text, {@code fallback} when null. */
  static String text(JsonObject row, String column, String fallback) {
    Object value = row.getValue(column);
    return value == null ? fallback : value.toString();
  }
}
