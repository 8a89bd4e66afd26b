package io.switchboard.budget;

import java.time.Instant;

/**
 * One budget a request spends against: a scope ("global", "key:vk_…", "user:…", "team:…", "conversation:…") in
 * the current window of a period.
 *
 * @param limitMicros the configured limit, or {@link #UNLIMITED}; an override set through the admin API wins
 */
public record BudgetLine(String scope, Period period, String window, Instant resetAt, long limitMicros) {

  public static final long UNLIMITED = -1;

  /** The name of this scope and period among the limit overrides. */
  public String limitField() {
    return limitField(scope, period);
  }

  public static String limitField(String scope, Period period) {
    return scope + "|" + period.wireName();
  }

  /** The part of a store key naming this line's window. */
  public String windowKey() {
    return scope + ":" + period.wireName() + ":" + window;
  }

  /** Time to live of a window's state: until the window ends, and a day for reports and late settlements. */
  public long ttlMillis(Instant now) {
    return Math.max(1, resetAt.toEpochMilli() - now.toEpochMilli()) + 86_400_000L;
  }
}
