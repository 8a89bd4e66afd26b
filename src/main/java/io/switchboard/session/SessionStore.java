package io.switchboard.session;

import io.vertx.core.Future;

import java.util.List;

/**
 * Short-lived session facts by key, each expiring after the configured TTL unless written again. Implementations
 * are thread-safe; a store that cannot answer fails the future (callers route unpinned), never blocks.
 */
public interface SessionStore {

  /** The values of {@code keys}, in order; null where a key is unknown or expired. */
  Future<List<String>> get(List<String> keys);

  /** Sets {@code key} and renews its TTL; failures are ignored (a pin is an optimisation). */
  void put(String key, String value);

  /** Sets {@code key} only when it is unknown or expired. */
  void putIfAbsent(String key, String value);
}
