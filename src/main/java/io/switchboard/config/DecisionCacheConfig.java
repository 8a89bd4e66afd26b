package io.switchboard.config;

import java.util.Set;

/**
 * The routing-decision cache: a request whose normalized prompt, policy, output size and constraints equal an
 * earlier one's reuses that request's classification and decision for {@code ttlSeconds}. Off when 0.
 */
public record DecisionCacheConfig(long ttlSeconds, int maxEntries) {

  public static final DecisionCacheConfig OFF = new DecisionCacheConfig(0, 0);

  static DecisionCacheConfig from(ConfigReader r) {
    r.allowOnly(Set.of("ttl_seconds", "max_entries"));
    return new DecisionCacheConfig(r.longValue("ttl_seconds", 60, 0, 86_400), r.intValue("max_entries", 10_000, 1,
      10_000_000));
  }

  public boolean enabled() {
    return ttlSeconds > 0;
  }
}
