package io.switchboard.cache;

import io.vertx.core.Future;

import java.time.Duration;
import java.util.Optional;

/**
 * Where cached answers live: this process's memory ({@link MemoryResponseCache}) or the shared Redis
 * ({@link RedisResponseCache}). Implementations are thread-safe: every event loop of the process uses the same one.
 * A failed future means the store could not answer (the caller treats it as a miss), never a missing entry.
 */
public interface ResponseCache {

  Future<Optional<CachedAnswer>> get(CacheKey key);

  /** Keeps {@code answer} under {@code key} for {@code ttl}, replacing what was there. */
  Future<Void> put(CacheKey key, CachedAnswer answer, Duration ttl);
}
