package io.switchboard.cache;

import java.util.Locale;
import java.util.Optional;

/**
 * What the cache did for one request.
 *
 * @param storeUnder where the fresh answer goes once it is complete; empty when it must not be stored (bypass,
 *                   a hit, or a store that could not be read)
 * @param answer     the cached answer, for a hit
 */
public record CacheLookup(Status status, Optional<CacheKey> storeUnder, Optional<CachedAnswer> answer) {

  /** The value of the {@code x-switchboard-cache} header, and {@code OFF} for a gateway without a cache. */
  public enum Status {
    OFF, BYPASS, MISS, HIT;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    public String wireName() {
      return wireName;
    }
  }

  static final CacheLookup OFF = new CacheLookup(Status.OFF, Optional.empty(), Optional.empty());
  static final CacheLookup BYPASS = new CacheLookup(Status.BYPASS, Optional.empty(), Optional.empty());
  /** The store could not be read: answer as a miss, and do not write to a store that is failing. */
  static final CacheLookup UNAVAILABLE = new CacheLookup(Status.MISS, Optional.empty(), Optional.empty());

  static CacheLookup miss(CacheKey key) {
    return new CacheLookup(Status.MISS, Optional.of(key), Optional.empty());
  }

  static CacheLookup hit(CachedAnswer answer) {
    return new CacheLookup(Status.HIT, Optional.empty(), Optional.of(answer));
  }
}
