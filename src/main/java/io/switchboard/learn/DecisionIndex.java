package io.switchboard.learn;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The recent decisions by id, bounded in number and in age: the oldest entry goes when the index is full, and an
 * entry older than the TTL is forgotten. Entries are kept in the order they were first seen, so expired ones are
 * always at the head. Owned by one event loop.
 */
final class DecisionIndex {

  private final LinkedHashMap<String, Decision> byId = new LinkedHashMap<>();
  private final int maxEntries;
  private final long ttlMillis;

  DecisionIndex(int maxEntries, long ttlMillis) {
    this.maxEntries = maxEntries;
    this.ttlMillis = ttlMillis;
  }

  /** The decision, unless unknown or expired. */
  Decision get(String id, long nowMillis) {
    Decision decision = byId.get(id);
    if (decision != null && nowMillis - decision.startedMillis > ttlMillis) {
      byId.remove(id);
      return null;
    }
    return decision;
  }

  Decision getOrCreate(String id, long nowMillis) {
    Decision decision = get(id, nowMillis);
    if (decision == null) {
      decision = new Decision(id, nowMillis);
      byId.put(id, decision);
      if (byId.size() > maxEntries) {
        Iterator<String> oldest = byId.keySet().iterator();
        oldest.next();
        oldest.remove();
      }
    }
    return decision;
  }

  /** Forgets every expired decision. */
  void sweep(long nowMillis) {
    Iterator<Map.Entry<String, Decision>> it = byId.entrySet().iterator();
    while (it.hasNext() && nowMillis - it.next().getValue().startedMillis > ttlMillis) {
      it.remove();
    }
  }

  int size() {
    return byId.size();
  }
}
