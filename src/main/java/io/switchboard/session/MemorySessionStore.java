package io.switchboard.session;

import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/** Session facts in this process's memory: at most {@code maxEntries}, least recently used evicted first. */
public final class MemorySessionStore implements SessionStore {

  private record Entry(String value, long expiresAtNanos) {
  }

  private final long ttlNanos;
  private final LongSupplier clock;
  private final Map<String, Entry> entries;

  public MemorySessionStore(long ttlSeconds, int maxEntries, LongSupplier nanoClock) {
    this.ttlNanos = ttlSeconds * 1_000_000_000L;
    this.clock = nanoClock;
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
        return size() > maxEntries;
      }
    };
  }

  @Override
  public synchronized Future<List<String>> get(List<String> keys) {
    long now = clock.getAsLong();
    List<String> values = new ArrayList<>(keys.size());
    for (String key : keys) {
      Entry entry = entries.get(key);
      if (entry != null && entry.expiresAtNanos() - now <= 0) {
        entries.remove(key);
        entry = null;
      }
      values.add(entry == null ? null : entry.value());
    }
    return Future.succeededFuture(values);
  }

  @Override
  public synchronized void put(String key, String value) {
    entries.put(key, new Entry(value, clock.getAsLong() + ttlNanos));
  }

  @Override
  public synchronized void putIfAbsent(String key, String value) {
    Entry entry = entries.get(key);
    if (entry == null || entry.expiresAtNanos() - clock.getAsLong() <= 0) {
      put(key, value);
    }
  }
}
