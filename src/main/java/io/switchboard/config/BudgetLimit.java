package io.switchboard.config;

import java.util.Set;

/**
 * The spend allowed to one budget scope per calendar day and per calendar month, in micro-dollars; 0 leaves that
 * period unlimited.
 */
public record BudgetLimit(long dailyMicros, long monthlyMicros) {

  public static final BudgetLimit NONE = new BudgetLimit(0, 0);
  static final double MAX_USD = 1_000_000_000;

  static BudgetLimit from(ConfigReader r) {
    r.allowOnly(Set.of("daily_usd", "monthly_usd"));
    return new BudgetLimit(micros(r, "daily_usd"), micros(r, "monthly_usd"));
  }

  static long micros(ConfigReader r, String key) {
    return Math.round(r.doubleValue(key, 0, 0, MAX_USD) * 1_000_000);
  }

  public boolean unlimited() {
    return dailyMicros == 0 && monthlyMicros == 0;
  }
}
