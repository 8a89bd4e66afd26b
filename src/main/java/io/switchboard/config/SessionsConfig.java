package io.switchboard.config;

import java.util.Set;

/**
 * Session pinning: a conversation served by a model keeps that model (its provider holds the conversation's prompt
 * cache) unless switching saves more than the cache is worth. Pins live in Redis when a {@code redis} section
 * exists, else in this process's memory.
 *
 * @param pinning off: every request is routed on its own
 * @param ttlSeconds a pin not used for this long is forgotten (providers' caches expire too); every use renews it
 * @param maxSessions sessions a node keeps in memory at most (least recently used go first); Redis relies on TTLs
 * @param minCacheableTokens a prefix shorter than this is worth nothing (providers cache from about 1024 tokens)
 */
public record SessionsConfig(boolean pinning, long ttlSeconds, int maxSessions, long minCacheableTokens) {

  public static final SessionsConfig DEFAULTS = new SessionsConfig(true, 300, 100_000, 1_024);

  static SessionsConfig from(ConfigReader r) {
    r.allowOnly(Set.of("pinning", "ttl_seconds", "max_sessions", "min_cacheable_tokens"));
    return new SessionsConfig(r.bool("pinning", DEFAULTS.pinning()),
      r.longValue("ttl_seconds", DEFAULTS.ttlSeconds(), 1, 86_400),
      r.intValue("max_sessions", DEFAULTS.maxSessions(), 1, 10_000_000),
      r.longValue("min_cacheable_tokens", DEFAULTS.minCacheableTokens(), 0, 100_000_000));
  }
}
