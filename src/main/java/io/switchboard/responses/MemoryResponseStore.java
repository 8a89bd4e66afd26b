package io.switchboard.responses;

import io.switchboard.config.ResponsesConfig;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The response store of a single node: at most {@code max_entries} responses and {@code max_bytes} of them, the least
 * recently used going first; one past its TTL is never served. Entries are kept encoded, so what a caller gets is its
 * own copy; one lock guards the map, so every event loop can share one instance.
 */
public final class MemoryResponseStore implements ResponseStore {

  private record Key(String tenant, String id) {
  }

  private record Entry(Buffer encoded, long expiresAtNanos) {
  }

  private final ResponsesConfig config;
  private final LongSupplier nanoClock;
  private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
  private long bytes;

  public MemoryResponseStore(ResponsesConfig config) {
    this(config, System::nanoTime);
  }

  MemoryResponseStore(ResponsesConfig config, LongSupplier nanoClock) {
    this.config = config;
    this.nanoClock = nanoClock;
  }

  @Override
  public Future<Optional<StoredResponse>> get(String tenant, String id) {
    Entry entry;
    Key key = new Key(tenant, id);
    synchronized (this) {
      entry = entries.get(key);
      if (entry != null && entry.expiresAtNanos() - nanoClock.getAsLong() <= 0) {
        remove(key);
        entry = null;
      }
    }
    return Future.succeededFuture(entry == null ? Optional.empty()
      : Optional.of(StoredResponse.fromBuffer(entry.encoded())));
  }

  @Override
  public Future<Void> put(String tenant, StoredResponse response) {
    Buffer encoded = response.toBuffer();
    if (encoded.length() > config.maxBytes()) {
      return Future.failedFuture(new IllegalArgumentException("response larger than responses.max_bytes"));
    }
    Entry entry = new Entry(encoded, nanoClock.getAsLong() + config.ttl().toNanos());
    Key key = new Key(tenant, response.id());
    synchronized (this) {
      remove(key);
      entries.put(key, entry);
      bytes += encoded.length();
      Iterator<Map.Entry<Key, Entry>> eldest = entries.entrySet().iterator();
      while (entries.size() > config.maxEntries() || bytes > config.maxBytes()) {
        bytes -= eldest.next().getValue().encoded().length();
        eldest.remove();
      }
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Boolean> delete(String tenant, String id) {
    Key key = new Key(tenant, id);
    boolean found;
    synchronized (this) {
      Entry entry = entries.get(key);
      found = entry != null && entry.expiresAtNanos() - nanoClock.getAsLong() > 0;
      remove(key);
    }
    return Future.succeededFuture(found);
  }

  /** Responses held now, expired ones not yet dropped included. */
  synchronized int size() {
    return entries.size();
  }

  private void remove(Key key) {
    Entry old = entries.remove(key);
    if (old != null) {
      bytes -= old.encoded().length();
    }
  }
}
