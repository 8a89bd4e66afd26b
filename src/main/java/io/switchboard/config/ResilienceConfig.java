package io.switchboard.config;

import java.util.Set;

/**
 * How the gateway retries, fails over and stops calling a failing model.
 *
 * @param maxAttempts calls to one model before moving to the next in the chain (1: no retry)
 * @param backoffInitialMillis the first retry waits a random time up to this; each further retry doubles it
 * @param backoffMaxMillis longest wait between two tries of one model
 * @param retryAfterMaxMillis a provider's {@code Retry-After} up to this long is waited for; a longer one moves
 *                            on to the next model at once, or ends the request with 429 when none is left
 * @param deadlineMillis time allowed for everything before the answer starts: every try, every wait
 * @param breakerFailures failures of one model within {@code breakerWindowMillis} that open its breaker
 * @param breakerOpenMillis how long an open breaker keeps traffic away before letting one probe through
 */
public record ResilienceConfig(int maxAttempts, long backoffInitialMillis, long backoffMaxMillis, long retryAfterMaxMillis,
                               long deadlineMillis, int breakerFailures, long breakerWindowMillis,
                               long breakerOpenMillis) {

  static ResilienceConfig from(ConfigReader r) {
    r.allowOnly(Set.of("max_attempts", "backoff_initial_ms", "backoff_max_ms", "retry_after_max_ms", "deadline_ms",
      "breaker"));
    ConfigReader breaker = r.section("breaker").allowOnly(Set.of("failures", "window_ms", "open_ms"));
    long initial = r.longValue("backoff_initial_ms", 200, 1, 600_000);
    long max = r.longValue("backoff_max_ms", 2_000, 1, 600_000);
    if (max < initial) {
      throw new ConfigException(r.key("backoff_max_ms") + ": must not be below backoff_initial_ms (" + initial + ")");
    }
    return new ResilienceConfig(r.intValue("max_attempts", 2, 1, 10), initial, max,
      r.longValue("retry_after_max_ms", 10_000, 0, 3_600_000),
      r.longValue("deadline_ms", 120_000, 1, 3_600_000),
      breaker.intValue("failures", 5, 1, 10_000),
      breaker.longValue("window_ms", 10_000, 1_000, 3_600_000),
      breaker.longValue("open_ms", 30_000, 1, 3_600_000));
  }
}
