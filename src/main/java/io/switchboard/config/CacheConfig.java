package io.switchboard.config;

import java.time.Duration;
import java.util.Set;

/**
 * The response cache: exact-match answers for deterministic requests, kept in Redis when a {@code redis} section
 * is configured, else in this process's memory.
 *
 * @param ttl            how long an answer is served from the cache
 * @param maxEntries     in memory: most answers kept; the least recently used go first
 * @param maxBytes       in memory: most bytes of answers kept, all entries together
 * @param maxEntryBytes  an answer larger than this is not cached (memory and Redis)
 */
public record CacheConfig(boolean enabled, Duration ttl, int maxEntries, long maxBytes, long maxEntryBytes) {

  static CacheConfig from(ConfigReader r) {
    r.allowOnly(Set.of("enabled", "ttl_seconds", "max_entries", "max_bytes", "max_entry_bytes"));
    long maxBytes = r.longValue("max_bytes", 64L * 1024 * 1024, 1024, 1L << 40);
    long maxEntryBytes = r.longValue("max_entry_bytes", 1024 * 1024, 1024, 512L * 1024 * 1024);
    if (maxEntryBytes > maxBytes) {
      throw new ConfigException(r.key("max_entry_bytes") + ": must not be above max_bytes (" + maxBytes + ")");
    }
    return new CacheConfig(r.bool("enabled", true), Duration.ofSeconds(r.longValue("ttl_seconds", 3_600, 1, 30L * 86_400)),
      r.intValue("max_entries", 10_000, 1, 10_000_000), maxBytes, maxEntryBytes);
  }
}
