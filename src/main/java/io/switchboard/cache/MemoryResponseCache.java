package io.switchboard.cache;

import io.vertx.core.Future;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The cache of a single node: at most {@code maxEntries} answers and {@code maxBytes} of completions, the least
 * recently used going first; an entry past its TTL is never served. One lock guards the map (its sections are a few
 * map operations; copying the answer out happens outside it), so every event loop can share one instance.
 */
public final class MemoryResponseCache implements ResponseCache {

  private record Entry(CachedAnswer answer, long expiresAtNanos) {
  }

  private final int maxEntries;
  private final long maxBytes;
  private final LongSupplier nanoClock;
  private final LinkedHashMap<CacheKey, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
  private long bytes;

  public MemoryResponseCache(int maxEntries, long maxBytes) {
    this(maxEntries, maxBytes, System::nanoTime);
  }

  MemoryResponseCache(int maxEntries, long maxBytes, LongSupplier nanoClock) {
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
    this.nanoClock = nanoClock;
  }

  @Override
  public Future<Optional<CachedAnswer>> get(CacheKey key) {
    Entry entry;
    synchronized (this) {
      entry = entries.get(key);
      if (entry != null && entry.expiresAtNanos() - nanoClock.getAsLong() <= 0) {
        remove(key);
        entry = null;
      }
    }
    return Future.succeededFuture(entry == null ? Optional.empty() : Optional.of(entry.answer().copy()));
  }

  @Override
  public Future<Void> put(CacheKey key, CachedAnswer answer, Duration ttl) {
    long size = answer.completion().length();
    if (size > maxBytes) {
      return Future.succeededFuture();
    }
    Entry entry = new Entry(answer.copy(), nanoClock.getAsLong() + ttl.toNanos());
    synchronized (this) {
      remove(key);
      entries.put(key, entry);
      bytes += size;
      Iterator<Map.Entry<CacheKey, Entry>> eldest = entries.entrySet().iterator();
      while (entries.size() > maxEntries || bytes > maxBytes) {
        bytes -= eldest.next().getValue().answer().completion().length();
        eldest.remove();
      }
    }
    return Future.succeededFuture();
  }

  /** Entries held now, expired ones not yet dropped included. */
  synchronized int size() {
    return entries.size();
  }

  private void remove(CacheKey key) {
    Entry old = entries.remove(key);
    if (old != null) {
      bytes -= old.answer().completion().length();
    }
  }
}
