package io.switchboard.execute;

import io.switchboard.config.ResilienceConfig;

import java.util.concurrent.ThreadLocalRandom;

/** Waits between two tries of one model: exponential with full jitter, so retrying clients do not line up. */
final class Backoff {

  private Backoff() {
  }

  /** A random wait in [0, min(max, initial × 2^(retry-1))] milliseconds before retry number {@code retry}. */
  static long delayMillis(ResilienceConfig config, int retry) {
    long ceiling = config.backoffInitialMillis() << Math.min(20, Math.max(0, retry - 1));
    return ThreadLocalRandom.current().nextLong(Math.min(config.backoffMaxMillis(), ceiling) + 1);
  }
}
